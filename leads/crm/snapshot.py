"""Lead -> CRM: what the CRM needs to know about a lead now, read from the database rows.

``leads.crm.payloads`` turns the snapshot into HubSpot batch inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from leads.crm import payloads as pl
from leads.models import Inquiry, Lead
from leads.partners.models import Introduction, IntroductionStep
from leads.partners.service import step_note


def note_text(inquiry: Inquiry) -> str:
    """Return the CRM note of one inquiry: its answers, then the message."""
    details = [
        ("Request", inquiry.kind),
        ("Event", inquiry.event_slug),
        ("Countries", ", ".join(inquiry.countries or [])),
        ("Sector", inquiry.sector),
        ("Project", inquiry.project_type),
        ("Headcount", inquiry.headcount_band),
        ("Investment", inquiry.investment_band),
        ("Timeline", inquiry.timeline),
    ]
    lines = [f"{label}: {value}" for label, value in details if value]
    if inquiry.message:
        lines += ["", inquiry.message]
    return "\n".join(lines) or inquiry.kind


def snapshot_of(lead: Lead, steps: Sequence[IntroductionStep] = ()) -> pl.LeadSnapshot:
    """Return what the CRM needs to know about a lead now (``steps``: its introduction steps
    not yet in the CRM, sent as notes on the contact)."""
    latest = lead.inquiries[-1] if lead.inquiries else None
    sector = lead.interest if lead.interest not in ("", "unsure") else ""
    if not sector and latest is not None:
        sector = latest.sector
    return pl.LeadSnapshot(
        lead_id=lead.id,
        email=lead.email or "",
        full_name=lead.full_name,
        company=lead.company,
        website=lead.company_website or lead.company_domain,
        job_title=lead.job_title,
        phone=lead.phone,
        country=lead.hq_country,
        countries=tuple(lead.country_slugs),
        sector=sector,
        source=lead.source,
        campaign=lead.campaign or (latest.utm_campaign if latest is not None else ""),
        score=lead.score,
        stage=lead.stage,
        inquiries=tuple(
            pl.Inquiry(i.id, note_text(i), i.created_at)
            for i in lead.inquiries
            if i.crm_note_id is None
        ),
        has_deal=lead.crm_deal_id is not None,
        steps=tuple(
            pl.Inquiry(s.id, step_note(s), s.created_at, ref=pl.step_ref(s.id)) for s in steps
        ),
    )


def pending_steps(lead_ids: Iterable[int]) -> dict[int, list[IntroductionStep]]:
    """Return the introduction steps of these leads that are not in the CRM yet, per lead."""
    query = (
        select(IntroductionStep)
        .join(Introduction)
        .where(Introduction.lead_id.in_(list(lead_ids)), IntroductionStep.crm_note_id.is_(None))
        .options(selectinload(IntroductionStep.introduction))
        .order_by(IntroductionStep.id)
    )
    found: dict[int, list[IntroductionStep]] = {}
    for step in db.session.scalars(query):
        found.setdefault(step.introduction.lead_id, []).append(step)
    return found
