"""Readable labels for the codes staff pages show: countries, sectors, sources, purposes."""

from __future__ import annotations

from babel import Locale
from flask_babel import lazy_gettext as _l

from core.countries import COUNTRIES
from core.i18n import current_lang
from gateway.costs.form import MIX_LABELS, ROLE_LABELS
from gateway.costs.method import CUSTOM
from leads.choices import CONSENT_PURPOSES, INTERESTS, SOURCES, UNDECIDED

COUNTRY_CHOICES = [(c.slug, c.name) for c in COUNTRIES] + [(UNDECIDED, _l("Not decided"))]
_COUNTRIES = dict(COUNTRY_CHOICES)
_INTERESTS = dict(INTERESTS)
_SOURCES = dict(SOURCES)
_PURPOSES = dict(CONSENT_PURPOSES)


def _lookup(table, code: str | None) -> str:
    if not code:
        return ""
    return str(table.get(code, code))


def country_label(slug: str | None) -> str:
    """Return the name of a country-of-interest slug (the slug itself if unknown)."""
    return _lookup(_COUNTRIES, slug)


def countries_label(slugs) -> str:
    """Return the names of country-of-interest slugs, comma separated."""
    return ", ".join(country_label(slug) for slug in slugs)


def interest_label(code: str | None) -> str:
    """Return the label of a sector interest code (ict, bpo, both, unsure)."""
    return _lookup(_INTERESTS, code)


def source_label(code: str | None) -> str:
    """Return the label of a lead source or inquiry kind (inquiry, meeting, report)."""
    return _lookup(_SOURCES, code)


def hq_label(code: str | None) -> str:
    """Return the country name of an ISO 3166-1 alpha-2 code in the page's language."""
    if not code:
        return ""
    return Locale.parse(current_lang()).territories.get(code.upper(), code)


def purpose_label(code: str | None) -> str:
    """Return a readable consent purpose."""
    return _lookup(_PURPOSES, code)


def scenario_label(scenario: dict) -> str:
    """Return a cost estimate's role mix: the preset, or each role's share; factors not 1."""
    factors = scenario.get("factors") or {}
    roles = [(role, share) for role, share in (scenario.get("shares") or {}).items() if share]
    parts = []
    for role, share in roles:
        text = str(ROLE_LABELS.get(role, role))
        if scenario.get("mix") == CUSTOM:
            text += f" {share} %"
        if factors.get(role, 1) != 1:
            text += f" (× {factors[role]:g})"
        parts.append(text)
    mix = scenario.get("mix", "")
    return "; ".join(parts) or str(MIX_LABELS.get(mix, mix))
