"""A lead as a JSON document: everything we hold about the person, for export requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from leads.models import Lead


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def lead_document(lead: Lead) -> dict[str, Any]:
    """Return a lead with its inquiries, consent records and attribution as plain data."""
    return {
        "lead": {
            "id": lead.id,
            "email": lead.email,
            "full_name": lead.full_name,
            "company": lead.company,
            "job_title": lead.job_title,
            "phone": lead.phone,
            "company_website": lead.company_website,
            "hq_country": lead.hq_country,
            "preferred_language": lead.preferred_language,
            "interest": lead.interest,
            "countries": lead.country_slugs,
            "source": lead.source,
            "campaign": lead.campaign,
            "stage": lead.stage,
            "score": lead.score,
            "created_at": _iso(lead.created_at),
            "erased_at": _iso(lead.erased_at),
        },
        "inquiries": [
            {
                "id": inquiry.id,
                "kind": inquiry.kind,
                "created_at": _iso(inquiry.created_at),
                "answers": inquiry.answers,
                "message": inquiry.message,
                "attribution": {
                    "page": inquiry.page,
                    "landing_page": inquiry.landing_page,
                    "referrer": inquiry.referrer,
                    "utm_source": inquiry.utm_source,
                    "utm_medium": inquiry.utm_medium,
                    "utm_campaign": inquiry.utm_campaign,
                    "utm_term": inquiry.utm_term,
                    "utm_content": inquiry.utm_content,
                    "event_slug": inquiry.event_slug,
                },
            }
            for inquiry in lead.inquiries
        ],
        "consent_records": [
            {
                "purpose": record.purpose,
                "granted": record.granted,
                "notice_version": record.notice_version,
                "notice_hash": record.notice_hash,
                "form": record.form,
                "page": record.page,
                "method": record.method,
                "created_at": _iso(record.created_at),
            }
            for record in lead.consents
        ],
    }
