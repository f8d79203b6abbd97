"""Rate limits on the form posts, per address, in memory and in Redis; ProxyFix only if set."""

import socket
import uuid

import pytest
from sqlalchemy import func, select

from core.extensions import db
from leads.models import Inquiry
from tests.support.apps import build_app
from tests.support.capture import hidden_fields, inquiry_data

pytestmark = pytest.mark.usefixtures("later")
LIMITED = {"RATELIMIT_ENABLED": True, "FORM_RATE_LIMIT": "3 per minute"}


def redis_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


STORAGES = [
    pytest.param("memory://", id="memory"),
    pytest.param(
        "redis://127.0.0.1:6379",
        id="redis",
        marks=pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379"),
    ),
]


@pytest.fixture(params=STORAGES)
def limited_app(request, backend, tmp_path):
    app = build_app(backend, tmp_path, request, **LIMITED, RATELIMIT_STORAGE_URI=request.param)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def new_address() -> str:
    """Return an address no other test (or test run sharing the Redis) has used."""
    token = uuid.uuid4().hex
    return f"2001:db8:{token[:4]}:{token[4:8]}:{token[8:12]}::1"


@pytest.fixture
def address() -> str:
    return new_address()


def post(client, url="/contact/", ip="192.0.2.1", **environ):
    fields = hidden_fields(client, url)
    return client.post(
        url, data={**fields, **inquiry_data()}, environ_base={"REMOTE_ADDR": ip, **environ}
    )


def test_posts_beyond_the_limit_get_a_clear_429(limited_app, address):
    client = limited_app.test_client()
    assert [post(client, ip=address).status_code for _ in range(3)] == [303, 303, 303]
    refused = post(client, ip=address)
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "Too many forms sent from your address" in html
    assert "Please wait a minute" in html
    assert int(refused.headers["Retry-After"]) > 0
    assert db.session.scalar(select(func.count()).select_from(Inquiry)) == 3


def test_showing_the_form_is_not_limited(limited_app):
    client = limited_app.test_client()
    assert {client.get("/contact/").status_code for _ in range(6)} == {200}


def test_the_limit_is_per_address(limited_app, address):
    client = limited_app.test_client()
    for _ in range(3):
        post(client, ip=address)
    assert post(client, ip=address).status_code == 429
    assert post(client, ip=new_address()).status_code == 303


def test_the_forms_share_one_budget_per_address(limited_app, address):
    client = limited_app.test_client()
    for _ in range(3):
        post(client, url="/contact/", ip=address)
    report = hidden_fields(client, "/report/")
    data = {**report, "email": "x@example.com", "consent": "y"}
    refused = client.post("/report/", data=data, environ_base={"REMOTE_ADDR": address})
    assert refused.status_code == 429


@pytest.mark.parametrize(("proxies", "separate"), [(0, False), (1, True)])
def test_forwarded_addresses_count_only_behind_configured_proxies(
    backend, tmp_path, request, proxies, separate
):
    app = build_app(backend, tmp_path, request, **LIMITED, PROXY_COUNT=proxies)
    with app.app_context():
        client = app.test_client()
        for n in range(3):
            post(client, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        status = post(client, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code
        # Without a configured proxy a client cannot dodge the limit by forging the header.
        assert status == (303 if separate else 429)
        db.session.remove()
        db.engine.dispose()


def test_forms_keep_working_when_the_limit_store_is_down(backend, tmp_path, request):
    closed = f"redis://127.0.0.1:{free_port()}"
    app = build_app(backend, tmp_path, request, **LIMITED, RATELIMIT_STORAGE_URI=closed)
    with app.app_context():
        assert post(app.test_client()).status_code == 303
        assert db.session.scalar(select(func.count()).select_from(Inquiry)) == 1
        db.session.remove()
        db.engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
