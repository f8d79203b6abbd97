"""Introductions to partners in a period: per organisation and partner kind, and their outcomes.

"Requested" counts the partners asked for in the period on the leads an organisation owns; the
steps (introduced, meeting held, contract signed, no fit) count what the organisation recorded
with a date in the period (a step recorded before anyone introduced counts for the lead's owner).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, fields

from sqlalchemy import select

from core.extensions import db
from leads.models import Lead
from leads.partners.models import Introduction, IntroductionStep, IntroStatus

STEPS = (
    IntroStatus.INTRODUCED,
    IntroStatus.MEETING_HELD,
    IntroStatus.CONTRACT_SIGNED,
    IntroStatus.NO_FIT,
)


@dataclass
class IntroCounts:
    """How many introductions were asked for, made, and how they ended."""

    requested: int = 0
    introduced: int = 0
    meeting_held: int = 0
    contract_signed: int = 0
    no_fit: int = 0

    def any(self) -> bool:
        """Tell whether anything was counted."""
        return any(getattr(self, f.name) for f in fields(self))


@dataclass
class OrganisationIntros:
    """One organisation's introductions: the total and per partner kind."""

    total: IntroCounts = field(default_factory=IntroCounts)
    by_kind: dict[str, IntroCounts] = field(default_factory=lambda: defaultdict(IntroCounts))

    def add(self, kind: str, what: str) -> None:
        """Count one request or step of a partner of ``kind``."""
        for counts in (self.total, self.by_kind[kind or "unknown"]):
            setattr(counts, what, getattr(counts, what) + 1)


def introduction_counts(
    organisation_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, OrganisationIntros]:
    """Return the introductions of each organisation between ``start`` and ``end`` (included)."""
    found: dict[int, OrganisationIntros] = defaultdict(OrganisationIntros)
    begin = dt.datetime.combine(start, dt.time())
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    requested = db.session.execute(
        select(Lead.organisation_id, Introduction.partner_kind)
        .join(Lead, Lead.id == Introduction.lead_id)
        .where(
            Lead.organisation_id.in_(organisation_ids),
            Introduction.inquiry_id.is_not(None),  # asked for by the investor
            Introduction.created_at >= begin,
            Introduction.created_at < until,
        )
    )
    for owner_id, kind in requested:
        if owner_id is not None:
            found[owner_id].add(kind, "requested")
    steps = db.session.execute(
        select(
            Introduction.organisation_id,
            Lead.organisation_id,
            Introduction.partner_kind,
            IntroductionStep.status,
        )
        .join(Introduction, Introduction.id == IntroductionStep.introduction_id)
        .join(Lead, Lead.id == Introduction.lead_id)
        .where(IntroductionStep.happened_on >= start, IntroductionStep.happened_on <= end)
    )
    for maker, owner, kind, status in steps:
        org_id = maker or owner
        if org_id is not None and org_id in organisation_ids and status in STEPS:
            found[org_id].add(kind, status)
    return found


__all__ = ["STEPS", "IntroCounts", "OrganisationIntros", "introduction_counts"]
