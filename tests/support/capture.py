"""Helpers for the lead form tests: fetch a form, post it like a person (after the bot delay)."""

from __future__ import annotations

import re

import pytest

from leads.capture import spam

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
RENDERED_RE = re.compile(r'name="rendered_at" type="hidden" value="([^"]+)"')
MEET_URL = "/events/munich-investor-roadshow-2027/meet/"


def csrf_token(html: str) -> str:
    """Return the CSRF token of a rendered form."""
    return CSRF_RE.search(html).group(1)


def hidden_fields(client, url: str) -> dict:
    """GET a form page and return the hidden fields a browser would post back."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    return {"csrf_token": csrf_token(html), "rendered_at": RENDERED_RE.search(html).group(1)}


def inquiry_data(**overrides) -> dict:
    """Return a valid inquiry as a person would type it."""
    data = {
        "full_name": "Anna Müller",
        "email": "anna.mueller@example.de",
        "company": "Müller Software GmbH",
        "job_title": "Head of Delivery",
        "company_website": "https://www.mueller-software.de",
        "hq_country": "DE",
        "interest": "ict",
        "countries": ["serbia", "north-macedonia"],
        "project_type": "delivery_centre",
        "headcount_band": "50-249",
        "investment_band": "1m-5m",
        "timeline": "6-12m",
        "roadshow": "munich-investor-roadshow-2027",
        "preferred_language": "de",
        "message": "We plan a nearshore team of 60 Java developers.",
        "phone": "+49 89 1234567",
        "consent": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submit(client, url: str, data: dict, *, hidden: dict | None = None):
    """Fetch the form at ``url`` and post ``data`` with its hidden fields."""
    fields = hidden if hidden is not None else hidden_fields(client, url)
    return client.post(url, data={**fields, **data})


@pytest.fixture
def later(monkeypatch):
    """Make every post arrive 10 seconds after its form was rendered (a person, not a bot)."""
    real = spam.clock
    monkeypatch.setattr(spam, "clock", lambda: real() + 10)
