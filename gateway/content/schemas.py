"""Typed front matter for each content type; pure pydantic, no Flask."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, HttpUrl, field_validator, model_validator

from gateway.content.fields import (
    NAME,
    SLUG_RE,
    TEXT,
    CountrySlug,
    Currency,
    Label,
    Name,
    Period,
    Qualifier,
    ShortText,
    Strict,
    Summary,
    Text,
    TextKind,
    Unit,
)
from gateway.content.partners import PartnerDoc, PartnerTranslationDoc
from gateway.content.units import UNITS

# How close a figure's source is to its publisher (``flask content sources`` counts them):
# the publisher's own page; its figure as a named news outlet reports it; anyone else.
SourceKind = Literal["primary", "primary_via_press", "secondary"]
PRIMARY_KINDS = ("primary", "primary_via_press")


class Image(Strict):
    """An image under ``static/`` with its required alternative text."""

    src: Annotated[str, Field(pattern=r"^img/[A-Za-z0-9_./-]+$"), NAME]
    alt: Annotated[str, Field(min_length=1, max_length=300), TEXT]


class Figure(Strict):
    """A number shown on the site, with its source and the period it describes.

    ``value: null`` is a missing figure (shown as a dash, listed by ``flask content check``);
    ``none: true`` states that there is none (e.g. no statutory minimum wage). Either a value
    or ``none`` requires ``source`` and ``period``. ``parts`` hold tiers, bands or sub-national
    variants, each a figure with its own label. Formatting lives in ``gateway.content.figures``.
    """

    value: float | None = None
    qualifier: Qualifier | None = None
    unit: Unit | None = None
    currency: Currency | None = None
    source: Name | None = None
    period: Period | None = None
    url: HttpUrl | None = None
    note: Text | None = None
    none: bool = False
    parts: list[PartFigure] = []
    example: bool = False
    # The statistic's economic activity: classification, revision, section or division.
    activity: Name | None = None
    kind: SourceKind | None = None
    checked: dt.date | None = None  # the day an editor last checked it against its source
    # A rule or rate in force for a time: hidden from the day after ``valid_until``.
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    # A contribution part's monthly base limits, in the national currency: the rate applies
    # to the wage above ``floor`` and up to ``ceiling``.
    ceiling: float | None = None
    floor: float | None = None

    @model_validator(mode="after")
    def _sourced(self) -> Figure:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until must not be before valid_from")
        if self.value is not None and self.none:
            raise ValueError("a figure has either a value or 'none: true', not both")
        if self.value is not None or self.none:
            if not self.source:
                raise ValueError("a figure with a value (or 'none') needs a 'source'")
            if not self.period:
                raise ValueError("a figure with a value (or 'none') needs a 'period'")
        if self.unit and UNITS[self.unit].money and not self.currency:
            raise ValueError(f"unit '{self.unit}' needs a 'currency'")
        money = self.unit and (UNITS[self.unit].money or self.unit == "currency_per_eur")
        if self.currency and self.unit and not money:
            raise ValueError(f"unit '{self.unit}' takes no 'currency'")
        return self

    @property
    def missing(self) -> bool:
        """Return True when neither the figure nor any of its parts has a sourced value."""
        if self.value is not None or self.none:
            return False
        return not any(not part.missing for part in self.parts)


class PartFigure(Figure):
    """One tier, band or sub-national variant of a figure."""

    label: Label


class LabelledFigure(Figure):
    """A figure with its own label, for lists of key figures."""

    label: Label


Figure.model_rebuild()


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
    """The comparable sector facts of a country profile."""

    population: Figure
    ict_workforce: Figure
    ict_companies: Figure
    sector_revenue: Figure


class Labour(Strict):
    """What employing people costs and how long they work (monthly amounts are gross)."""

    average_gross_wage: Figure = Figure()
    # The role wages of the estimator: the average gross wage of each role's activity.
    wage_software: Figure = Figure()
    wage_service: Figure = Figure()
    wage_finance: Figure = Figure()
    minimum_wage: Figure = Figure()
    employer_contributions: Figure = Figure()
    employer_contributions_ceiling: Figure = Figure()
    months_paid: Figure = Figure()
    working_week: Figure = Figure()
    # Payroll taxes and levies on top of the contributions (each a part, percent of payroll).
    employer_levies: Figure = Figure()
    # The usual collective-agreement pension: typical, not statutory; shown apart.
    typical_pension: Figure = Figure()


class Tax(Strict):
    """Standard tax rates (reduced or progressive rates as ``parts``)."""

    corporate_income_tax: Figure = Figure()
    vat: Figure = Figure()
    dividend_withholding_tax: Figure = Figure()
    personal_income_tax: Figure = Figure()


class TalentFigures(Strict):
    """Measures of the talent pipeline."""

    ict_graduates: Figure = Figure()
    english_proficiency: Figure = Figure()


class Incentive(Strict):
    """A national support scheme for ICT/BPO employers (the IPA confirms eligibility)."""

    name: Text
    gives: Text
    who: Text
    source: Name
    period: Period
    url: HttpUrl | None = None
    note: Text | None = None
    kind: SourceKind | None = None
    checked: dt.date | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class Fact(Strict):
    """A sourced statement in words (a regime, a law, a rule); ``text: null`` is missing.

    ``period`` is the date of the source where it gives one (guides often do not).
    """

    text: Text | None = None
    source: Name | None = None
    period: Period | None = None
    url: HttpUrl | None = None
    note: Text | None = None  # the reason when the text is missing
    kind: SourceKind | None = None
    checked: dt.date | None = None
    valid_until: dt.date | None = None

    @model_validator(mode="after")
    def _sourced(self) -> Fact:
        if self.text is not None and not self.source:
            raise ValueError("a fact with a text needs a 'source'")
        return self


class Risk(Strict):
    """What a board asks after cost: currency, EU path, data protection, labour law."""

    currency_regime: Fact = Fact()
    eu_accession: Fact = Fact()
    data_protection: Fact = Fact()
    notice_period: Fact = Fact()
    probation: Fact = Fact()


class Overhead(Strict):
    """Costs of a seat besides pay: office rent in the capital (EUR per m² a month).

    The Germany baseline also holds the estimator's defaults for every country (the only
    sourced ones found): m² per seat, equipment and IT per seat a year, recruitment per hire
    (percent of a year's gross pay). The investor can change each on the page.
    """

    office_rent: Figure = Figure()
    m2_per_seat: Figure = Figure()
    equipment_per_seat: Figure = Figure()
    recruitment_per_hire: Figure = Figure()


class TalentSource(Strict):
    """A university, academy or training provider feeding the talent pipeline."""

    name: Name
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
    labour: Labour = Labour()
    tax: Tax = Tax()
    talent_figures: TalentFigures = TalentFigures()
    exchange_rate: Figure | None = None
    incentives: list[Incentive] = []
    overhead: Overhead = Overhead()
    risk: Risk = Risk()
    contacts: Contacts
    talent: list[TalentSource] = []
    sectors: list[Annotated[str, NAME]] = []
    map_label: Text | None = None


class BaselineDoc(Strict):
    """Front matter of ``baselines/<slug>.md``: a comparison country (not a page)."""

    title: ShortText
    summary: Summary | None = None
    draft: bool = False
    image: None = None
    labour: Labour = Labour()
    tax: Tax = Tax()
    exchange_rate: Figure | None = None
    overhead: Overhead = Overhead()


class SectorDoc(Document):
    """Front matter of ``sectors/<slug>.md``."""

    order: int = 100
    parent: Annotated[str, NAME] | None = None
    figures: list[LabelledFigure] = []
    countries: list[CountrySlug] = []


class Source(Strict):
    """The document a case study's facts come from."""

    title: Name
    year: Annotated[int, Field(ge=1990, le=2100)]
    url: HttpUrl | None = None


class CaseStudyDoc(Document):
    """Front matter of ``case-studies/<slug>.md``."""

    date: dt.date
    countries: Annotated[list[CountrySlug], Field(min_length=1)]
    sectors: Annotated[list[Annotated[str, NAME]], Field(min_length=1)]
    organisation: Name
    figures: list[LabelledFigure] = []
    source: Source


class EventDoc(Document):
    """Front matter of ``events/<slug>.md``."""

    kind: Literal["roadshow", "conference", "webinar"]
    city: Text
    host_country: Text
    # ISO 3166-1 alpha-2 of the host country: matched with an inquiry's headquarters field, so
    # the first reply names the roadshow in the investor's own country.
    host_country_code: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    venue: Name | None = None
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
    version: Name | None = None


class TranslationDoc(Strict):
    """A translation's title and summary; its other texts are checked against the English."""

    title: ShortText
    summary: Summary | None = None  # a baseline has none; a missing one is reported as English

    @field_validator("title", "summary")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be blank")
        return value


SCHEMAS: dict[str, type[Strict]] = {
    "countries": CountryDoc,
    "sectors": SectorDoc,
    "case-studies": CaseStudyDoc,
    "events": EventDoc,
    "pages": PageDoc,
    "baselines": BaselineDoc,
    "partners": PartnerDoc,
}

# A translation's own required fields, by content kind (a partner's name is never translated).
TRANSLATION_SCHEMAS: dict[str, type[Strict]] = {"partners": PartnerTranslationDoc}


__all__ = [
    "NAME",
    "SCHEMAS",
    "SLUG_RE",
    "TEXT",
    "TRANSLATION_SCHEMAS",
    "BaselineDoc",
    "CaseStudyDoc",
    "CountryDoc",
    "Document",
    "EventDoc",
    "Figure",
    "PageDoc",
    "PartnerDoc",
    "SectorDoc",
    "Strict",
    "TextKind",
    "TranslationDoc",
]
