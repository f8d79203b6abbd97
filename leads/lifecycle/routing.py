"""Lead routing: which organisation owns a lead, from its countries of interest.

One country: that country's investment promotion agency owns the lead and the country's ABSL
chapter (where there is one) is informed. Several countries: the regional coordinator (ABSL
Western Balkans) owns it and each chosen country's agency and chapter is informed. "Undecided"
or none: the regional coordinator owns it. Staff may reassign by hand on the lead page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.countries import COUNTRY_SLUGS
from leads.choices import INTRODUCTION
from leads.lifecycle.organisations import OrganisationKind, organisation_rows

REGIONAL_COORDINATOR = "absl-western-balkans"


@dataclass(frozen=True)
class Route:
    """Where a lead goes: the owning organisation and the organisations to inform."""

    owner: str
    informed: tuple[str, ...] = ()
    reason: str = ""


def _chapters() -> dict[str, str]:
    rows = organisation_rows()
    return {row["country"]: row["slug"] for row in rows if row["kind"] == OrganisationKind.ABSL}


def _agencies() -> dict[str, str]:
    rows = organisation_rows()
    return {row["country"]: row["slug"] for row in rows if row["kind"] == OrganisationKind.IPA}


def route_lead(countries: Iterable[str]) -> Route:
    """Return the owning organisation (and who to inform) for the given countries of interest."""
    countries = list(countries)
    chosen = sorted({c for c in countries if c in COUNTRY_SLUGS})
    undecided = any(c not in COUNTRY_SLUGS for c in countries)
    if len(chosen) == 1 and not undecided:
        country = chosen[0]
        chapter = _chapters().get(country)
        return Route(
            owner=_agencies()[country],
            informed=(chapter,) if chapter else (),
            reason=f"one country of interest: {country}",
        )
    if len(chosen) > 1:
        reason = "several countries of interest: " + ", ".join(chosen)
        agencies, chapters = _agencies(), _chapters()
        informed = tuple(
            slug
            for country in chosen
            for slug in (agencies.get(country), chapters.get(country))
            if slug
        )
        return Route(owner=REGIONAL_COORDINATOR, informed=informed, reason=reason)
    else:
        reason = "country of interest not decided"
    return Route(owner=REGIONAL_COORDINATOR, reason=reason)


def route_introduction(countries: Iterable[str]) -> Route:
    """Return who owns a request for an introduction to partners in the given countries.

    The partner's country decides: its ABSL chapter owns the request (chapters make the
    introductions) and the country's agency is informed. A country without a chapter, several
    countries or none: the regional body (ABSL Western Balkans) owns it, and each country's
    agency and chapter is informed.
    """
    chosen = sorted({c for c in countries if c in COUNTRY_SLUGS})
    agencies, chapters = _agencies(), _chapters()
    if len(chosen) == 1:
        country = chosen[0]
        chapter = chapters.get(country)
        if chapter:
            return Route(chapter, (agencies[country],), f"introduction to partners in {country}")
        reason = f"introduction to partners in {country}, which has no ABSL chapter"
        return Route(REGIONAL_COORDINATOR, (agencies[country],), reason)
    pairs = ((agencies.get(country), chapters.get(country)) for country in chosen)
    informed = tuple(slug for pair in pairs for slug in pair if slug)
    reason = "introduction to partners in " + (", ".join(chosen) or "no chosen country")
    return Route(REGIONAL_COORDINATOR, informed, reason)


def route_for(
    lead_countries: Iterable[str], kind: str = "", countries: Iterable[str] = ()
) -> Route:
    """Return the route of a lead whose latest request is of ``kind`` about ``countries``."""
    if kind == INTRODUCTION:
        return route_introduction(countries)
    return route_lead(lead_countries)
