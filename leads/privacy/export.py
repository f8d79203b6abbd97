"""Export everything stored about a person (GDPR Art. 15 and 20) as plain data."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.extensions import db
from leads.capture.text import normalise_email
from leads.fields import ATTRIBUTION_FIELDS, INQUIRY_FIELDS, LEAD_FIELDS
from leads.models import AuditEntry, ConsentRecord, Inquiry, Lead, Note
from leads.partners.service import introductions_of
from leads.plan.service import export_plan

LEAD_EXPORT_FIELDS = (
    "id",
    "email",
    *LEAD_FIELDS,
    "source",
    "campaign",
    "stage",
    "created_at",
    "updated_at",
    "last_activity_at",
    "response_due_at",
    "first_response_at",
)
INQUIRY_EXPORT_FIELDS = (
    "id",
    "kind",
    "created_at",
    "countries",
    *INQUIRY_FIELDS,
    "lang",
    "page",
    "answers",
)
CONSENT_EXPORT_FIELDS = (
    "id",
    "inquiry_id",
    "purpose",
    "granted",
    "notice_version",
    "notice_hash",
    "form",
    "page",
    "method",
    "created_at",
)
# Staff notes and the timeline's reasons often hold the person's name, phone or situation.
NOTE_EXPORT_FIELDS = ("id", "created_at", "body")
TIMELINE_EXPORT_FIELDS = ("id", "created_at", "action", "from_value", "to_value", "reason")


# The partners an investor asked to meet, and what the chapter recorded (their own data too).
INTRODUCTION_EXPORT_FIELDS = ("partner_name", "partner_kind", "status", "introduced_on")


def _plain(value):
    return value.isoformat() if isinstance(value, dt.datetime | dt.date) else value


def _row(obj, fields) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


def find_lead(email: str) -> Lead | None:
    """Return the lead of an email address (normalised as the forms normalise it)."""
    return db.session.scalar(select(Lead).where(Lead.email == normalise_email(email)))


def export_lead(lead: Lead) -> dict:
    """Return a lead's data as plain data: lead, inquiries, consent records, attribution, staff
    notes, the timeline (stage, owner and other changes with their reasons), introductions and
    the plan (its link's state, the next steps agreed and the investor's messages)."""
    inquiries: list[Inquiry] = list(lead.inquiries)
    consents: list[ConsentRecord] = list(lead.consents)
    notes = db.session.scalars(select(Note).where(Note.lead_id == lead.id).order_by(Note.id))
    timeline = db.session.scalars(
        select(AuditEntry).where(AuditEntry.lead_id == lead.id).order_by(AuditEntry.id)
    )
    return {
        "lead": {
            **_row(lead, LEAD_EXPORT_FIELDS),
            "countries": lead.country_slugs,
            "organisation": lead.organisation.name if lead.organisation else None,
        },
        "inquiries": [_row(inquiry, INQUIRY_EXPORT_FIELDS) for inquiry in inquiries],
        "consent_records": [_row(consent, CONSENT_EXPORT_FIELDS) for consent in consents],
        "attribution": [
            {"inquiry_id": inquiry.id, **_row(inquiry, ATTRIBUTION_FIELDS)} for inquiry in inquiries
        ],
        "notes": [_row(note, NOTE_EXPORT_FIELDS) for note in notes],
        "timeline": [_row(entry, TIMELINE_EXPORT_FIELDS) for entry in timeline],
        "introductions": [
            {
                **_row(intro, INTRODUCTION_EXPORT_FIELDS),
                "steps": [_row(step, ("status", "happened_on")) for step in intro.steps],
            }
            for intro in introductions_of(lead)
        ],
        "plan": export_plan(lead),
    }


def export_person(email: str) -> dict | None:
    """Return the person's data (lead, inquiries, consent records, attribution); None if unknown."""
    lead = find_lead(email)
    return None if lead is None else export_lead(lead)
