"""Introductions to partners: what a request stores, and the steps a chapter records.

The rule that matters most: nothing about the investor passes to a partner before the investor's
consent to that (``SHARE_WITH_PARTNERS``) is on record and not withdrawn. ``partner_brief`` (the
text a chapter sends the partner) and the "introduced" step both refuse without it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from sqlalchemy import select

from core.countries import country_name
from core.extensions import db
from gateway.content.partners import PartnerDoc
from gateway.content_app import get_store
from leads.choices import INTRODUCTION, SHARE_WITH_PARTNERS
from leads.common.consent import granted_purposes
from leads.lifecycle import audit
from leads.lifecycle.audit import Action
from leads.models import ConsentRecord, Inquiry, Lead, StaffUser, utcnow
from leads.partners.models import OUTCOMES, Introduction, IntroductionStep, IntroStatus
from leads.queue import events

STEP_ACTIONS = {
    IntroStatus.INTRODUCED: Action.INTRODUCED,
    IntroStatus.MEETING_HELD: Action.INTRO_MEETING_HELD,
    IntroStatus.CONTRACT_SIGNED: Action.INTRO_CONTRACT_SIGNED,
    IntroStatus.NO_FIT: Action.INTRO_NO_FIT,
}
# What may follow what: a meeting after the introduction, an ending after either.
ALLOWED_FROM = {
    IntroStatus.INTRODUCED: (IntroStatus.REQUESTED,),
    IntroStatus.MEETING_HELD: (IntroStatus.INTRODUCED,),
    IntroStatus.CONTRACT_SIGNED: (IntroStatus.INTRODUCED, IntroStatus.MEETING_HELD),
    IntroStatus.NO_FIT: (IntroStatus.REQUESTED, IntroStatus.INTRODUCED, IntroStatus.MEETING_HELD),
}


class IntroductionError(ValueError):
    """A step that cannot be recorded; the message is for the staff member."""


class NoConsent(IntroductionError):
    """The investor has not agreed (or no longer agrees) to their details going to partners."""


@dataclass(frozen=True)
class Partner:
    """A listed partner as an introduction keeps it."""

    slug: str
    name: str
    kind: str
    country: str


def listed_partner(slug: str) -> Partner | None:
    """Return a partner of the directory by slug (None if it is not listed)."""
    entry = get_store().get("partners", slug)
    if entry is None:
        return None
    meta = cast(PartnerDoc, entry.meta)
    return Partner(slug, meta.name, meta.kind, meta.countries[0])


def listed_partners() -> list[Partner]:
    """Return every listed partner, by name."""
    return [p for e in get_store().all("partners") if (p := listed_partner(e.slug))]


def may_share(lead: Lead) -> bool:
    """Tell whether the investor's consent to pass their details to partners stands."""
    return SHARE_WITH_PARTNERS in granted_purposes(lead)


def requested_partners(slugs: list[str]) -> list[Partner]:
    """Return the listed partners among ``slugs`` (unknown ones are dropped), in order."""
    return [p for slug in dict.fromkeys(slugs) if (p := listed_partner(slug))]


def record_request(lead: Lead, inquiry: Inquiry, partners: list[Partner]) -> list[Introduction]:
    """Add one introduction per chosen partner not already asked for (in the capture's
    transaction); a partner asked for again keeps its row and status."""
    have = {intro.partner_slug for intro in introductions_of(lead)}
    added = []
    for partner in partners:
        if partner.slug in have:
            continue
        intro = Introduction(
            lead_id=lead.id,
            inquiry_id=inquiry.id,
            partner_slug=partner.slug,
            partner_name=partner.name[:200],
            partner_kind=partner.kind,
            partner_country=partner.country,
            status=IntroStatus.REQUESTED.value,
            created_at=inquiry.created_at,
            updated_at=inquiry.created_at,
        )
        added.append(intro)
    db.session.add_all(added)
    return added


def introductions_of(lead: Lead) -> list[Introduction]:
    """Return a lead's introductions, oldest first."""
    query = select(Introduction).where(Introduction.lead_id == lead.id).order_by(Introduction.id)
    return list(db.session.scalars(query))


def record_consent(lead: Lead, actor: StaffUser, channel: str) -> ConsentRecord:
    """Record that the investor agreed, by e-mail or phone, to their details going to partners."""
    if may_share(lead):
        raise IntroductionError("the investor's consent to share is already on record")
    grant = next((r for r in reversed(lead.consents) if r.granted), None)
    now = utcnow()
    record = ConsentRecord(
        purpose=SHARE_WITH_PARTNERS,
        granted=True,
        notice_version=grant.notice_version if grant else "missing",
        notice_hash=grant.notice_hash if grant else "",
        form="lead page",
        page="",
        method=f"recorded by staff: given by {channel}",
        created_at=now,
    )
    lead.consents.append(record)
    audit.record(lead, actor, Action.INTRO_CONSENT, to_value=SHARE_WITH_PARTNERS, reason=channel)
    return record


def record_step(
    lead: Lead,
    actor: StaffUser,
    partner: Partner,
    status: IntroStatus,
    on: dt.date,
) -> IntroductionStep:
    """Record one step of an introduction, audited and queued for the CRM (caller commits).

    "Introduced" needs the investor's consent to share; later steps need the introduction.
    A partner the investor did not name (the chapter's suggestion) gets its own introduction.
    """
    if status == IntroStatus.INTRODUCED and not may_share(lead):
        raise NoConsent(
            "the investor has not agreed to their details going to partners: "
            "ask them first and record their consent"
        )
    intro = next((i for i in introductions_of(lead) if i.partner_slug == partner.slug), None)
    if intro is None:
        intro = _suggested(lead, partner)
    if IntroStatus(intro.status) not in ALLOWED_FROM[status]:
        raise IntroductionError(
            f"cannot record '{status.value}' after '{intro.status}' for {partner.name}"
        )
    previous = intro.status
    intro.status = status.value
    if status == IntroStatus.INTRODUCED:
        intro.introduced_on = on
        intro.organisation_id = actor.organisation_id
    step = IntroductionStep(status=status.value, happened_on=on, actor_id=actor.id)
    intro.steps.append(step)
    lead.last_activity_at = utcnow()
    audit.record(
        lead, actor, STEP_ACTIONS[status], previous, status.value, f"{partner.name} ({on})"
    )
    db.session.flush()  # the step's id, for the outbox event
    events.enqueue_introduction_step(lead.id, step.id)
    return step


def _suggested(lead: Lead, partner: Partner) -> Introduction:
    intro = Introduction(
        lead_id=lead.id,
        partner_slug=partner.slug,
        partner_name=partner.name[:200],
        partner_kind=partner.kind,
        partner_country=partner.country,
        status=IntroStatus.REQUESTED.value,
    )
    db.session.add(intro)
    return intro


def partner_brief(lead: Lead) -> str:
    """Return what a chapter may pass to the partners: name, company and need, with consent only.

    Raises ``NoConsent`` when the investor has not agreed (or has withdrawn), so no caller can
    hand the investor's details to a partner by mistake.
    """
    if not may_share(lead):
        raise NoConsent("the investor has not agreed to their details going to partners")
    latest = next((i for i in reversed(lead.inquiries) if i.kind == INTRODUCTION), None)
    need = latest.message if latest is not None else ""
    countries = ", ".join(country_name(c) for c in (latest.countries if latest else []))
    lines = [f"Investor: {lead.full_name}", f"Company: {lead.company}"]
    if countries:
        lines.append(f"Countries: {countries}")
    lines += ["", "Need, in the investor's words:", need]
    return "\n".join(lines).strip()


def step_note(step: IntroductionStep) -> str:
    """Return the CRM note of one recorded step (no investor data: the contact holds that)."""
    intro = step.introduction
    label = step.status.replace("_", " ")
    return (
        f"Introduction to partners: {label}\n"
        f"Partner: {intro.partner_name} ({intro.partner_kind}, {intro.partner_country})\n"
        f"Date: {step.happened_on.isoformat()}"
    )


__all__ = [
    "OUTCOMES",
    "IntroductionError",
    "NoConsent",
    "Partner",
    "listed_partner",
    "listed_partners",
    "may_share",
    "partner_brief",
    "record_consent",
    "record_request",
    "record_step",
    "step_note",
]
