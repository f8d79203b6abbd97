"""The six countries of the gateway: the one place their slugs and names live."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    """A Western Balkans country as the gateway names it."""

    slug: str
    name: str
    iso2: str


COUNTRIES: tuple[Country, ...] = (
    Country("albania", "Albania", "AL"),
    Country("bosnia-and-herzegovina", "Bosnia and Herzegovina", "BA"),
    Country("kosovo", "Kosovo", "XK"),
    Country("montenegro", "Montenegro", "ME"),
    Country("north-macedonia", "North Macedonia", "MK"),
    Country("serbia", "Serbia", "RS"),
)

COUNTRY_SLUGS: tuple[str, ...] = tuple(c.slug for c in COUNTRIES)
BY_SLUG: dict[str, Country] = {c.slug: c for c in COUNTRIES}
REGIONAL = "regional"

# The EU countries our investors come from, compared on /compare/ (content/baselines/<slug>.md).
BASELINE_SLUGS: tuple[str, ...] = ("germany", "austria", "sweden")


def country_name(slug: str) -> str:
    """Return the English name of a country slug (the slug itself if unknown)."""
    country = BY_SLUG.get(slug)
    return country.name if country else slug


def is_country(slug: str) -> bool:
    """Tell whether a slug names one of the six countries."""
    return slug in BY_SLUG
