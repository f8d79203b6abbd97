"""Helpers for staff-area tests: accounts, sign-in, CSRF tokens, query counting."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pyotp
from sqlalchemy import event

from core.extensions import db
from leads.lifecycle import pipeline
from leads.staff import auth

PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# Any script except JSON-LD data blocks (never executed).
EXECUTABLE_SCRIPT = re.compile(r'<script(?![^>]*type="application/ld\+json")')


def make_user(
    email="coord@example.org",
    org="absl-western-balkans",
    role="coordinator",
    password=PASSWORD,
    totp=False,
):
    """Create a staff account (with a TOTP secret when ``totp``)."""
    user = auth.create_staff_user(email, org, role, password)
    if totp:
        user.totp_secret = pyotp.random_base32()
    db.session.commit()
    return user


def csrf_token(client, path="/staff/login") -> str:
    """Return a CSRF token from a page with a form."""
    page = client.get(path)
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_login(client, email, password=PASSWORD, next_url=None):
    """Post the sign-in form (without following redirects)."""
    path = "/staff/login" + (f"?next={next_url}" if next_url else "")
    data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
    return client.post(path, data=data)


def login(client, user, password=PASSWORD):
    """Sign a user in (with a current TOTP code when the account has one)."""
    response = post_login(client, user.email, password)
    if response.status_code == 302 and "/staff/login/code" in response.headers["Location"]:
        code = pyotp.TOTP(user.totp_secret).now()
        token = csrf_token(client, "/staff/login/code")
        response = client.post("/staff/login/code", data={"code": code, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "/staff/login" not in response.headers["Location"]
    return response


def post_form(client, path, data=None, token_from="/staff/account/"):
    """Post a staff form with a valid CSRF token."""
    payload = {"csrf_token": csrf_token(client, token_from), **(data or {})}
    return client.post(path, data=payload)


@contextmanager
def count_queries():
    """Count the SQL statements run inside the block."""
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def staff_rules(app):
    """Return the URL rules of the staff area."""
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/staff")]


def build_url(rule, **values):
    """Build a rule's URL (lead, event and plan step 1 unless given)."""
    defaults = {"lead_id": 1, "event_id": 1, "step_id": 1}
    args = {name: values.get(name, defaults[name]) for name in rule.arguments}
    return rule.build(args)[1]


def routed_lead(make_lead, countries=("serbia",)):
    """A lead routed as an inquiry would be: agency owns, chapter informed."""
    lead = make_lead(countries=countries)
    pipeline.route(lead)
    db.session.commit()
    return lead
