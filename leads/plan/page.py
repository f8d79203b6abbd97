"""What the investor's plan page shows: gathered from the lead, the content and what staff wrote.

Only what the investor gave (their countries, estimate, messages) or staff wrote for them (the
next steps agreed, the meeting) and public content (figures, fact sheets) is shown: no score,
no notes, no stage names of the staff area. Pieces other features provide (confirmed roadshow
meetings, partner introductions, adviser languages and photo) appear when their tables and
fields exist, and are left out otherwise.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_location
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.countries import is_country
from core.extensions import db
from gateway.content.figures import format_eur, format_figure
from gateway.content.schemas import EventDoc
from gateway.content.urls import content_path, localise_path
from gateway.content_app import get_store
from gateway.costs import figures, method, present
from gateway.costs.form import MIX_LABELS, query_of
from gateway.public.labels import ALL_LABELS
from leads.capture.estimate import ORIGINAL_KEY, stored_scenario
from leads.models import Lead, OutboxEvent
from leads.plan.ics import PlanMeeting
from leads.plan.models import PlanMessage, PlanStep
from leads.plan.status import StatusView, status_of, status_view
from leads.queue import outbox
from leads.queue.events import Channel, Kind

# The business-case figures compared side by side: a section of a country's front matter and a
# key in it (the site's label keys). A figure a country does not publish shows "—" and why.
COMPARED = (
    ("facts", "population"),
    ("facts", "ict_workforce"),
    ("facts", "ict_companies"),
    ("facts", "sector_revenue"),
    ("labour", "average_gross_wage_ict"),
    ("labour", "average_gross_wage"),
    ("labour", "minimum_wage"),
    ("tax", "corporate_income_tax"),
    ("tax", "vat"),
)


@dataclass(frozen=True)
class Cell:
    """One figure of one country: as shown, with its source and period ("—" when none)."""

    shown: str
    source: str = ""
    period: str = ""


@dataclass(frozen=True)
class CountryColumn:
    """A chosen country: its name and the public links of its profile and fact sheet."""

    slug: str
    name: str
    profile_url: str
    fact_sheet_url: str


@dataclass(frozen=True)
class Comparison:
    """The investor's countries side by side: columns, and one row of cells per figure."""

    countries: list[CountryColumn]
    rows: list[tuple[str, list[Cell]]]


@dataclass(frozen=True)
class EstimateRow:
    """One country or baseline of the saved estimate: today's cost and the one first given."""

    name: str
    baseline: bool
    today: str
    original: str
    why: str


@dataclass(frozen=True)
class SavedEstimate:
    """The investor's saved scenario, estimated on today's figures beside the original."""

    team: int
    mix: str
    asked_on: dt.date
    rows: list[EstimateRow]
    original_kept: bool
    link: str


@dataclass(frozen=True)
class Adviser:
    """The lead's owner as the investor sees them."""

    name: str
    title: str
    organisation: str
    languages: list[str]
    photo: str


@dataclass(frozen=True)
class Document:
    """A mail with documents the investor was sent, and the documents' links."""

    kind: str
    sent_on: dt.date
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class MeetingRequest:
    """A roadshow meeting the investor asked for (not yet given a time)."""

    title: str
    starts: dt.date
    ends: dt.date


@dataclass(frozen=True)
class Plan:
    """Everything the plan page shows (its template variables)."""

    lang: str
    company: str
    full_name: str
    status: StatusView
    comparison: Comparison
    estimate: SavedEstimate | None
    adviser: Adviser | None
    steps: list[PlanStep]
    meeting: PlanMeeting | None
    meeting_request: MeetingRequest | None
    documents: list[Document]
    introductions: list[tuple[str, str]]
    messages: list[PlanMessage]


def site_link(path: str, lang: str) -> str:
    """Return a public-site link in ``lang``: plain, nothing about the investor in it."""
    return f"{current_app.config['SITE_URL']}{localise_path(path, lang)}"


def chosen_countries(lead: Lead) -> list[str]:
    """Return the investor's countries of interest (slugs of the six, in their order)."""
    return [slug for slug in lead.country_slugs if is_country(slug)]


def comparison(slugs: list[str], lang: str) -> Comparison:
    """Return the business-case figures of the countries side by side ("—" where none)."""
    store = get_store()
    metas, columns = [], []
    for slug in slugs:
        entry = store.get("countries", slug, lang)
        if entry is None:
            continue
        path = content_path("countries", slug)
        metas.append(entry.meta)
        columns.append(
            CountryColumn(
                slug,
                entry.meta.title,
                site_link(path, lang),
                site_link(f"{path}fact-sheet.pdf", lang),
            )
        )
    rows = []
    for section, key in COMPARED:
        cells = [_cell(meta, section, key, lang) for meta in metas]
        if any(cell.source for cell in cells):
            label = str(ALL_LABELS.get(key) or key.replace("_", " ").capitalize())
            rows.append((label, cells))
    return Comparison(columns, rows)


def _cell(meta, section: str, key: str, lang: str) -> Cell:
    figure = getattr(getattr(meta, section, None), key, None)
    if figure is None or figure.example or (figure.value is None and not figure.none):
        return Cell("—")
    shown = format_figure(figure, lang)
    in_eur = format_eur(figure, getattr(meta, "exchange_rate", None), lang)
    shown = f"{shown} ({in_eur})" if in_eur else shown
    return Cell(shown, figure.source or "", figure.period or "")


def saved_estimate(lead: Lead, lang: str) -> SavedEstimate | None:
    """Return the latest estimate the investor asked for, on today's figures and as first given."""
    inquiry = next((i for i in reversed(lead.inquiries) if i.kind == "estimate"), None)
    scenario = stored_scenario(inquiry) if inquiry is not None else None
    if inquiry is None or scenario is None:
        return None
    inputs = figures.inputs_by_slug()
    today = present.rows(method.estimate(inputs, scenario), inputs, lang)
    original = (inquiry.answers or {}).get(ORIGINAL_KEY) or {}
    costs = original.get("team_cost") or {}
    rows = [
        EstimateRow(
            row.name,
            row.baseline,
            row.team_cost,
            present.money(costs.get(row.slug), lang) if row.slug in costs else "—",
            row.why,
        )
        for row in today
    ]
    link = site_link("/costs/", lang) + "?" + urlencode(query_of(scenario))
    return SavedEstimate(
        scenario["team"],
        str(MIX_LABELS[scenario["mix"]]),
        inquiry.created_at.date(),
        rows,
        bool(costs),
        link,
    )


def language_names(codes: str, lang: str) -> list[str]:
    """Return the names, in ``lang``, of a profile's languages ("de,en")."""
    names = Locale.parse(lang).languages
    return [names.get(code.strip(), code.strip()) for code in codes.split(",") if code.strip()]


def adviser(lead: Lead, lang: str) -> Adviser | None:
    """Return the lead's owner as their profile presents them (None before one is assigned)."""
    owner = lead.owner
    if owner is None or not owner.active or not owner.display_name:
        return None
    photo = str(getattr(owner, "photo", "") or "")
    return Adviser(
        owner.display_name,
        owner.job_title,
        lead.organisation.name if lead.organisation else "",
        language_names(str(getattr(owner, "languages", "") or ""), lang),
        photo.removeprefix("static/"),
    )


def other_feature_model(module: str, name: str) -> Any:
    """Return a model another feature defines, or None where that feature is not installed."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def meeting_from(row: Any, title: str, city: str) -> PlanMeeting | None:
    """Return a confirmed meeting (start stored in UTC, with its time zone) as the plan shows it."""
    if row.starts_at is None or not row.time_zone:
        return None
    try:
        zone = ZoneInfo(row.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    starts = row.starts_at.replace(tzinfo=dt.UTC).astimezone(zone)
    location = ", ".join(part for part in (row.venue or "", city) if part)
    return PlanMeeting(row.uid, title, starts, row.duration or 45, location, row.time_zone)


def confirmed_meeting(lead: Lead, lang: str) -> PlanMeeting | None:
    """Return the lead's confirmed roadshow meeting, where meetings are confirmed here."""
    model = other_feature_model("leads.notify.models", "Meeting")
    if model is None:
        return None
    row = db.session.scalars(
        select(model)
        .where(model.lead_id == lead.id, model.status == "confirmed")
        .order_by(model.id.desc())
    ).first()
    if row is None:
        return None
    entry = get_store().get("events", row.event_slug, lang)
    if entry is None:
        return meeting_from(row, row.event_slug, "")
    event = cast(EventDoc, entry.meta)
    return meeting_from(row, event.title, event.city)


def meeting_request(lead: Lead, lang: str) -> MeetingRequest | None:
    """Return the roadshow the investor last asked to meet us at (if it is still listed)."""
    inquiry = next((i for i in reversed(lead.inquiries) if i.kind == "meeting"), None)
    if inquiry is None or not inquiry.event_slug:
        return None
    entry = get_store().get("events", inquiry.event_slug, lang)
    if entry is None:
        return None
    event = cast(EventDoc, entry.meta)
    return MeetingRequest(event.title, event.starts, event.ends)


DOCUMENT_MAILS = (Kind.ACKNOWLEDGEMENT, Kind.ESTIMATE_DELIVERY, Kind.REPORT_DELIVERY)
DOCUMENT_LABELS = {
    Kind.ACKNOWLEDGEMENT.value: _l("Our first reply, with your countries' key figures"),
    Kind.ESTIMATE_DELIVERY.value: _l("Your cost estimate with its sources"),
    Kind.REPORT_DELIVERY.value: _l("The Western Balkans BPO Regional Report"),
}
# What an introduction's status means to the investor (the partners feature's status values).
INTRODUCTION_LABELS = {
    "requested": _l("asked for"),
    "introduced": _l("introduction made"),
    "meeting_held": _l("meeting held"),
    "contract_signed": _l("contract signed"),
    "no_fit": _l("not a fit"),
}


def documents(lead: Lead, columns: list[CountryColumn]) -> list[Document]:
    """Return the mails with documents sent to the investor (the first reply's fact sheets)."""
    sent = db.session.scalars(
        select(OutboxEvent)
        .where(
            OutboxEvent.lead_id == lead.id,
            OutboxEvent.channel == Channel.MAIL,
            OutboxEvent.kind.in_([str(kind) for kind in DOCUMENT_MAILS]),
            OutboxEvent.status == outbox.DONE,
        )
        .order_by(OutboxEvent.id)
    )
    found = []
    for event in sent:
        links = []
        if event.kind == Kind.ACKNOWLEDGEMENT:
            links = [(column.name, column.fact_sheet_url) for column in columns]
        found.append(Document(event.kind, (event.done_at or event.created_at).date(), links))
    return found


def introductions(lead: Lead) -> list[tuple[str, str]]:
    """Return the partner introductions the investor asked for: (partner, status)."""
    model = other_feature_model("leads.partners.models", "Introduction")
    if model is None:
        return []
    rows = db.session.scalars(
        select(model).where(model.lead_id == lead.id).order_by(model.id)
    ).all()
    return [(row.partner_name or row.partner_slug, row.status) for row in rows]


def plan_of(lead: Lead, lang: str) -> Plan:
    """Return the plan page of a lead, in ``lang``."""
    comparison_ = comparison(chosen_countries(lead), lang)
    meeting = confirmed_meeting(lead, lang)
    current = status_of(lead.stage, lead.owner_id is not None, lead.first_response_at is not None,
                        meeting is not None)  # fmt: skip
    steps = db.session.scalars(
        select(PlanStep).where(PlanStep.lead_id == lead.id).order_by(PlanStep.done, PlanStep.id)
    ).all()
    messages = db.session.scalars(
        select(PlanMessage)
        .where(PlanMessage.lead_id == lead.id)
        .order_by(PlanMessage.created_at.desc(), PlanMessage.id.desc())
    ).all()
    return Plan(
        lang=lang,
        company=lead.company,
        full_name=lead.full_name,
        status=status_view(current),
        comparison=comparison_,
        estimate=saved_estimate(lead, lang),
        adviser=adviser(lead, lang),
        steps=list(steps),
        meeting=meeting,
        meeting_request=None if meeting else meeting_request(lead, lang),
        documents=documents(lead, comparison_.countries),
        introductions=introductions(lead),
        messages=list(messages),
    )


def meeting_when(meeting: PlanMeeting, lang: str) -> str:
    """Return a meeting's day, times and time zone as the investor reads them."""
    day = format_date(meeting.starts, "full", locale=lang)
    start = format_time(meeting.starts, "short", locale=lang)
    end = format_time(meeting.ends, "short", locale=lang)
    city = get_timezone_location(meeting.starts.tzinfo, locale=lang, return_city=True)
    return _("%(day)s, %(start)s–%(end)s (local time in %(city)s)", day=day, start=start,
             end=end, city=city)  # fmt: skip
