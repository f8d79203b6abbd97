"""The lead list: filters, search, sorting, pagination and the CSV export of the same list."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from core.extensions import db
from leads.common.access import (
    export_condition,
    lead_visibility,
    owned_condition,
    sees_all,
    shared_condition,
)
from leads.common.csvcell import safe_cell
from leads.common.overdue import overdue_condition
from leads.lifecycle.organisations import KINDS
from leads.models import Inquiry, Lead, LeadCountry, Organisation, StaffUser, utcnow

PER_PAGE = 50
SORT_COLUMNS = {
    "created": (Lead.created_at,),
    "score": (Lead.score,),
    "due": (Lead.response_due_at,),
    "name": (Lead.full_name,),
    "company": (Lead.company,),
    "stage": (Lead.stage,),
}


@dataclass
class LeadFilters:
    """What the lead list is narrowed to (every field optional)."""

    q: str = ""
    stage: str = ""
    country: str = ""
    sector: str = ""
    source: str = ""
    campaign: str = ""
    score_min: int | None = None
    score_max: int | None = None
    organisation: str = ""  # an organisation slug
    owner: str = ""  # a staff user id, or "none"
    relation: str = ""  # "owned" by the user's organisation, or "shared" with it
    created_from: dt.date | None = None
    created_to: dt.date | None = None
    overdue: bool = False
    high_value: bool = False
    sort: str = "-created"


def filtered_query(user, filters: LeadFilters, now: dt.datetime | None = None) -> Select:
    """Return the select of the leads a user may see, narrowed by the filters (unordered)."""
    now = now or utcnow()
    query = select(Lead).where(lead_visibility(user))
    for condition in (
        *_lead_conditions(filters),
        *_handling_conditions(user, filters),
        *_date_and_flag_conditions(filters, now),
    ):
        query = query.where(condition)
    return query


def _lead_conditions(filters: LeadFilters) -> Iterator[ColumnElement[bool]]:
    """Yield the conditions on the lead itself: search, stage, countries, sector, source."""
    if filters.q:
        pattern = f"%{filters.q.strip().lower()}%"
        yield or_(
            func.lower(Lead.full_name).like(pattern),
            func.lower(Lead.company).like(pattern),
            func.lower(Lead.email).like(pattern),
        )
    if filters.stage:
        yield Lead.stage == filters.stage
    if filters.country:
        yield exists().where(LeadCountry.lead_id == Lead.id, LeadCountry.country == filters.country)
    if filters.sector:
        yield Lead.interest == filters.sector
    if filters.source:
        yield Lead.source == filters.source
    if filters.campaign:
        campaign = filters.campaign.strip()
        yield or_(
            Lead.campaign == campaign,
            exists().where(
                Inquiry.lead_id == Lead.id,
                or_(Inquiry.utm_campaign == campaign, Inquiry.event_slug == campaign),
            ),
        )


def _handling_conditions(user, filters: LeadFilters) -> Iterator[ColumnElement[bool]]:
    """Yield the conditions on how the lead is handled: score, organisation, relation, owner."""
    if filters.score_min is not None:
        yield Lead.score >= filters.score_min
    if filters.score_max is not None:
        yield Lead.score <= filters.score_max
    if filters.organisation:
        yield Lead.organisation_id.in_(
            select(Organisation.id).where(Organisation.slug == filters.organisation)
        )
    if filters.relation == "owned":
        yield owned_condition(user)
    elif filters.relation == "shared":
        yield shared_condition(user)
    if filters.owner == "none":
        yield Lead.owner_id.is_(None)
    elif filters.owner.isdigit():
        yield Lead.owner_id == int(filters.owner)


def _date_and_flag_conditions(
    filters: LeadFilters, now: dt.datetime
) -> Iterator[ColumnElement[bool]]:
    """Yield the conditions on the dates received, overdue first responses and high value."""
    if filters.created_from:
        yield Lead.created_at >= dt.datetime.combine(filters.created_from, dt.time())
    if filters.created_to:
        yield Lead.created_at < dt.datetime.combine(
            filters.created_to + dt.timedelta(days=1), dt.time()
        )
    if filters.overdue:
        yield overdue_condition(now)
    if filters.high_value:
        yield Lead.high_value.is_(True)


def ordered(query: Select, sort: str) -> Select:
    """Apply a whitelisted sort key (``-`` for descending), newest first by default."""
    descending = sort.startswith("-")
    columns = SORT_COLUMNS.get(sort.lstrip("-"), SORT_COLUMNS["created"])
    if sort.lstrip("-") not in SORT_COLUMNS:
        descending = True
    order = [c.desc() if descending else c.asc() for c in columns]
    return query.order_by(*order, Lead.id.desc() if descending else Lead.id.asc())


def with_list_relations(query: Select) -> Select:
    """Load what the list shows in a fixed number of queries (no N+1)."""
    return query.options(
        joinedload(Lead.organisation),
        joinedload(Lead.owner),
        selectinload(Lead.countries),
    )


@dataclass(frozen=True)
class Page:
    """One page of the lead list."""

    items: list[Lead]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Return how many pages there are (at least one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        """Tell whether there is a previous page."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Tell whether there is a next page."""
        return self.page < self.pages


def lead_page(user, filters: LeadFilters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Return one page of the filtered, sorted lead list."""
    query = filtered_query(user, filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = min(max(1, page), max(1, -(-total // per_page)))  # past the end: the last page
    items = db.session.scalars(
        with_list_relations(ordered(query, filters.sort))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).unique()
    return Page(list(items), total, page, per_page)


def page_number(value: str | None) -> int:
    """Read the ``page`` query parameter: ASCII digits only, anything else is page 1."""
    if value and value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    return 1


CSV_COLUMNS = (
    "id",
    "created_at",
    "full_name",
    "email",
    "company",
    "job_title",
    "hq_country",
    "countries",
    "sector",
    "source",
    "campaign",
    "stage",
    "close_reason",
    "score",
    "high_value",
    "organisation",
    "owner",
    "response_due_at",
    "first_response_at",
)


def csv_row(lead: Lead) -> list[object]:
    """Return a lead as a CSV row (formula-safe)."""
    values = [
        lead.id,
        lead.created_at.isoformat(timespec="minutes") if lead.created_at else "",
        lead.full_name,
        lead.email or "",
        lead.company,
        lead.job_title,
        lead.hq_country,
        " ".join(lead.country_slugs),
        lead.interest,
        lead.source,
        lead.campaign,
        lead.stage,
        lead.close_reason or "",
        lead.score,
        "yes" if lead.high_value else "",
        lead.organisation.slug if lead.organisation else "",
        lead.owner.email if lead.owner else "",
        lead.response_due_at.isoformat(timespec="minutes") if lead.response_due_at else "",
        lead.first_response_at.isoformat(timespec="minutes") if lead.first_response_at else "",
    ]
    return [safe_cell(v) for v in values]


def export_csv(user, filters: LeadFilters, batch: int = 500) -> Iterator[str]:
    """Yield the filtered list as CSV text, a batch of rows at a time.

    Only leads the user's organisation owns are exported: shared leads are read on screen only.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    query = filtered_query(user, filters).where(export_condition(user))
    query = with_list_relations(ordered(query, filters.sort))
    offset = 0
    while True:
        leads = list(db.session.scalars(query.limit(batch).offset(offset)).unique())
        for lead in leads:
            writer.writerow(csv_row(lead))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if len(leads) < batch:
            return
        offset += batch


def owner_choices(user) -> list[tuple[str, str]]:
    """Return the staff users a user may filter by owner."""
    query = select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.email)
    if not sees_all(user):
        query = query.where(StaffUser.organisation_id == user.organisation_id)
    return [(str(u.id), u.email) for u in db.session.scalars(query)]


def organisation_choices(kinds: Iterable[str] = KINDS):
    """Return the organisations leads may be routed to, as (id, slug, name)."""
    query = select(Organisation).where(Organisation.kind.in_(list(kinds)))
    return list(db.session.scalars(query.order_by(Organisation.slug)))
