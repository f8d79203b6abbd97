"""Factories for test data: ``create_lead(**overrides)``."""

from __future__ import annotations

import itertools

from core.extensions import db
from leads.models import ConsentRecord, Inquiry, Lead, LeadCountry

_counter = itertools.count(1)


def create_lead(
    *, countries=("serbia",), inquiry: dict | None = None, commit: bool = True, **overrides
) -> Lead:
    """Create a lead with one inquiry and a consent record, and commit it.

    With ``commit=False`` the lead is only added to the session: a test creating hundreds of
    leads commits once (each commit expires every object the session holds).
    """
    n = next(_counter)
    fields = {
        "email": f"investor{n}@example.de",
        "full_name": f"Investor {n}",
        "company": f"Example GmbH {n}",
        "job_title": "Head of Operations",
        "company_website": f"https://example{n}.de",
        "company_domain": f"example{n}.de",
        "hq_country": "DE",
        "interest": "ict",
        "source": "inquiry",
    }
    fields.update(overrides)
    lead = Lead(**fields)
    lead.countries = [LeadCountry(country=c) for c in countries]
    answers = {
        "kind": "inquiry",
        "countries": list(countries),
        "sector": fields["interest"],
        "project_type": "delivery_centre",
        "headcount_band": "10-49",
        "investment_band": "250k-1m",
        "timeline": "6-12m",
        "message": "We are looking for a nearshore delivery centre.",
    }
    answers.update(inquiry or {})
    lead.inquiries.append(Inquiry(**answers, answers=dict(answers)))
    lead.consents.append(
        ConsentRecord(
            purpose="inquiry",
            granted=True,
            notice_version="test",
            notice_hash="0" * 64,
            form="contact",
            method="checkbox",
        )
    )
    db.session.add(lead)
    if commit:
        db.session.commit()
    return lead
