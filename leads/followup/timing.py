"""Service timing: when each lead reached each step, read from the lead and its audit trail.

Nothing here is stored twice: received is the lead's creation, the first personal response is
``Lead.first_response_at``, and every other step is the first audit line that reached it.
Medians are in working days (Monday to Friday), the unit of the reply promise
(``RESPONSE_WORKING_DAYS``).
"""

from __future__ import annotations

import datetime as dt
import logging
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.extensions import db
from leads.lifecycle.audit import Action
from leads.lifecycle.outcomes import DATE_MAX, DATE_MIN, date_in_range
from leads.lifecycle.qualification import WEEKEND
from leads.lifecycle.stages import Stage
from leads.models import AuditEntry, Lead, Note

log = logging.getLogger(__name__)

# Aftercare check-ins after an investment lands (months), in the owner's digest.
AFTERCARE_MONTHS = (3, 12)


class Step(StrEnum):
    """The steps of a lead's service, in order."""

    RECEIVED = "received"
    OWNER_ASSIGNED = "owner_assigned"
    FIRST_RESPONSE = "first_response"
    QUALIFIED = "qualified"
    FIRST_MEETING = "first_meeting"
    SITE_VISIT = "site_visit"
    CLOSED = "closed"  # won or lost
    AFTERCARE = "aftercare"


STEP_LABELS = {
    Step.RECEIVED: _l("Received"),
    Step.OWNER_ASSIGNED: _l("Owner assigned"),
    Step.FIRST_RESPONSE: _l("First personal response"),
    Step.QUALIFIED: _l("Qualified"),
    Step.FIRST_MEETING: _l("First meeting"),
    Step.SITE_VISIT: _l("Site visit"),
    Step.CLOSED: _l("Won or lost"),
    Step.AFTERCARE: _l("Aftercare"),
}
# A stage reached means every earlier step of the pipeline was reached too (a lead moved
# straight to "meeting" was qualified then).
STAGE_STEPS = {
    Stage.QUALIFIED.value: (Step.QUALIFIED,),
    Stage.MEETING.value: (Step.QUALIFIED, Step.FIRST_MEETING),
    Stage.SITE_VISIT.value: (Step.QUALIFIED, Step.FIRST_MEETING, Step.SITE_VISIT),
    Stage.WON.value: (Step.QUALIFIED, Step.CLOSED),
    Stage.LOST.value: (Step.CLOSED,),
    Stage.DISQUALIFIED.value: (Step.CLOSED,),
}
OWNER_ACTIONS = (Action.OWNER.value, Action.OWNER_AUTO.value)


def working_days_between(start: dt.datetime, end: dt.datetime) -> float:
    """Return the working days (Monday to Friday, fractions included) from start to end."""
    if end <= start:
        return 0.0
    total = 0.0
    moment = start
    while moment < end:
        next_midnight = dt.datetime.combine(moment.date() + dt.timedelta(days=1), dt.time())
        stop = min(next_midnight, end)
        if moment.weekday() not in WEEKEND:
            total += (stop - moment).total_seconds() / 86400
        moment = stop
    return total


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day ``months`` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


@dataclass
class LeadTiming:
    """When one lead reached each step (None: not yet)."""

    lead_id: int
    organisation_id: int | None
    countries: list[str]
    steps: dict[Step, dt.datetime] = field(default_factory=dict)
    won_at: dt.datetime | None = None
    land_date: dt.date | None = None  # the outcome's land date, when recorded
    land_date_unusable: bool = False  # a stored land date outside DATE_MIN..DATE_MAX

    def working_days(self, step: Step) -> float | None:
        """Return the working days from receipt to a step, or None if not reached."""
        reached = self.steps.get(step)
        if reached is None:
            return None
        return working_days_between(self.steps[Step.RECEIVED], reached)


def landed_on(timing: LeadTiming) -> dt.date | None:
    """Return the day a won investment landed: the outcome's land date, else the day it was won."""
    if timing.won_at is None or timing.land_date_unusable:
        return None
    return timing.land_date or timing.won_at.date()


def aftercare_due(landed: dt.date) -> list[tuple[int, dt.date]]:
    """Return the aftercare check-ins of an investment: (months, day due)."""
    return [(months, add_months(landed, months)) for months in AFTERCARE_MONTHS]


def _stored_land_date(lead: Lead) -> tuple[dt.date | None, bool]:
    """Return a lead's land date and whether it is unusable (outside the range, logged)."""
    day = lead.land_date
    if day is None or date_in_range(day):
        return day, False
    # The lead id and the date only: no personal data in the log.
    log.warning(
        "lead %s: stored land date %s is outside %s..%s; its aftercare is not computed",
        lead.id,
        day,
        DATE_MIN,
        DATE_MAX,
    )
    return None, True


def _first_steps(lead: Lead) -> LeadTiming:
    """Return a lead's timing from its own row: received, first response, land date."""
    land_date, unusable = _stored_land_date(lead)
    timing = LeadTiming(
        lead.id,
        lead.organisation_id,
        lead.country_slugs,
        {Step.RECEIVED: lead.created_at},
        land_date=land_date,
        land_date_unusable=unusable,
    )
    if lead.first_response_at is not None:
        timing.steps[Step.FIRST_RESPONSE] = lead.first_response_at
    return timing


def lead_timings(leads: Iterable[Lead]) -> list[LeadTiming]:
    """Return the timing of each lead (two queries, whatever the number of leads).

    A land date stored outside the range (written before it was checked, or straight to the
    table) is logged and left out of that lead's aftercare; every other lead is timed as usual.
    """
    timings = {lead.id: _first_steps(lead) for lead in leads}
    ids = list(timings)
    if not ids:
        return []
    entries = db.session.execute(
        select(
            AuditEntry.lead_id,
            AuditEntry.action,
            AuditEntry.to_value,
            AuditEntry.created_at,
            AuditEntry.actor_id,
        )
        .where(AuditEntry.lead_id.in_(ids))
        .order_by(AuditEntry.created_at, AuditEntry.id)
    ).all()
    staff_activity: dict[int, list[dt.datetime]] = defaultdict(list)
    for lead_id, action, to_value, at, actor_id in entries:
        if lead_id is None:  # never: the lines are selected by lead
            continue
        _record_step(timings[lead_id], action, to_value, at)
        if actor_id is not None:
            staff_activity[lead_id].append(at)
    notes = db.session.execute(
        select(Note.lead_id, Note.created_at).where(
            Note.lead_id.in_(ids), Note.author_id.is_not(None)
        )
    ).all()
    for lead_id, at in notes:
        staff_activity[lead_id].append(at)
    for timing in timings.values():
        reached = _aftercare_reached(timing, staff_activity[timing.lead_id])
        if reached is not None:
            timing.steps[Step.AFTERCARE] = reached
    return list(timings.values())


def _record_step(timing: LeadTiming, action: str, to_value: str | None, at: dt.datetime) -> None:
    """Note the step one audit line shows a lead reaching (the first time counts)."""
    if action in OWNER_ACTIONS and to_value:
        timing.steps.setdefault(Step.OWNER_ASSIGNED, at)
    elif action == Action.STAGE.value:
        for step in STAGE_STEPS.get(to_value or "", ()):
            timing.steps.setdefault(step, at)
        if to_value == Stage.WON.value:
            timing.won_at = at


def _aftercare_reached(timing: LeadTiming, activity: list[dt.datetime]) -> dt.datetime | None:
    """Return the first staff activity once the first aftercare check-in was due, if any."""
    landed = landed_on(timing)
    if landed is None:
        return None
    first_due = dt.datetime.combine(aftercare_due(landed)[0][1], dt.time())
    return min((at for at in activity if at >= first_due), default=None)


@dataclass(frozen=True)
class TimingRow:
    """Median working days from receipt to each step, for one group of leads."""

    label: str
    leads: int
    medians: dict[Step, float | None]
    answered: int  # leads with a first personal response
    within_promise: int  # ... of which within RESPONSE_WORKING_DAYS

    @property
    def within_share(self) -> int | None:
        """Return the percentage of answered leads answered within the promise."""
        return round(100 * self.within_promise / self.answered) if self.answered else None


def timing_row(label: str, timings: list[LeadTiming], promise_days: int) -> TimingRow:
    """Summarise a group of lead timings: medians per step and the reply promise kept."""
    medians: dict[Step, float | None] = {}
    for step in Step:
        if step is Step.RECEIVED:
            continue
        values = [d for t in timings if (d := t.working_days(step)) is not None]
        medians[step] = round(statistics.median(values), 1) if values else None
    replies = [d for t in timings if (d := t.working_days(Step.FIRST_RESPONSE)) is not None]
    return TimingRow(
        label=label,
        leads=len(timings),
        medians=medians,
        answered=len(replies),
        within_promise=sum(1 for d in replies if d <= promise_days),
    )


def grouped_rows(
    timings: list[LeadTiming], key, labels: dict, promise_days: int
) -> list[TimingRow]:
    """Return one timing row per group (``key`` maps a timing to its group keys)."""
    groups: dict[object, list[LeadTiming]] = defaultdict(list)
    for timing in timings:
        for group in key(timing):
            groups[group].append(timing)
    rows = [timing_row(str(labels.get(g, g)), items, promise_days) for g, items in groups.items()]
    return sorted(rows, key=lambda r: (-r.leads, r.label))


@dataclass(frozen=True)
class TimingReport:
    """Service timing medians of a scope: all its leads, by organisation and by country."""

    overall: TimingRow
    by_organisation: list[TimingRow]
    by_country: list[TimingRow]
    promise_days: int


def timing_report(
    leads: list[Lead], organisation_names: dict, country_label, promise_days: int
) -> TimingReport:
    """Compute the timing medians of some leads, overall, per organisation and per country."""
    timings = lead_timings(leads)
    countries = {c: country_label(c) for t in timings for c in t.countries}
    return TimingReport(
        overall=timing_row("", timings, promise_days),
        by_organisation=grouped_rows(
            timings, lambda t: [t.organisation_id], organisation_names, promise_days
        ),
        by_country=grouped_rows(timings, lambda t: t.countries, countries, promise_days),
        promise_days=promise_days,
    )
