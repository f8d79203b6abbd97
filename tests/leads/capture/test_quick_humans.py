"""A quick human is kept: a form sent before ``FORM_MIN_SECONDS`` comes back with everything
typed and a note in the reader's language; sent again (counted from the first render) it is
stored. A bot that posts once stores nothing."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import func, select

from core.extensions import db
from leads.capture import spam
from leads.models import ConsentRecord, Inquiry, Lead, OutboxEvent
from tests.support.capture import MEET_URL, RENDERED_RE, hidden_fields, inquiry_data, meeting_data

NOTES = {
    "en": "Please check your details and send the form again.",
    "de": "Bitte prüfen Sie Ihre Angaben und senden Sie das Formular erneut.",
    "sv": "Kontrollera era uppgifter och skicka formuläret igen.",
}
REPORT = {"email": "klara@schmidt-it.example", "consent": "y"}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def stored() -> int:
    return count(Lead)


def nothing_stored() -> bool:
    return count(Lead) == count(Inquiry) == count(ConsentRecord) == count(OutboxEvent) == 0


@pytest.fixture
def clock(monkeypatch):
    """Seconds since the form was first rendered, as the form check sees them."""
    state = {"rendered": None, "elapsed": 0.0}

    def now():
        return state["rendered"] + state["elapsed"]

    monkeypatch.setattr(spam, "clock", now)
    return state


def open_form(client, url: str, clock) -> dict:
    """GET the form (its render time is now) and return its hidden fields."""
    fields = hidden_fields(client, url)
    millis = spam.read_render_time(spam_form(url), fields["rendered_at"])
    clock["rendered"] = millis[0]
    return fields


def spam_form(url: str) -> str:
    if "/meet/" in url:
        return "meeting:" + url.rstrip("/").split("/")[-2]
    for name in ("report", "estimate", "contact"):
        if name in url:
            return name
    raise AssertionError(url)


def send(client, url: str, data: dict, clock, after: float, fields: dict):
    clock["elapsed"] = after
    return client.post(url, data={**fields, **data})


def test_a_report_request_sent_after_1_5_s_comes_back_in_german_then_is_stored(client, clock):
    url = "/de/report/"
    fields = open_form(client, url, clock)
    first = send(client, url, REPORT, clock, 1.5, fields)
    assert first.status_code in (200, 422)
    html = first.get_data(as_text=True)
    assert NOTES["de"] in html
    assert 'value="klara@schmidt-it.example"' in html
    assert nothing_stored()
    # The form comes back with its first render time: sent again, it counts from that one.
    again = {"csrf_token": fields["csrf_token"], "rendered_at": RENDERED_RE.search(html)[1]}
    assert again["rendered_at"] == fields["rendered_at"]
    second = send(client, url, REPORT, clock, 4.0, again)
    assert second.status_code == 303
    assert second.headers["Location"].endswith("/de/report/thanks/")
    assert stored() == 1
    assert db.session.scalar(select(Lead.email)) == "klara@schmidt-it.example"


@pytest.mark.parametrize(
    ("url", "lang", "data"),
    [
        ("/contact/", "en", inquiry_data()),
        ("/de/contact/", "de", inquiry_data()),
        ("/sv/contact/", "sv", inquiry_data(preferred_language="sv")),
        ("/report/", "en", REPORT),
        (MEET_URL, "en", meeting_data()),
        ("/sv" + MEET_URL, "sv", meeting_data()),
    ],
)
def test_every_form_keeps_a_quick_human(client, clock, url, lang, data):
    fields = open_form(client, url, clock)
    first = send(client, url, data, clock, 0.3, fields)
    html = first.get_data(as_text=True)
    assert first.status_code in (200, 422)
    assert NOTES[lang] in html
    assert f'value="{data["email"]}"' in html
    assert nothing_stored()
    token = RENDERED_RE.search(html)[1]
    # Still too quick (2.5 s after the first render): back again, still nothing stored.
    too_soon = send(client, url, data, clock, 2.5, {**fields, "rendered_at": token})
    assert too_soon.status_code in (200, 422)
    assert nothing_stored()
    # 3 s after the first render, however long after the post that came back: stored.
    third = send(client, url, data, clock, 3.0, {**fields, "rendered_at": token})
    assert third.status_code == 303
    assert stored() == 1


def test_a_quick_estimate_request_is_kept_with_its_scenario(client, clock):
    url = "/costs/estimate/?team=40&mix=software&country=serbia"
    data = {
        "full_name": "Jonas Weber",
        "email": "jonas@weber.example",
        "company": "Weber Cloud GmbH",
        "consent": "y",
        "team": "40",
        "mix": "software",
        "country": ["serbia"],
    }
    fields = open_form(client, url, clock)
    first = send(client, url, data, clock, 1.0, fields)
    html = first.get_data(as_text=True)
    assert NOTES["en"] in html
    assert 'value="jonas@weber.example"' in html
    assert nothing_stored()
    second = send(client, url, data, clock, 3.5, fields)
    assert second.status_code == 303
    assert stored() == 1


def test_mistakes_are_shown_beside_their_fields_with_the_note(client, clock):
    fields = open_form(client, "/contact/", clock)
    response = send(client, "/contact/", inquiry_data(consent=None), clock, 1.0, fields)
    html = response.get_data(as_text=True)
    assert NOTES["en"] in html
    assert 'id="consent-error"' in html
    assert nothing_stored()


@pytest.fixture
def logging_on():
    """Log at every level during the test (a benchmark module imported earlier may not)."""
    previous = logging.root.manager.disable
    logging.disable(logging.NOTSET)
    yield
    logging.disable(previous)


@pytest.mark.parametrize("after", [0.0, 0.5, 2.9])
def test_a_bot_that_posts_once_stores_nothing(client, clock, caplog, logging_on, after):
    caplog.set_level("INFO", logger="leads.capture.spam")
    fields = open_form(client, "/contact/", clock)
    response = send(client, "/contact/", inquiry_data(), clock, after, fields)
    assert response.status_code in (200, 422)
    assert nothing_stored()
    assert "reason=too_fast" in caplog.text
    assert "anna" not in caplog.text.lower()


def test_a_fresh_render_does_not_restart_the_clock_of_the_form_sent_back(client, clock):
    """The note's form carries the first render time, not a new one."""
    fields = open_form(client, "/contact/", clock)
    html = send(client, "/contact/", inquiry_data(), clock, 1.0, fields).get_data(as_text=True)
    token = re.search(r'name="rendered_at" type="hidden" value="([^"]+)"', html)[1]
    assert spam.read_render_time("contact", token)[0] == clock["rendered"]
