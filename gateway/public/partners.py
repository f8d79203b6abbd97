"""The partners' directory: providers, trainers, recruiters, employment services, universities
and associations of the region, with filter pages by country and kind (plain links, so they
work frozen) and a link to request an introduction on the live app."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from babel import Locale
from flask import abort, current_app, render_template
from flask_babel import lazy_gettext as _l

from core.countries import is_country
from core.i18n import current_lang, localized_route
from core.locales import DEFAULT_LANG
from gateway.content import Entry
from gateway.content.partners import FACT_FIELDS, PARTNER_KINDS, PartnerDoc
from gateway.content.urls import localise_path
from gateway.content_app import get_store
from gateway.public import listings
from gateway.public.views import bp, load

KIND_LABELS = {
    "service-provider": _l("Service providers"),
    "training-provider": _l("Training providers"),
    "recruitment-firm": _l("Recruitment firms"),
    "public-employment-service": _l("Public employment services"),
    "university": _l("Universities and career centres"),
    "association": _l("Associations"),
}
"""Plural labels of the kinds, for headings and filter links."""

KIND_NAMES = {
    "service-provider": _l("Service provider"),
    "training-provider": _l("Training provider"),
    "recruitment-firm": _l("Recruitment firm"),
    "public-employment-service": _l("Public employment service"),
    "university": _l("University or career centre"),
    "association": _l("Association"),
}
"""Singular labels of the kinds, for one organisation."""

FACT_LABELS = {
    "name": _l("Name"),
    "kind": _l("Kind"),
    "countries": _l("Countries"),
    "cities": _l("Cities"),
    "services": _l("Services"),
    "sectors": _l("Sectors"),
    "languages": _l("Languages served"),
    "headcount_band": _l("Employees"),
    "certifications": _l("Certifications"),
    "programmes": _l("Programmes"),
    "founded": _l("Founded"),
    "website": _l("Website"),
    "membership": _l("Membership"),
}

# The kinds that help an investor build and staff a team, by what the estimator's result asks.
STAFFING_KINDS = ("recruitment-firm", "training-provider", "public-employment-service")


def language_name(code: str, lang: str) -> str:
    """Return a language's name in the reader's language (``de`` → "Deutsch" on /de/)."""
    return Locale.parse(lang).languages.get(code, code)


def introduce_url(**params: str) -> str:
    """Return the live app's introduction request in the current language, preselected."""
    path = localise_path("/partners/introduce/", current_lang(), DEFAULT_LANG)
    query = urlencode({k: v for k, v in params.items() if v})
    return current_app.config["LEADS_URL"] + path + (f"?{query}" if query else "")


def partners_for(
    country: str | None = None, kind: str | None = None, sector: str | None = None
) -> list[Entry]:
    """Return the listed partners in the current language that match every filter given."""
    return listings.partners_for(get_store(), current_lang(), country, kind, sector)


def _directory(partners: list[Entry], heading: str | None = None, active: str | None = None):
    store, lang = get_store(), current_lang()
    return render_template(
        "public/partners.html",
        partners=partners,
        heading=heading,
        active=active,
        countries=listings.entries(store, "countries", lang),
        kinds=PARTNER_KINDS,
        kind_labels=KIND_LABELS,
        kind_names=KIND_NAMES,
        country_counts=listings.partner_counts(store, lang, "countries"),
        kind_counts=listings.partner_counts(store, lang, "kind"),
        names={e.slug: e.meta.title for e in listings.entries(store, "countries", lang)},
    )


@localized_route(bp, "/partners/")
def partners():
    """List every partner, with filter links by country and kind."""
    return _directory(partners_for())


@localized_route(bp, "/partners/country/<slug>/")
def partners_by_country(slug: str):
    """List the partners working in one country (a static page, so filters work frozen)."""
    country = listings.by_slug(get_store(), "countries", current_lang()).get(slug)
    if not is_country(slug) or country is None:
        abort(404)
    return _directory(partners_for(country=slug), country.meta.title, f"country:{slug}")


@localized_route(bp, "/partners/kind/<kind>/")
def partners_by_kind(kind: str):
    """List the partners of one kind (a static page, so filters work frozen)."""
    if kind not in PARTNER_KINDS:
        abort(404)
    return _directory(partners_for(kind=kind), str(KIND_LABELS[kind]), f"kind:{kind}")


@localized_route(bp, "/partners/<slug>/")
def partner(slug: str):
    """Show one partner: every fact with its source, what is not known, and the next step."""
    entry = load("partners", slug)
    store, lang = get_store(), current_lang()
    meta = cast(PartnerDoc, entry.meta)
    return render_template(
        "public/partner.html",
        entry=entry,
        meta=meta,
        facts=[f for f in FACT_FIELDS if f not in ("name",)],
        fact_labels=FACT_LABELS,
        kind_names=KIND_NAMES,
        fact_sources={
            fact: [n for n, s in enumerate(meta.sources, start=1) if fact in s.covers]
            for fact in FACT_FIELDS
        },
        countries=listings.by_slug(store, "countries", lang),
        sectors=listings.by_slug(store, "sectors", lang),
        languages=[language_name(code, lang) for code in meta.languages],
    )


def init_app(app) -> None:
    """Give the templates the directory's helpers (labels, the introduction link)."""
    app.add_template_global(introduce_url, "introduce_url")
    app.add_template_global(partners_for, "partners_for")
    app.add_template_global(KIND_LABELS, "partner_kind_labels")
    app.add_template_global(KIND_NAMES, "partner_kind_names")
    app.add_template_global(STAFFING_KINDS, "staffing_kinds")


__all__ = ["KIND_LABELS", "init_app", "introduce_url", "partners_for"]
