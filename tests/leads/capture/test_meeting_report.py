"""The roadshow meeting request and the regional report form."""

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from core.extensions import db
from leads.capture import content
from leads.models import Inquiry, Lead, OutboxEvent
from tests.support.capture import MEET_URL, submit

pytestmark = pytest.mark.usefixtures("later")
PAST_URL = "/events/absl-regional-conference-sarajevo-2025/meet/"


def meeting_data(**overrides):
    data = {
        "full_name": "Karin Lindqvist",
        "email": "karin@example.se",
        "company": "Nordic CX AB",
        "slot": "Day 2 morning",
        "topics": [
            "Game development partnerships",
            "Incentives, locations and procedures in each country",
        ],
        "countries": ["montenegro"],
        "consent": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_meeting_form_offers_the_event_slots_and_topics(client):
    html = client.get(MEET_URL).get_data(as_text=True)
    assert "Investor roadshow Munich 2027" in html
    for text in ("Day 1 morning", "Day 2 afternoon", "Multilingual customer service and BPO"):
        assert text in html
    for name in ("full_name", "email", "company", "countries", "consent", "slot", "topics"):
        assert f'name="{name}"' in html


def test_meeting_request_is_stored_for_the_event(client):
    response = submit(client, MEET_URL, meeting_data())
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{MEET_URL}thanks/")
    lead = db.session.scalar(select(Lead))
    assert lead.source == "meeting"
    assert lead.country_slugs == ["montenegro"]
    (inquiry,) = lead.inquiries
    assert inquiry.kind == "meeting"
    assert inquiry.event_slug == "munich-investor-roadshow-2027"
    assert inquiry.answers["slot"] == "Day 2 morning"
    assert "Game development partnerships" in inquiry.answers["topics"]
    assert lead.consents[0].form == "meeting"
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "within 2 working days" in thanks
    assert "Investor roadshow Munich 2027" in thanks


def test_meeting_refuses_slots_the_event_does_not_offer(client):
    html = submit(client, MEET_URL, meeting_data(slot="Day 9 midnight")).get_data(as_text=True)
    assert 'id="slot-error"' in html
    assert db.session.scalar(select(func.count()).select_from(Lead)) == 0


def test_past_event_refuses_meeting_requests_with_a_clear_message(client):
    response = client.get(PAST_URL)
    assert response.status_code == 410
    assert "already taken place" in response.get_data(as_text=True)
    posted = client.post(PAST_URL, data=meeting_data())
    assert posted.status_code == 410
    assert db.session.scalar(select(func.count()).select_from(Inquiry)) == 0


def test_event_that_ends_today_still_takes_requests_but_not_tomorrow(client, monkeypatch):
    monkeypatch.setattr(content, "today", lambda: dt.date(2027, 3, 17))
    assert client.get(MEET_URL).status_code == 200
    monkeypatch.setattr(content, "today", lambda: dt.date(2027, 3, 18))
    assert client.get(MEET_URL).status_code == 410


def test_event_without_meetings_refuses_with_a_clear_message(client, monkeypatch):
    monkeypatch.setattr(content, "today", lambda: dt.date(2025, 1, 1))  # the conference is ahead
    response = client.get(PAST_URL)
    assert response.status_code == 404
    assert "does not take meeting requests" in response.get_data(as_text=True)


def test_unknown_event_is_not_found(client):
    assert client.get("/events/no-such-event/meet/").status_code == 404


def test_report_page_shows_the_report_text_and_a_form(client):
    html = client.get("/report/").get_data(as_text=True)
    assert "The Western Balkans BPO Regional Report" in html
    assert "What it is planned to cover" in html
    assert 'name="email"' in html
    assert 'name="consent"' in html


def test_report_request_before_publication_promises_to_send_it(client):
    response = submit(client, "/report/", {"email": "Reader@Example.com", "consent": "y"})
    assert response.headers["Location"].endswith("/report/thanks/")
    lead = db.session.scalar(select(Lead))
    assert (lead.email, lead.source) == ("reader@example.com", "report")
    assert lead.consents[0].purpose == "send_report"
    kinds = db.session.scalars(select(OutboxEvent.kind).order_by(OutboxEvent.id)).all()
    assert kinds == ["lead.upserted", "team.notification", "investor.report"]
    html = client.get("/report/thanks/").get_data(as_text=True)
    assert "We will send it to you by email when it is published" in html
    assert "/report/download/" not in html


def test_report_request_requires_consent(client):
    html = submit(client, "/report/", {"email": "reader@example.com"}).get_data(as_text=True)
    assert 'id="consent-error"' in html
    assert db.session.scalar(select(func.count()).select_from(Lead)) == 0


@pytest.fixture
def published_report(app, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7 regional report")
    app.config["REPORT_FILE"] = str(path)
    return path


def test_published_report_is_linked_after_the_request(client, published_report):
    assert "/report/download/" not in client.get("/report/thanks/").get_data(as_text=True)
    response = submit(client, "/report/", {"email": "reader@example.com", "consent": "y"})
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    url = re.search(r'href="(/report/download/[^"]+)"', html).group(1)
    download = client.get(url)
    assert download.status_code == 200
    assert download.data == b"%PDF-1.7 regional report"
    download.close()
    assert client.get("/report/download/forged-token").status_code == 404
