"""The impact report: what each organisation did for investors in a period.

Per organisation: leads received, shared with it, referred, qualified, meetings, won, jobs and
investment of the won projects, and the first-response median against the promise. Counts of
steps (qualified, meetings, won) are the leads that reached the step within the period, read
from the audit trail through ``timing``. The regional body and the brand team (and coordinators)
see every organisation side by side; everyone else sees their own.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, replace

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.extensions import db
from leads.common.access import sees_all
from leads.common.csvcell import safe_cell
from leads.followup import timing
from leads.followup.introductions import IntroCounts, OrganisationIntros, introduction_counts
from leads.followup.timing import Step
from leads.lifecycle.organisations import OrganisationKind
from leads.models import Lead, LeadOrganisation, Organisation, Referral, StaffUser

EARLIEST = dt.date(2020, 1, 1)  # no lead is older than the gateway
# Organisation kinds whose staff see every organisation's report side by side.
SIDE_BY_SIDE_KINDS = (OrganisationKind.REGIONAL, OrganisationKind.BRAND)


class PeriodError(ValueError):
    """A report period that cannot be reported on; the message says why, for the user."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Period:
    """The days a report covers, both included."""

    start: dt.date
    end: dt.date

    def contains(self, moment: dt.datetime | None) -> bool:
        """Tell whether a moment falls within the period."""
        return moment is not None and self.start <= moment.date() <= self.end

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Return the period as [start, end) datetimes."""
        start = dt.datetime.combine(self.start, dt.time())
        return start, dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time())


def parse_period(start: str | None, end: str | None, today: dt.date) -> Period:
    """Return the period asked for (default: this year so far) or raise PeriodError."""
    days = {}
    for field, value, default in (
        ("from", start, dt.date(today.year, 1, 1)),
        ("to", end, today),
    ):
        value = (value or "").strip()
        if not value:
            days[field] = default
            continue
        try:
            days[field] = dt.date.fromisoformat(value)
        except ValueError:
            raise PeriodError(
                field, str(_l("Enter a date as YYYY-MM-DD, e.g. 2026-01-31."))
            ) from None
    if days["from"] < EARLIEST:
        raise PeriodError(
            "from", str(_l("Reports start on %(day)s at the earliest.", day=EARLIEST.isoformat()))
        )
    if days["to"] > today:
        raise PeriodError("to", str(_l("The period cannot end after today.")))
    if days["from"] > days["to"]:
        raise PeriodError("from", str(_l("The start must be on or before the end.")))
    return Period(days["from"], days["to"])


@dataclass(frozen=True)
class ImpactRow:
    """One organisation's figures for a period (None: not recorded)."""

    organisation: Organisation
    received: int
    shared: int
    referred: int
    qualified: int
    meetings: int
    won: int
    jobs: int | None
    investment_eur: int | None
    median_response_days: float | None
    answered: int
    within_promise: int
    introductions: OrganisationIntros = dataclasses.field(default_factory=OrganisationIntros)


COLUMNS = (
    ("organisation", _l("Organisation")),
    ("received", _l("Leads received")),
    ("shared", _l("Shared with it")),
    ("referred", _l("Referred")),
    ("qualified", _l("Qualified")),
    ("meetings", _l("Meetings")),
    ("won", _l("Won")),
    ("jobs", _l("Jobs")),
    ("investment_eur", _l("Investment (EUR)")),
    ("median_response_days", _l("Median first response (working days)")),
    ("within_promise", _l("Answered within the promise")),
    ("intro_requested", _l("Introductions requested")),
    ("intro_introduced", _l("Introductions made")),
    ("intro_meeting_held", _l("Meetings with partners")),
    ("intro_contract_signed", _l("Contracts with partners")),
    ("intro_no_fit", _l("No fit with partners")),
)
INTRO_PREFIX = "intro_"


def visible_organisations(user: StaffUser) -> list[Organisation]:
    """Return the organisations whose report a user may see (all, or their own)."""
    if sees_all(user) or user.organisation.kind in SIDE_BY_SIDE_KINDS:
        return list(
            db.session.scalars(select(Organisation).order_by(Organisation.kind, Organisation.name))
        )
    return [user.organisation]


def _total(values) -> int | None:
    """Return the sum of the recorded values (None when none was recorded)."""
    recorded = [v for v in values if v is not None]
    return sum(recorded) if recorded else None


def impact_row(organisation: Organisation, period: Period) -> ImpactRow:
    """Compute one organisation's figures for a period."""
    leads = list(
        db.session.scalars(
            select(Lead)
            .where(Lead.organisation_id == organisation.id)
            .options(selectinload(Lead.countries))
        )
    )
    timings = timing.lead_timings(leads)
    start, end = period.bounds
    shared = db.session.scalar(
        select(func.count())
        .select_from(LeadOrganisation)
        .where(
            LeadOrganisation.organisation_id == organisation.id,
            LeadOrganisation.created_at >= start,
            LeadOrganisation.created_at < end,
        )
    )
    referred = db.session.scalar(
        select(func.count())
        .select_from(Referral)
        .where(
            Referral.from_organisation_id == organisation.id,
            Referral.created_at >= start,
            Referral.created_at < end,
        )
    )
    won_ids = {t.lead_id for t in timings if period.contains(t.won_at)}
    won = [lead for lead in leads if lead.id in won_ids]
    received = [t for t in timings if period.contains(t.steps[Step.RECEIVED])]
    replies = [d for t in received if (d := t.working_days(Step.FIRST_RESPONSE)) is not None]
    promise = current_app.config["RESPONSE_WORKING_DAYS"]
    return ImpactRow(
        organisation=organisation,
        received=len(received),
        shared=shared or 0,
        referred=referred or 0,
        qualified=sum(1 for t in timings if period.contains(t.steps.get(Step.QUALIFIED))),
        meetings=sum(1 for t in timings if period.contains(t.steps.get(Step.FIRST_MEETING))),
        won=len(won),
        jobs=_total(lead.jobs_planned for lead in won),
        investment_eur=_total(lead.investment_eur for lead in won),
        median_response_days=round(statistics.median(replies), 1) if replies else None,
        answered=len(replies),
        within_promise=sum(1 for d in replies if d <= promise),
    )


def impact_report(organisations: list[Organisation], period: Period) -> list[ImpactRow]:
    """Compute the figures of each organisation for a period, with its introductions."""
    intros = introduction_counts([o.id for o in organisations], period.start, period.end)
    return [
        replace(impact_row(o, period), introductions=intros.get(o.id, OrganisationIntros()))
        for o in organisations
    ]


def cell(row: ImpactRow, column: str) -> object:
    """Return one column of a row as shown and exported ("" when not recorded)."""
    if column == "organisation":
        return row.organisation.name
    if column == "within_promise":
        return f"{row.within_promise}/{row.answered}" if row.answered else ""
    if column.startswith(INTRO_PREFIX):
        return getattr(row.introductions.total, column.removeprefix(INTRO_PREFIX))
    value = getattr(row, column)
    return "" if value is None else value


def kind_rows(rows: list[ImpactRow]) -> list[tuple[ImpactRow, str, IntroCounts]]:
    """Return (organisation row, partner kind, counts) for every kind an organisation counted."""
    return [
        (row, kind, counts)
        for row in rows
        for kind, counts in sorted(row.introductions.by_kind.items())
        if counts.any()
    ]


def export_csv(rows: list[ImpactRow], period: Period) -> Iterator[str]:
    """Yield the report as CSV lines (formula-safe), with the period in the first columns.

    Each organisation's row (``partner_kind`` empty) is followed, after all of them, by one row
    per organisation and partner kind with only the introduction columns filled.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    names = [c for c, _ in COLUMNS]
    writer.writerow(["period_start", "period_end", "organisation_slug", *names, "partner_kind"])
    for row in rows:
        values = [cell(row, column) for column in names]
        writer.writerow(
            [safe_cell(v) for v in (period.start, period.end, row.organisation.slug, *values, "")]
        )
    for row, kind, counts in kind_rows(rows):
        values = [
            getattr(counts, c.removeprefix(INTRO_PREFIX)) if c.startswith(INTRO_PREFIX) else ""
            for c in names
        ]
        values[0] = row.organisation.name
        head = (period.start, period.end, row.organisation.slug)
        writer.writerow([safe_cell(v) for v in (*head, *values, kind)])
    yield buffer.getvalue()
