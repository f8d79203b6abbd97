"""Record a lead form submission: one transaction for everything, or nothing at all.

``record_submission`` stores the lead (deduplicated by normalised email), its countries, the
inquiry with its answers and attribution, the consent record, an audit entry and the outbox
events for the CRM relay and the mail relay. It has no Flask request in it: the views build a
:class:`Submission` and tests can call it directly.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from core.extensions import db
from leads.capture.text import normalise_email
from leads.choices import UNDECIDED
from leads.fields import ATTRIBUTION_FIELDS, INQUIRY_FIELDS, LEAD_FIELDS
from leads.lifecycle import audit
from leads.lifecycle.audit import Action
from leads.lifecycle.qualification import on_inquiry
from leads.models import ConsentRecord, Inquiry, Lead, LeadCountry, utcnow
from leads.queue import events

log = logging.getLogger(__name__)

ATTEMPTS = 4


@dataclass(frozen=True)
class ConsentProof:
    """What the investor agreed to, under which notice text, where and how (GDPR Art. 7)."""

    purpose: str
    notice_version: str
    notice_hash: str
    form: str
    page: str
    method: str = "unticked checkbox, web form"


@dataclass(frozen=True)
class Submission:
    """A validated lead form, ready to be stored."""

    kind: str  # inquiry | meeting | report | estimate | introduction (also the new lead's source)
    email: str
    consent: ConsentProof
    # Further purposes the person chose separately (e.g. check-ins), each its own record.
    extra_consents: tuple[ConsentProof, ...] = ()
    lead: dict = field(default_factory=dict)  # LEAD_FIELDS that the form asked
    inquiry: dict = field(default_factory=dict)  # INQUIRY_FIELDS that the form asked
    countries: tuple[str, ...] = ()
    answers: dict = field(default_factory=dict)  # the form as typed
    attribution: dict = field(default_factory=dict)  # ATTRIBUTION_FIELDS
    lang: str = "en"
    page: str = ""
    # What else the form stores with the inquiry, in the same transaction (e.g. introductions).
    on_recorded: Callable[[Lead, Inquiry], object] | None = None


@dataclass(frozen=True)
class Recorded:
    """What a stored submission became."""

    lead_id: int
    inquiry_id: int
    new_lead: bool
    response_due_at: dt.datetime | None = None  # the lead's reply deadline, as stored


def record_submission(submission: Submission, *, now: dt.datetime | None = None) -> Recorded:
    """Store a submission in one transaction, retrying when a concurrent one collides."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            recorded = _write(submission, now or utcnow())
            db.session.commit()
        except (IntegrityError, OperationalError) as exc:
            db.session.rollback()
            if attempt == ATTEMPTS:
                raise
            log.warning("submission collided, retrying (attempt %d): %s", attempt, type(exc))
        else:
            return recorded
    raise AssertionError("unreachable")  # pragma: no cover


def _begin_write() -> None:
    """On SQLite, take the write lock first: dedup lookup and insert then cannot interleave.

    Python's sqlite3 opens a transaction only at the first INSERT; a SAVEPOINT issued before
    that would itself start (and on release commit) the transaction, so begin explicitly.
    """
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _find_lead(email: str) -> Lead | None:
    return db.session.scalar(select(Lead).where(Lead.email == email).with_for_update())


def _lead_for(submission: Submission, email: str, now: dt.datetime) -> tuple[Lead, bool]:
    """Return the lead of this email, creating it (race-safe) if it is new."""
    lead = _find_lead(email)
    if lead is not None:
        return lead, False
    lead = Lead(
        email=email,
        source=submission.kind,
        campaign=submission.attribution.get("utm_campaign", "")[:200],
        created_at=now,
        updated_at=now,
        last_activity_at=now,
        **{key: value for key, value in submission.lead.items() if key in LEAD_FIELDS},
    )
    try:
        with db.session.begin_nested():
            db.session.add(lead)
    except IntegrityError:
        # Another submission with the same email committed first: join its lead.
        lead = _find_lead(email)
        if lead is None:
            raise
        return lead, False
    return lead, True


def _update_lead(lead: Lead, submission: Submission, now: dt.datetime) -> None:
    """Take the returning investor's newer answers; a blank answer never erases one."""
    for key, value in submission.lead.items():
        if key in LEAD_FIELDS and value and getattr(lead, key) != value:
            setattr(lead, key, value)
    lead.last_activity_at = now


def _merge_countries(lead: Lead, countries: tuple[str, ...]) -> None:
    """Add the countries of this submission; "undecided" only while no country is chosen."""
    have = set(lead.country_slugs)
    new = [c for c in dict.fromkeys(countries) if c != UNDECIDED and c not in have]
    if new:
        lead.countries[:] = [lc for lc in lead.countries if lc.country != UNDECIDED]
        lead.countries.extend(LeadCountry(country=country) for country in new)
    elif not have:
        lead.countries.append(LeadCountry(country=UNDECIDED))


def _write(submission: Submission, now: dt.datetime) -> Recorded:
    _begin_write()
    email = normalise_email(submission.email)
    lead, new_lead = _lead_for(submission, email, now)
    if not new_lead:
        _update_lead(lead, submission, now)
    _merge_countries(lead, submission.countries)
    inquiry = Inquiry(
        kind=submission.kind,
        created_at=now,
        answers=dict(submission.answers),
        countries=list(dict.fromkeys(submission.countries)),
        lang=submission.lang,
        page=submission.page[:500],
        **{key: value for key, value in submission.inquiry.items() if key in INQUIRY_FIELDS},
        **{key: submission.attribution.get(key, "") for key in ATTRIBUTION_FIELDS},
    )
    lead.inquiries.append(inquiry)
    db.session.flush()
    for proof in (submission.consent, *submission.extra_consents):
        db.session.add(
            ConsentRecord(
                lead_id=lead.id,
                inquiry_id=inquiry.id,
                purpose=proof.purpose,
                granted=True,
                notice_version=proof.notice_version[:32],
                notice_hash=proof.notice_hash,
                form=proof.form,
                page=proof.page[:500],
                method=proof.method,
                created_at=now,
            )
        )
    audit.record(
        lead,
        None,
        Action.LEAD_CREATED if new_lead else Action.LEAD_RETURNED,
        to_value=f"{submission.kind} #{inquiry.id}",
        reason="" if new_lead else f"returning investor sent a new {submission.kind}",
        at=now,
    )
    on_inquiry(lead, inquiry)
    if submission.on_recorded is not None:
        submission.on_recorded(lead, inquiry)
    _enqueue_events(lead, inquiry, submission)
    return Recorded(
        lead_id=lead.id,
        inquiry_id=inquiry.id,
        new_lead=new_lead,
        response_due_at=lead.response_due_at,
    )


def _enqueue_events(lead: Lead, inquiry: Inquiry, submission: Submission) -> None:
    events.enqueue_lead_upserted(lead.id, inquiry.id)
    events.enqueue_team_notification(lead.id, inquiry.id)
    events.enqueue_investor_mail(lead.id, inquiry.id, submission.kind)
