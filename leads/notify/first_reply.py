"""The first reply: what the investor gets back at once, making the case for their countries.

``make_case`` gathers, from the content store and in the investor's language: who will answer
(the lead's owner, their title and organisation, and the date they reply by), for each chosen
country two or three sourced key figures with the links to its profile and fact sheet and the
national agency and ABSL contacts, the most relevant success stories, and the next roadshow in
the investor's own country (``host_country_code`` of the event against the headquarters
field; otherwise the next roadshow of all) with its meeting link. ``messages.first_reply``
renders it as plain text and HTML.

Links carry campaign parameters that name the mail type, never the person: later visits are
attributed to the first reply without tracking anyone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import urlencode

from flask import current_app

from core.countries import is_country
from gateway.content.figures import format_eur, format_figure
from gateway.content.partners import PartnerDoc
from gateway.content.schemas import CaseStudyDoc
from gateway.content.urls import content_path, localise_path
from gateway.content_app import get_store
from gateway.public.labels import ALL_LABELS
from leads.capture import content
from leads.choices import HELP_PARTNER_KINDS, INTEREST_SECTORS
from leads.lifecycle.qualification import response_due
from leads.models import Inquiry, Lead, StaffUser

CAMPAIGN = "first-reply"  # utm_campaign of every link in the first reply: the mail type
FIGURES_PER_COUNTRY = 3
STORIES = 2
PARTNERS = 4  # partners named in a first reply that asks for recruiting or training
# Key figures in order of preference: a section of the country's front matter and a key in it.
# Sections the content does not have yet are skipped, so new sourced figures appear unasked.
KEY_FIGURES = (
    ("facts", "ict_workforce"),
    ("labour", "wage_software"),
    ("labour", "average_gross_wage"),
    ("tax", "corporate_income_tax"),
    ("facts", "ict_companies"),
    ("facts", "sector_revenue"),
    ("facts", "population"),
)


@dataclass(frozen=True)
class KeyFigure:
    """One sourced number: what it is, the number as shown, who published it, and when."""

    label: str
    shown: str
    source: str
    period: str


@dataclass(frozen=True)
class Contact:
    """An organisation to contact, with its web address when known."""

    name: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class CountryCase:
    """The paragraph of one chosen country."""

    slug: str
    name: str
    summary: str
    figures: list[KeyFigure]
    profile_url: str
    fact_sheet_url: str
    agency: Contact | None
    absl: Contact | None


@dataclass(frozen=True)
class Story:
    """A success story worth reading for this inquiry."""

    title: str
    summary: str
    url: str


@dataclass(frozen=True)
class PartnerLink:
    """A partner of the directory who can help with what the investor asked for."""

    name: str
    summary: str
    url: str


@dataclass(frozen=True)
class Roadshow:
    """The roadshow to offer, with the page and the meeting request form."""

    title: str
    city: str
    starts: dt.date
    ends: dt.date
    date_confirmed: bool
    url: str
    meet_url: str
    in_home_country: bool


@dataclass(frozen=True)
class Case:
    """Everything the first reply says beyond thanks."""

    lang: str
    owner_name: str
    owner_title: str
    organisation: str
    due: dt.datetime
    countries: list[CountryCase] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    roadshow: Roadshow | None = None
    contact_url: str = ""
    site_url: str = ""
    estimate_team: int = 0  # the team size the estimate link is for (0: no team size given)
    estimate_url: str = ""
    partners: list[PartnerLink] = field(default_factory=list)  # for recruiting or training
    partners_url: str = ""  # the directory (filtered by the one country chosen)
    introduce_url: str = ""


def campaign_link(base: str, path: str, lang: str, params: tuple = ()) -> str:
    """Return an absolute link in ``lang`` with the first reply's campaign parameters."""
    campaign = (("utm_source", "gateway"), ("utm_medium", "email"), ("utm_campaign", CAMPAIGN))
    return f"{base}{localise_path(path, lang)}?{urlencode((*params, *campaign))}"


def _site(path: str, lang: str, params: tuple = ()) -> str:
    return campaign_link(current_app.config["SITE_URL"], path, lang, params)


def _live(path: str, lang: str, params: tuple = ()) -> str:
    return campaign_link(current_app.config["LEADS_URL"], path, lang, params)


def figure_text(figure, rate, lang: str) -> str:
    """Return a figure as the site shows it in ``lang``; an amount in another currency adds EUR."""
    text = format_figure(figure, lang)
    in_eur = format_eur(figure, rate, lang)
    return f"{text} ({in_eur})" if in_eur else text


def key_figures(meta, lang: str, limit: int = FIGURES_PER_COUNTRY) -> list[KeyFigure]:
    """Return up to ``limit`` sourced figures of a country, most telling first."""
    rate = getattr(meta, "exchange_rate", None)
    found = []
    for section, key in KEY_FIGURES:
        figure = getattr(getattr(meta, section, None), key, None)
        if figure is None or figure.example or (figure.value is None and not figure.none):
            continue
        label = str(ALL_LABELS.get(key) or key.replace("_", " ").capitalize())
        text = figure_text(figure, rate, lang)
        found.append(KeyFigure(label, text, figure.source or "", figure.period or ""))
        if len(found) == limit:
            break
    return found


def _contact(value) -> Contact | None:
    if value is None:
        return None
    return Contact(value.name, str(value.url or ""), value.note or "")


def country_case(slug: str, lang: str) -> CountryCase | None:
    """Return the paragraph of one country, or None if its profile is missing."""
    entry = get_store().get("countries", slug, lang)
    if entry is None:
        return None
    path = content_path("countries", slug)
    contacts = getattr(entry.meta, "contacts", None)
    return CountryCase(
        slug=slug,
        name=entry.meta.title,
        summary=entry.meta.summary,
        figures=key_figures(entry.meta, lang),
        profile_url=_site(path, lang),
        fact_sheet_url=_site(f"{path}fact-sheet.pdf", lang),
        agency=_contact(getattr(contacts, "ipa", None)),
        absl=_contact(getattr(contacts, "absl", None)),
    )


def relevant_stories(countries: list[str], interest: str, lang: str) -> list[Story]:
    """Return the success stories of the chosen countries and sector, best matches first."""
    sectors = set(INTEREST_SECTORS.get(interest, ()))
    scored = []
    for entry in get_store().all("case-studies", lang):
        meta = cast(CaseStudyDoc, entry.meta)
        score = 2 * len(set(meta.countries) & set(countries)) + len(set(meta.sectors) & sectors)
        if score:
            scored.append((-score, -meta.date.toordinal(), entry))
    scored.sort(key=lambda row: row[:2])
    return [
        Story(e.meta.title, e.meta.summary, _site(content_path(e.kind, e.slug), lang))
        for _score, _date, e in scored[:STORIES]
    ]


def matching_partners(help_with: list[str], countries: list[str], lang: str) -> list[PartnerLink]:
    """Return the partners who help with recruiting or training in the chosen countries."""
    kinds = {kind for need in help_with for kind in HELP_PARTNER_KINDS.get(need, ())}
    if not kinds:
        return []
    found = []
    for entry in get_store().all("partners", lang):
        meta = cast(PartnerDoc, entry.meta)
        if meta.kind in kinds and (not countries or set(meta.countries) & set(countries)):
            url = _site(content_path(entry.kind, entry.slug), lang)
            found.append(PartnerLink(meta.name, meta.summary or "", url))
    return found[:PARTNERS]


def next_roadshow(hq_country: str, lang: str) -> Roadshow | None:
    """Return the next roadshow in the investor's country, else the next roadshow of all."""
    upcoming = [e for e in content.roadshows_open(lang) if e.meta.kind == "roadshow"]
    upcoming.sort(key=lambda e: e.meta.starts)
    home = [e for e in upcoming if hq_country and e.meta.host_country_code == hq_country]
    chosen = (home or upcoming or [None])[0]
    if chosen is None:
        return None
    meta = chosen.meta
    return Roadshow(
        title=meta.title,
        city=meta.city,
        starts=meta.starts,
        ends=meta.ends,
        date_confirmed=meta.date_confirmed,
        url=_site(content_path("events", chosen.slug), lang),
        meet_url=_live(f"/events/{chosen.slug}/meet/", lang),
        in_home_country=bool(home),
    )


# A team size in the middle of each headcount band, for the cost estimator link.
BAND_TEAM = {"1-9": 5, "10-49": 25, "50-249": 100, "250+": 250}


def estimate_link(inquiry: Inquiry, interest: str, countries: list[str], lang: str):
    """Return (team, link to the cost estimator for it), or (0, "") without a team size."""
    team = BAND_TEAM.get(inquiry.headcount_band or "", 0)
    if not team:
        return 0, ""
    mix = "bpo" if interest == "bpo" else "software"
    params = (("team", team), ("mix", mix), *(("country", c) for c in countries))
    return team, _site("/costs/", lang, params)


def make_case(lead: Lead, inquiry: Inquiry, lang: str) -> Case:
    """Gather the first reply's content for a lead's inquiry, in ``lang``."""
    owner: StaffUser | None = lead.owner
    organisation = lead.organisation.name if lead.organisation else ""
    chosen = [c for c in dict.fromkeys(inquiry.countries or lead.country_slugs) if is_country(c)]
    cases = [case for case in (country_case(c, lang) for c in chosen) if case is not None]
    team, estimate_url = estimate_link(inquiry, lead.interest, chosen, lang)
    help_with = list((inquiry.answers or {}).get("help_with") or [])
    one = (("country", chosen[0]),) if len(chosen) == 1 else ()
    directory = f"/partners/country/{chosen[0]}/" if len(chosen) == 1 else "/partners/"
    return Case(
        lang=lang,
        owner_name=owner.display_name if owner else "",
        owner_title=owner.job_title if owner else "",
        organisation=organisation,
        due=lead.response_due_at or response_due(inquiry.created_at),
        countries=cases,
        stories=relevant_stories(chosen, lead.interest, lang),
        roadshow=next_roadshow(lead.hq_country, lang),
        contact_url=_live("/contact/", lang),
        site_url=_site("/", lang),
        estimate_team=team,
        estimate_url=estimate_url,
        partners=matching_partners(help_with, chosen, lang),
        partners_url=_site(directory, lang),
        introduce_url=_live("/partners/introduce/", lang, one),
    )
