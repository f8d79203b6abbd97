"""The dashboard's numbers: pilot targets, funnel, breakdowns and response times."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, distinct, func, select, true

from core.extensions import db
from leads.common.overdue import overdue_condition
from leads.lifecycle.stages import CLOSED, PIPELINE, QUALIFIED_STAGES, Stage
from leads.models import Inquiry, Lead, LeadCountry, Organisation, utcnow

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
    hours = [
        (done - created).total_seconds() / 3600 for created, done in responses if done is not None
    ]
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


@dataclass(frozen=True)
class OutcomeReport:
    """Where we lose, to whom and why; what the investor weighs us against; what we won."""

    lost: int
    lost_by_country: list[tuple[str, int]]  # the lost leads' countries of interest
    lost_to: list[tuple[str, int]]  # the location chosen instead
    lost_reasons: list[tuple[str, int]]  # the close reason
    lost_to_and_why: list[tuple[str, str, int]]  # (location, reason, leads)
    rivals: list[tuple[str, int]]  # rival locations named during qualification
    won_jobs: int
    won_investment_eur: int
    to_complete: list[Lead]  # closed without their outcome (e.g. in HubSpot)


def build_outcomes(organisation: Organisation | None) -> OutcomeReport:
    """Compute the rivals and lost-to report for an organisation, or the region when None."""
    scope = scope_condition(organisation)
    lost = and_(scope, Lead.stage == Stage.LOST.value)
    pairs = db.session.execute(
        select(Lead.lost_to, Lead.close_reason, func.count())
        .where(lost)
        .group_by(Lead.lost_to, Lead.close_reason)
    ).all()
    rival_counts = Counter(
        rival
        for (rivals,) in db.session.execute(select(Lead.rivals).where(scope))
        for rival in rivals or []
    )
    won = db.session.execute(
        select(func.sum(Lead.jobs_planned), func.sum(Lead.investment_eur)).where(
            scope, Lead.stage == Stage.WON.value
        )
    ).one()
    return OutcomeReport(
        lost=sum(count for _to, _why, count in pairs),
        lost_by_country=_grouped(
            LeadCountry.country, lost, (LeadCountry, LeadCountry.lead_id == Lead.id)
        ),
        lost_to=_grouped(Lead.lost_to, lost),
        lost_reasons=_grouped(Lead.close_reason, lost),
        lost_to_and_why=sorted(
            ((to or "", why or "", count) for to, why, count in pairs), key=lambda r: (-r[2], r[0])
        ),
        rivals=sorted(rival_counts.items(), key=lambda r: (-r[1], r[0])),
        won_jobs=int(won[0] or 0),
        won_investment_eur=int(won[1] or 0),
        to_complete=list(
            db.session.scalars(
                select(Lead)
                .where(scope, Lead.outcome_to_complete.is_(True))
                .order_by(Lead.updated_at.desc())
                .limit(20)
            )
        ),
    )
