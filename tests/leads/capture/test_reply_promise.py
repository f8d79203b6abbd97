"""One reply promise: the due time is computed once, in the region's working days, and shown
the same to the investor (mail and thank-you page) and to staff, each in their language."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path

import pytest

from core import formatting
from core.extensions import db
from leads.capture import service
from leads.lifecycle.qualification import response_due
from leads.models import Lead
from leads.notify.relay import send_pending
from tests.support.capture import inquiry_data, later, submit  # noqa: F401 (fixture)
from tests.support.staff import login, make_user

REGION = "Europe/Belgrade"


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Monday 23:52 UTC is Tuesday 00:52 in Belgrade: two working days on, Thursday 00:52.
        (dt.datetime(2026, 12, 7, 23, 52), dt.datetime(2026, 12, 9, 23, 52)),
        # Friday 23:30 UTC is Saturday in Belgrade: the weekend first, then Monday and Tuesday.
        (dt.datetime(2026, 12, 11, 23, 30), dt.datetime(2026, 12, 14, 23, 30)),
        # The same in summer time (UTC+2): Friday 22:30 UTC is Saturday 00:30.
        (dt.datetime(2026, 7, 10, 22, 30), dt.datetime(2026, 7, 13, 22, 30)),
        # Across the change to summer time: 13:00 in Belgrade stays 13:00, an hour less in UTC.
        (dt.datetime(2026, 3, 27, 12, 0), dt.datetime(2026, 3, 31, 11, 0)),
        # Sunday evening in UTC is already Monday in Belgrade: a working day.
        (dt.datetime(2026, 12, 13, 23, 30), dt.datetime(2026, 12, 15, 23, 30)),
        # An ordinary Wednesday morning.
        (dt.datetime(2026, 12, 9, 8, 0), dt.datetime(2026, 12, 11, 8, 0)),
    ],
)
def test_working_days_are_the_regions(app, received, due):
    assert response_due(received) == due
    local = due.replace(tzinfo=dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=1)))
    assert local.weekday() < 5


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Thursday, December 10, 2026, 12:52 AM Central European Standard Time"),
        ("de", "Donnerstag, 10. Dezember 2026, 00:52 Mitteleuropäische Normalzeit"),
        ("sv", "torsdag 10 december 2026 00:52 centraleuropeisk normaltid"),
    ],
)
def test_a_deadline_reads_in_each_language_in_the_regions_time(lang, expected):
    assert words(formatting.moment(dt.datetime(2026, 12, 9, 23, 52), lang, REGION)) == expected


def words(text: str) -> str:
    """Return text with every run of spaces as one space (CLDR puts a narrow one before AM)."""
    return " ".join(text.replace("\u202f", " ").split())


def text_of(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return words(message.get_body(("plain",)).get_content())


@pytest.mark.usefixtures("later")
@pytest.mark.parametrize(
    ("lang", "investor_words"),
    [
        ("de", "Donnerstag, 10. Dezember 2026, 00:52 Mitteleuropäische Normalzeit"),
        ("sv", "torsdag 10 december 2026 00:52 centraleuropeisk normaltid"),
        ("", "Thursday, December 10, 2026, 12:52 AM Central European Standard Time"),
    ],
)
def test_the_investor_and_staff_see_the_same_deadline(
    app, client, monkeypatch, lang, investor_words
):
    received = dt.datetime(2026, 12, 7, 23, 52)  # Monday night in UTC, Tuesday in Belgrade
    monkeypatch.setattr(service, "utcnow", lambda: received)
    url = f"/{lang}/contact/" if lang else "/contact/"
    response = submit(client, url, inquiry_data(preferred_language=lang or "en"))
    assert response.status_code == 303
    lead = db.session.scalars(db.select(Lead)).one()
    assert lead.response_due_at == dt.datetime(2026, 12, 9, 23, 52)  # stored once

    thanks = words(client.get(response.headers["Location"]).get_data(as_text=True))
    assert investor_words in thanks

    send_pending()
    folder = Path(app.config["MAIL_FOLDER"])
    (reply,) = folder.glob("*-investor.acknowledgement.eml")
    assert investor_words in text_of(reply)
    (team,) = folder.glob("*-team.notification.eml")
    staff_words = "Thursday, December 10, 2026, 12:52 AM Central European Standard Time"
    assert staff_words in text_of(team)

    staff = app.test_client()
    login(staff, make_user())
    page = words(staff.get(f"/staff/leads/{lead.id}/").get_data(as_text=True))
    assert f"due by {staff_words}" in page
    assert "UTC" not in page.split("due by", 1)[1][:120]
    listing = words(staff.get("/staff/leads/").get_data(as_text=True))
    assert staff_words in listing


@pytest.mark.usefixtures("later")
def test_a_second_inquiry_is_promised_the_deadline_still_open(app, client, monkeypatch):
    first = dt.datetime(2026, 12, 7, 9, 0)
    monkeypatch.setattr(service, "utcnow", lambda: first)
    assert submit(client, "/contact/", inquiry_data()).status_code == 303
    monkeypatch.setattr(service, "utcnow", lambda: first + dt.timedelta(days=1))
    response = submit(client, "/contact/", inquiry_data(message="And a second question."))
    thanks = words(client.get(response.headers["Location"]).get_data(as_text=True))
    # The investor is waiting since Monday: Wednesday's deadline stands, and the page says so.
    assert "Wednesday, December 9, 2026, 10:00 AM Central European Standard Time" in thanks
    lead = db.session.scalars(db.select(Lead)).one()
    assert lead.response_due_at == dt.datetime(2026, 12, 9, 9, 0)
