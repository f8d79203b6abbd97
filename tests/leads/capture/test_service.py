"""record_submission: one transaction, race-safe dedup, response deadlines in working days."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.extensions import db
from leads.capture import service
from leads.capture.service import ConsentProof, Submission, record_submission
from leads.lifecycle.qualification import add_working_days
from leads.models import ConsentRecord, Inquiry, Lead, OutboxEvent
from leads.queue import outbox


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def a_submission(email="jan@example.at", **overrides) -> Submission:
    fields = {
        "kind": "inquiry",
        "email": email,
        "consent": ConsentProof("answer_inquiry", "2026-11-01", "a" * 64, "contact", "/contact/"),
        "lead": {"full_name": "Jan Novak", "company": "Novak GmbH", "interest": "bpo"},
        "inquiry": {"sector": "bpo", "message": "Hi"},
        "countries": ("serbia",),
        "answers": {"message": "Hi"},
        "attribution": {"utm_source": "qr"},
    }
    fields.update(overrides)
    return Submission(**fields)


def test_records_everything_together(app):
    recorded = record_submission(a_submission())
    lead = db.session.get(Lead, recorded.lead_id)
    assert recorded.new_lead
    assert lead.email == "jan@example.at"
    assert lead.inquiries[0].id == recorded.inquiry_id
    assert lead.inquiries[0].utm_source == "qr"
    assert count(ConsentRecord) == 1
    assert count(OutboxEvent) == 3


def test_a_failure_late_in_the_transaction_stores_nothing(app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(outbox, "enqueue", broken)
    with pytest.raises(RuntimeError):
        record_submission(a_submission())
    db.session.rollback()
    assert count(Lead) == count(Inquiry) == count(ConsentRecord) == 0


def test_email_taken_by_a_concurrent_submission_joins_that_lead(app, monkeypatch):
    """The lookup misses a lead another request just stored: the savepoint recovers."""
    record_submission(a_submission())
    real_find = service._find_lead
    calls = []

    def miss_first(email):
        calls.append(email)
        return None if len(calls) == 1 else real_find(email)

    monkeypatch.setattr(service, "_find_lead", miss_first)
    recorded = record_submission(a_submission(email="JAN@example.at", countries=("albania",)))
    assert not recorded.new_lead
    assert len(calls) == 2
    (lead,) = db.session.scalars(select(Lead)).all()
    assert len(lead.inquiries) == 2
    assert lead.country_slugs == ["albania", "serbia"]


def test_the_savepoint_does_not_commit_early(app, monkeypatch):
    """A new lead's savepoint must stay inside the one transaction (SQLite included)."""

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(service, "on_inquiry", broken)
    with pytest.raises(RuntimeError):
        record_submission(a_submission())
    db.session.rollback()
    assert count(Lead) == 0


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.datetime(2026, 11, 23, 9), 2, dt.datetime(2026, 11, 25, 9)),  # Monday → Wednesday
        (dt.datetime(2026, 11, 27, 16), 2, dt.datetime(2026, 12, 1, 16)),  # Friday → Tuesday
        (dt.datetime(2026, 11, 28, 10), 1, dt.datetime(2026, 11, 30, 10)),  # Saturday → Monday
        (dt.datetime(2026, 11, 29, 10), 2, dt.datetime(2026, 12, 1, 10)),  # Sunday → Tuesday
        (dt.datetime(2026, 11, 26, 10), 5, dt.datetime(2026, 12, 3, 10)),  # Thursday + a week
    ],
)
def test_working_days_skip_weekends(start, days, expected):
    assert add_working_days(start, days) == expected


def test_response_due_follows_the_setting(app):
    app.config["RESPONSE_WORKING_DAYS"] = 3
    friday = dt.datetime(2026, 11, 27, 12)
    lead = db.session.get(Lead, record_submission(a_submission(), now=friday).lead_id)
    assert lead.response_due_at == dt.datetime(2026, 12, 2, 12)


def test_an_open_deadline_is_kept_for_a_second_inquiry(app):
    monday = dt.datetime(2026, 11, 23, 9)
    first = record_submission(a_submission(), now=monday)
    record_submission(a_submission(), now=monday + dt.timedelta(days=1))
    lead = db.session.get(Lead, first.lead_id)
    assert lead.response_due_at == dt.datetime(2026, 11, 25, 9)
