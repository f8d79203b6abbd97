"""The dashboard's numbers: pilot targets, funnel, breakdowns and response times."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from sqlalchemy import ColumnElement, distinct, func, select, true

from gateway.extensions import db
from leads.models import Inquiry, Lead, LeadCountry, Organisation, utcnow
from leads.staff.listing import overdue_condition
from leads.stages import CLOSED, PIPELINE, QUALIFIED_STAGES, Stage

# The pilot's targets: 120–180 qualified investor leads and at least one investment won.
QUALIFIED_TARGET = (120, 180)
INVESTMENT_TARGET = 1


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard shows for one scope (an organisation or the region)."""

    total: int
    qualified: int
    won: int
    overdue: int
    unassigned: int  # open leads without an owner (nobody was available)
    median_response_hours: float | None
    funnel: list[tuple[str, int]]
    by_country: list[tuple[str, int]]
    by_origin: list[tuple[str, int]]
    by_sector: list[tuple[str, int]]
    by_source: list[tuple[str, int]]
    by_roadshow: list[tuple[str, int]]
    qualified_target: tuple[int, int] = QUALIFIED_TARGET
    investment_target: int = INVESTMENT_TARGET


def _grouped(column, scope: ColumnElement[bool], *joins) -> list[tuple[str, int]]:
    query = select(column, func.count(distinct(Lead.id))).select_from(Lead)
    for target, on in joins:
        query = query.join(target, on)
    rows = db.session.execute(query.where(scope).group_by(column).order_by(column))
    return sorted(((value or "", count) for value, count in rows), key=lambda r: (-r[1], r[0]))


def scope_condition(organisation: Organisation | None) -> ColumnElement[bool]:
    """Return the SQL condition of the leads of an organisation, or of the whole region."""
    return true() if organisation is None else Lead.organisation_id == organisation.id


def build_dashboard(organisation: Organisation | None) -> Dashboard:
    """Compute the dashboard for an organisation, or for the region when None."""
    scope = scope_condition(organisation)
    now = utcnow()
    stage_counts = dict(
        db.session.execute(select(Lead.stage, func.count()).where(scope).group_by(Lead.stage)).all()
    )
    order = [*PIPELINE, Stage.LOST, Stage.DISQUALIFIED]
    funnel = [(stage.value, stage_counts.get(stage.value, 0)) for stage in order]
    responses = db.session.execute(
        select(Lead.created_at, Lead.first_response_at).where(
            scope, Lead.first_response_at.is_not(None)
        )
    ).all()
    hours = [(done - created).total_seconds() / 3600 for created, done in responses]
    return Dashboard(
        total=sum(stage_counts.values()),
        qualified=sum(stage_counts.get(s.value, 0) for s in QUALIFIED_STAGES),
        won=stage_counts.get(Stage.WON.value, 0),
        overdue=db.session.scalar(
            select(func.count()).select_from(Lead).where(scope, overdue_condition(now))
        )
        or 0,
        unassigned=db.session.scalar(
            select(func.count())
            .select_from(Lead)
            .where(
                scope,
                Lead.owner_id.is_(None),
                Lead.stage.not_in([s.value for s in CLOSED]),
                Lead.erased_at.is_(None),
            )
        )
        or 0,
        median_response_hours=round(statistics.median(hours), 1) if hours else None,
        funnel=funnel,
        by_country=_grouped(
            LeadCountry.country, scope, (LeadCountry, LeadCountry.lead_id == Lead.id)
        ),
        by_origin=_grouped(Lead.hq_country, scope),
        by_sector=_grouped(Lead.interest, scope),
        by_source=_grouped(Lead.source, scope),
        by_roadshow=[
            row
            for row in _grouped(Inquiry.event_slug, scope, (Inquiry, Inquiry.lead_id == Lead.id))
            if row[0]
        ],
    )
