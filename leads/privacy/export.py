"""Export everything stored about a person (GDPR Art. 15 and 20) as plain data."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from gateway.extensions import db
from leads.capture.text import normalise_email
from leads.fields import ATTRIBUTION_FIELDS, INQUIRY_FIELDS, LEAD_FIELDS
from leads.models import ConsentRecord, Inquiry, Lead

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


def _plain(value):
    return value.isoformat() if isinstance(value, dt.datetime | dt.date) else value


def _row(obj, fields) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


def find_lead(email: str) -> Lead | None:
    """Return the lead of an email address (normalised as the forms normalise it)."""
    return db.session.scalar(select(Lead).where(Lead.email == normalise_email(email)))


def export_lead(lead: Lead) -> dict:
    """Return a lead's data (lead, inquiries, consent records, attribution) as plain data."""
    inquiries: list[Inquiry] = list(lead.inquiries)
    consents: list[ConsentRecord] = list(lead.consents)
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
    }


def export_person(email: str) -> dict | None:
    """Return the person's data (lead, inquiries, consent records, attribution); None if unknown."""
    lead = find_lead(email)
    return None if lead is None else export_lead(lead)
