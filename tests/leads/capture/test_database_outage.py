"""A database outage never loses what an investor typed, and the pool recovers by itself.

PostgreSQL only: a loopback proxy in front of the test database is cut (connections refused,
open ones dropped) and restored; the shared server is never stopped.
"""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from core.extensions import db
from leads.models import Inquiry
from tests.support.apps import build_app
from tests.support.capture import CSRF_RE, MEET_URL, RENDERED_RE, hidden_fields, inquiry_data
from tests.support.db_proxy import DatabaseProxy
from tests.support.staff import make_user, post_login

pytestmark = [pytest.mark.database, pytest.mark.usefixtures("later")]


@pytest.fixture
def proxy(pg_database_url):
    url = make_url(pg_database_url)
    link = DatabaseProxy((url.host or "127.0.0.1", url.port or 5432))
    yield link
    link.close()


@pytest.fixture
def outage_app(proxy, pg_database_url, tmp_path, request):
    url = make_url(pg_database_url).set(host="127.0.0.1", port=proxy.port)
    uri = url.render_as_string(hide_password=False)
    app = build_app("postgresql", tmp_path, request, SQLALCHEMY_DATABASE_URI=uri)
    with app.app_context():
        yield app
        db.session.remove()


def stored() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count(Inquiry.id)))


def test_inquiry_during_an_outage_comes_back_with_everything_typed(outage_app, proxy):
    client = outage_app.test_client()
    fields = hidden_fields(client, "/contact/")
    db.session.remove()
    proxy.cut()
    response = client.post("/contact/", data={**fields, **inquiry_data()})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "please send the form again in a minute" in html
    for value in ("Anna Müller", "anna.mueller@example.de", "Müller Software GmbH", "60 Java"):
        assert value in html
    proxy.restore()
    again = {"csrf_token": CSRF_RE.search(html)[1], "rendered_at": RENDERED_RE.search(html)[1]}
    assert client.post("/contact/", data={**again, **inquiry_data()}).status_code == 303
    assert stored() == 1


# The other lead forms go through the same flow: (page, post data, values the page must keep).
OTHER_FORMS = {
    "meeting": (
        MEET_URL,
        {
            "full_name": "Karin Lindqvist",
            "email": "karin@example.se",
            "company": "Nordic CX AB",
            "job_title": "Head of Customer Care",
            "slot": "Day 2 morning",
            "countries": ["montenegro"],
            "consent": "y",
        },
        ("Karin Lindqvist", "karin@example.se", "Nordic CX AB", "Head of Customer Care"),
    ),
    "report": ("/report/", {"email": "lena@example.at", "consent": "y"}, ("lena@example.at",)),
    "estimate": (
        "/costs/estimate/?team=50&mix=software&country=serbia",
        {
            "full_name": "Jonas Weber",
            "email": "jonas.weber@example.de",
            "company": "Weber Cloud GmbH",
            "consent": "y",
            "team": "50",
            "mix": "software",
            "country": ["serbia"],
        },
        (
            "Jonas Weber",
            "jonas.weber@example.de",
            "Weber Cloud GmbH",
            '<input type="hidden" name="country" value="serbia">',
            '<input type="hidden" name="team" value="50">',
        ),
    ),
}


@pytest.mark.parametrize("form", OTHER_FORMS)
def test_every_lead_form_during_an_outage_comes_back_with_everything_typed(outage_app, proxy, form):
    url, data, kept = OTHER_FORMS[form]
    client = outage_app.test_client()
    fields = hidden_fields(client, url)
    db.session.remove()
    proxy.cut()
    response = client.post(url, data={**fields, **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "please send the form again in a minute" in html
    for value in kept:
        assert value in html
    proxy.restore()
    again = {"csrf_token": CSRF_RE.search(html)[1], "rendered_at": RENDERED_RE.search(html)[1]}
    assert client.post(url, data={**again, **data}).status_code == 303
    assert stored() == 1


def test_the_pool_recovers_after_the_database_restarts(outage_app, proxy):
    client = outage_app.test_client()
    email = make_user().email
    db.session.remove()
    for _ in range(3):  # fill the pool with connections that the restart will kill
        db.session.execute(text("SELECT 1"))
        db.session.remove()
    assert client.get("/healthz").status_code == 200
    db.session.remove()  # what the end of each request does in production
    proxy.cut()  # PostgreSQL restarts while no request runs: every pooled connection dies
    proxy.restore()
    assert client.get("/healthz").status_code == 200  # the first request after it already works
    db.session.remove()  # what the end of each request does in production
    assert post_login(client, email).status_code == 302


def test_healthz_reports_an_outage_and_its_end(outage_app, proxy):
    client = outage_app.test_client()
    proxy.cut()
    assert client.get("/healthz").status_code == 503
    db.session.remove()
    proxy.restore()
    assert client.get("/healthz").status_code == 200
