"""Typed front matter for each content type; pure pydantic, no Flask."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

from gateway.countries import COUNTRY_SLUGS

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CountrySlug = Literal[COUNTRY_SLUGS]  # type: ignore[valid-type]


class TextKind:
    """Marks a str field in ``Annotated`` metadata as ``text`` or ``name``."""

    __slots__ = ("kind",)

    def __init__(self, kind: Literal["text", "name"]):
        self.kind = kind


TEXT = TextKind("text")
NAME = TextKind("name")
Text = Annotated[str, Field(min_length=1), TEXT]
Name = Annotated[str, Field(min_length=1), NAME]
ShortText = Annotated[str, Field(min_length=1, max_length=120), TEXT]
Summary = Annotated[str, Field(min_length=1, max_length=300), TEXT]


class Strict(BaseModel):
    """A model that refuses unknown keys, so a typo in front matter is reported."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Image(Strict):
    """An image under ``static/`` with its required alternative text."""

    src: Annotated[str, Field(pattern=r"^img/[A-Za-z0-9_./-]+$")]
    alt: Annotated[str, Field(min_length=1, max_length=300)]


class Figure(Strict):
    """A number shown on the site, always with its source and year."""

    value: float | None
    display: str | None = None
    unit: str | None = None
    source: Annotated[str, Field(min_length=1)]
    year: Annotated[int, Field(ge=1990, le=2100)]
    example: bool = False

    @property
    def shown(self) -> str:
        """Return the text to show: the display form, the formatted value, or a dash."""
        if self.value is None and not self.display:
            return "—"
        if self.display:
            return self.display
        value = self.value
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


class LabelledFigure(Figure):
    """A figure with its own label, for lists of key figures."""

    label: Annotated[str, Field(min_length=1, max_length=160), TEXT]


class Document(Strict):
    """Fields every content type shares."""

    title: ShortText
    summary: Summary
    image: Image | None = None
    draft: bool = False


class Contact(Strict):
    """An organisation investors can talk to."""

    name: Name
    url: HttpUrl | None = None
    note: Text | None = None


class Contacts(Strict):
    """The national investment promotion agency and ABSL chapter."""

    ipa: Contact
    absl: Contact


class CountryFacts(Strict):
    """The comparable facts panel of a country profile."""

    population: Figure
    ict_workforce: Figure
    ict_companies: Figure
    sector_revenue: Figure


class TalentSource(Strict):
    """A university, academy or training provider feeding the talent pipeline."""

    name: Annotated[str, Field(min_length=1)]
    kind: Literal["university", "academy", "training", "career-centre", "association"]
    note: Annotated[str, TEXT] = ""


class CountryDoc(Document):
    """Front matter of ``countries/<slug>.md``."""

    capital: Text
    official_languages: list[Text]
    business_languages: list[Text] = []
    time_zone: Text
    currency: Text
    eu_status: Text
    facts: CountryFacts
    incentives: list[str] = []
    contacts: Contacts
    talent: list[TalentSource] = []
    sectors: list[str] = []
    map_label: Text | None = None


class SectorDoc(Document):
    """Front matter of ``sectors/<slug>.md``."""

    order: int = 100
    parent: str | None = None
    figures: list[LabelledFigure] = []
    countries: list[CountrySlug] = []


class Source(Strict):
    """The document a case study's facts come from."""

    title: Annotated[str, Field(min_length=1)]
    year: Annotated[int, Field(ge=1990, le=2100)]


class CaseStudyDoc(Document):
    """Front matter of ``case-studies/<slug>.md``."""

    date: dt.date
    countries: Annotated[list[CountrySlug], Field(min_length=1)]
    sectors: Annotated[list[str], Field(min_length=1)]
    organisation: str
    figures: list[LabelledFigure] = []
    source: Source


class EventDoc(Document):
    """Front matter of ``events/<slug>.md``."""

    kind: Literal["roadshow", "conference", "webinar"]
    city: Text
    host_country: Text
    venue: str | None = None
    starts: dt.date
    ends: dt.date
    date_confirmed: bool = False
    meetings: bool = True
    slots: list[Text] = []
    topics: list[Text] = []
    countries: list[CountrySlug] = []

    @model_validator(mode="after")
    def _ends_after_start(self) -> EventDoc:
        if self.ends < self.starts:
            raise ValueError("ends must not be before starts")
        return self


class PageDoc(Document):
    """Front matter of ``pages/<slug>.md``."""

    figures: list[LabelledFigure] = []
    version: str | None = None


class TranslationDoc(Strict):
    """A translation sets only the text; facts stay in the English file."""

    title: ShortText
    summary: Summary

    @field_validator("title", "summary")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value


SCHEMAS: dict[str, type[Document]] = {
    "countries": CountryDoc,
    "sectors": SectorDoc,
    "case-studies": CaseStudyDoc,
    "events": EventDoc,
    "pages": PageDoc,
}
