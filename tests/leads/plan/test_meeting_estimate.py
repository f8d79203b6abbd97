"""The plan's roadshow meeting as a calendar file, the saved estimate, and the status words."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from icalendar import Calendar

from core.extensions import db
from gateway.costs import method
from leads.capture.estimate import ORIGINAL_KEY, SCENARIO_KEY
from leads.models import Inquiry
from leads.plan import page
from leads.plan.ics import PlanMeeting, meeting_ics
from leads.plan.status import Status, status_of
from tests.leads.plan.test_journey import inquire
from tests.leads.plan.test_link import path_of

MUNICH = PlanMeeting(
    "meeting-1@example.org",
    "Investor roadshow Munich 2027",
    dt.datetime(2027, 3, 16, 10, 0, tzinfo=ZoneInfo("Europe/Berlin")),
    45,
    "Munich",
    "Europe/Berlin",
)


def test_the_ics_parses_with_its_time_zone():
    calendar = Calendar.from_ical(meeting_ics(MUNICH))
    assert calendar["METHOD"] == "PUBLISH"
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Berlin"
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert start.astimezone(dt.UTC) == dt.datetime(2027, 3, 16, 9, 0, tzinfo=dt.UTC)
    assert event.decoded("DTEND") - start == dt.timedelta(minutes=45)


def test_a_confirmed_meeting_stored_in_utc_is_shown_at_the_venue_time():
    row = SimpleNamespace(
        starts_at=dt.datetime(2027, 3, 16, 9, 0), time_zone="Europe/Berlin", venue="Hotel",
        uid="u1", duration=45,
    )  # fmt: skip
    found = page.meeting_from(row, "Roadshow", "Munich")
    assert found is not None
    assert found.starts.hour == 10
    assert found.location == "Hotel, Munich"
    assert page.meeting_from(SimpleNamespace(**{**vars(row), "time_zone": ""}), "R", "M") is None


def test_the_plan_serves_the_meeting_file_once_a_time_is_confirmed(app, client, monkeypatch):
    lead = inquire(lang="en")
    assert client.get(path_of(lead) + "/meeting.ics").status_code == 404
    monkeypatch.setattr(page, "confirmed_meeting", lambda lead, lang: MUNICH)
    html = client.get(path_of(lead)).get_data(as_text=True)
    assert "meeting.ics" in html
    assert "Tuesday, March 16, 2027" in html
    response = client.get(path_of(lead) + "/meeting.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"
    assert Calendar.from_ical(response.data).walk("VEVENT")


def test_the_saved_estimate_is_shown_on_todays_figures_beside_the_original(app, client):
    lead = inquire(lang="en", countries=("serbia",))
    scenario = method.scenario(50, "software", ["serbia"])
    lead.inquiries.append(
        Inquiry(
            kind="estimate",
            countries=["serbia"],
            answers={SCENARIO_KEY: scenario, ORIGINAL_KEY: {"team_cost": {"serbia": 1234000}}},
        )
    )
    db.session.commit()
    saved = page.saved_estimate(lead, "en")
    assert saved is not None
    assert saved.team == 50
    serbia = next(row for row in saved.rows if row.name == "Serbia")
    assert serbia.original == "€1,234,000"
    assert serbia.today not in ("", "—", serbia.original)
    html = client.get(path_of(lead)).get_data(as_text=True)
    assert "€1,234,000" in html
    assert serbia.today in html


def test_the_status_in_the_investors_words():
    assert status_of("new", False, False) == Status.RECEIVED
    assert status_of("new", True, False) == Status.ASSIGNED
    assert status_of("new", True, True) == Status.ANSWERED
    assert status_of("contacted", True, False) == Status.ANSWERED
    assert status_of("qualified", True, True, meeting_confirmed=True) == Status.MEETING
    assert status_of("meeting", True, True) == Status.MEETING
    assert status_of("site_visit", True, True) == Status.VISIT
    assert status_of("lost", True, True) == Status.CLOSED
