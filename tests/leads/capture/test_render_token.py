"""The bot time trap cannot be replayed: the render time is tied to the session and ages out."""

import re

import pytest
from sqlalchemy import func, select

from core.extensions import db
from leads.capture import spam
from leads.models import Inquiry
from tests.support.capture import hidden_fields, inquiry_data

pytestmark = pytest.mark.usefixtures("later")
NOTE = "Everything you typed is still here"


def stored() -> int:
    return db.session.scalar(select(func.count(Inquiry.id)))


def test_one_render_token_posted_from_five_fresh_sessions_stores_nothing(app):
    token = hidden_fields(app.test_client(), "/contact/")["rendered_at"]  # fetched once
    for n in range(5):
        client = app.test_client()  # a fresh session with its own CSRF token
        fields = {**hidden_fields(client, "/contact/"), "rendered_at": token}
        with client.session_transaction() as session:
            session.pop("form_rendered")  # only the copied token is left
        data = {**fields, **inquiry_data(email=f"replay{n}@example.com")}
        response = client.post("/contact/", data=data)
        assert response.status_code == 200
        assert NOTE in response.get_data(as_text=True)
    assert stored() == 0


def test_an_expired_render_time_brings_the_form_back_with_the_input(app, client, monkeypatch):
    fields = hidden_fields(client, "/contact/")
    real = spam.clock
    monkeypatch.setattr(spam, "clock", lambda: real() + app.config["FORM_MAX_SECONDS"] + 60)
    response = client.post("/contact/", data={**fields, **inquiry_data()})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert NOTE in html
    assert 'value="Müller Software GmbH"' in html
    assert stored() == 0
    monkeypatch.setattr(spam, "clock", lambda: real() + 10)  # sent again at once, by a person
    again = {
        "csrf_token": fields["csrf_token"],
        "rendered_at": re.search(r'name="rendered_at" type="hidden" value="([^"]+)"', html)[1],
    }
    assert client.post("/contact/", data={**again, **inquiry_data()}).status_code == 303
    assert stored() == 1


@pytest.mark.parametrize("app_overrides", [{"FORM_MAX_SECONDS": 5}])
def test_the_maximum_age_is_a_setting(app, client):
    fields = hidden_fields(client, "/contact/")  # "later" posts 10 s after the render
    response = client.post("/contact/", data={**fields, **inquiry_data()})
    assert NOTE in response.get_data(as_text=True)
    assert stored() == 0


def test_the_session_copy_is_enough_within_the_same_session(client):
    fields = hidden_fields(client, "/contact/")
    del fields["rendered_at"]  # a client posting only the documented fields
    assert client.post("/contact/", data={**fields, **inquiry_data()}).status_code == 303
    assert stored() == 1
