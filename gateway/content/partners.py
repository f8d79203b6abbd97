"""Front matter of ``partners/<slug>.md``: an organisation of the region's directory.

Only the name, the kind, one country and a public source are required; every other fact is
optional and shown where known. Each fact given must be covered by a source (``covers``), so the
directory never shows a fact without its publisher and the date it was checked. No Flask in here.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, HttpUrl, model_validator

from core.countries import COUNTRY_SLUGS
from gateway.content.fields import (
    NAME,
    CountrySlug,
    Name,
    Strict,
    Summary,
    Text,
)

PARTNER_KINDS: tuple[str, ...] = (
    "service-provider",
    "training-provider",
    "recruitment-firm",
    "public-employment-service",
    "university",
    "association",
)
"""The kinds of partner, in the order the directory lists them (also URL slugs)."""

HEADCOUNT_BANDS: tuple[str, ...] = ("1-9", "10-49", "50-249", "250-999", "1000+")
ABSL_CHAPTERS: tuple[str, ...] = (
    "absl-western-balkans",
    *(f"absl-{slug}" for slug in COUNTRY_SLUGS),
)
"""Membership values: the regional body or a national chapter (the organisations' slugs)."""

# The facts a source can vouch for; ``name`` and ``kind`` are facts too.
FACT_FIELDS: tuple[str, ...] = (
    "name",
    "kind",
    "countries",
    "cities",
    "services",
    "sectors",
    "languages",
    "headcount_band",
    "certifications",
    "programmes",
    "founded",
    "website",
    "membership",
)

PartnerKind = Literal[PARTNER_KINDS]  # type: ignore[valid-type]
HeadcountBand = Literal[HEADCOUNT_BANDS]  # type: ignore[valid-type]
Chapter = Literal[ABSL_CHAPTERS]  # type: ignore[valid-type]
FactField = Literal[FACT_FIELDS]  # type: ignore[valid-type]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2}$"), NAME]  # ISO 639-1


class Programme(Strict):
    """A training programme: what it teaches, how long it takes, what comes after."""

    what: Text
    duration: Text | None = None
    placement: Text | None = None


class PartnerSource(Strict):
    """A public source, the facts it supports and the day someone checked it."""

    publisher: Name
    title: Name
    url: HttpUrl | None = None
    checked: dt.date
    covers: Annotated[list[FactField], Field(min_length=1)]


class PartnerDoc(Strict):
    """An organisation in the partners' directory, every fact sourced."""

    name: Name
    kind: PartnerKind
    countries: Annotated[list[CountrySlug], Field(min_length=1)]
    cities: list[Name] = []
    summary: Summary | None = None
    services: list[Text] = []
    sectors: list[Annotated[str, NAME]] = []
    languages: list[LanguageCode] = []
    headcount_band: HeadcountBand | None = None
    certifications: list[Name] = []
    programmes: list[Programme] = []
    founded: Annotated[int, Field(ge=1800, le=2100)] | None = None
    website: HttpUrl | None = None
    membership: list[Chapter] = []
    sources: Annotated[list[PartnerSource], Field(min_length=1)]
    # The day the organisation agreed to be listed, as a chapter recorded it; empty until then.
    listed_consent_on: dt.date | None = None
    draft: bool = False
    image: None = None

    @property
    def title(self) -> str:
        """Return the organisation's name (what lists and page titles show)."""
        return self.name

    def filled_facts(self) -> list[str]:
        """Return the fact fields this document gives a value for."""
        return [f for f in FACT_FIELDS if getattr(self, f) not in (None, [], "")]

    def sources_for(self, fact: str) -> list[PartnerSource]:
        """Return the sources that support one fact."""
        return [s for s in self.sources if fact in s.covers]

    @model_validator(mode="after")
    def _every_fact_sourced(self) -> PartnerDoc:
        covered = {fact for source in self.sources for fact in source.covers}
        missing = [fact for fact in self.filled_facts() if fact not in covered]
        if missing:
            names = ", ".join(missing)
            raise ValueError(f"every fact needs a source: add to a source's 'covers': {names}")
        return self


class PartnerTranslationDoc(Strict):
    """A partner translation's own fields: none required (the name stays as written)."""

    summary: Summary | None = None


__all__ = [
    "ABSL_CHAPTERS",
    "FACT_FIELDS",
    "HEADCOUNT_BANDS",
    "PARTNER_KINDS",
    "PartnerDoc",
    "PartnerSource",
    "PartnerTranslationDoc",
    "Programme",
]
