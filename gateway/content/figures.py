"""Figures: the table of units, plain (locale-neutral) accessors, and the one formatter.

``format_figure`` is the single place a figure becomes text; templates, charts and PDFs call
it (via the ``figure_text`` template filter). It uses simple per-language separators; a
locale-aware formatter can replace it here without touching any caller.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

if TYPE_CHECKING:  # pragma: no cover
    from gateway.content.schemas import Figure

DASH = "\u2014"
PERIOD_PATTERN = r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
QUALIFIERS: tuple[str, ...] = ("about", "at_least", "more_than", "up_to")


@dataclass(frozen=True)
class UnitInfo:
    """How a unit is shown: ``suffix`` after the number (None: the label says it)."""

    suffix: Any = None  # a lazy gettext string, or None
    money: bool = False  # an amount in the figure's ``currency``
    scale: float = 1.0  # 1e6 for amounts given in millions


UNITS: dict[str, UnitInfo] = {
    # Counts: the figure's label names what is counted.
    "people": UnitInfo(),
    "companies": UnitInfo(),
    "organisations": UnitInfo(),
    "clients": UnitInfo(),
    "courses": UnitInfo(),
    "sessions": UnitInfo(),
    "students": UnitInfo(),
    "graduates_per_year": UnitInfo(),
    "index_score": UnitInfo(),
    # Measures shown with their unit.
    "percent": UnitInfo(suffix="%"),
    "years": UnitInfo(suffix=_l("years")),
    "months": UnitInfo(suffix=_l("months")),
    "hours_per_week": UnitInfo(suffix=_l("hours per week")),
    "times": UnitInfo(suffix=_l("times")),
    "money": UnitInfo(money=True),
    "money_per_month": UnitInfo(suffix=_l("per month"), money=True),
    "money_per_year": UnitInfo(suffix=_l("per year"), money=True),
    "money_per_hour": UnitInfo(suffix=_l("per hour"), money=True),
    "money_million": UnitInfo(money=True, scale=1e6),
    "currency_per_eur": UnitInfo(),
}

_QUALIFIER_TEXT = {
    "about": _l("about %(value)s"),
    "at_least": _l("at least %(value)s"),
    "more_than": _l("more than %(value)s"),
    "up_to": _l("up to %(value)s"),
}

# (thousands separator, decimal mark, space before "%") per language.
_SEPARATORS = {"en": (",", ".", ""), "de": (".", ",", "\u00a0"), "sv": ("\u00a0", ",", "\u00a0")}


def figure_number(figure: Figure | None) -> float | None:
    """Return the figure's number in its unit (amounts in millions as full amounts), or None."""
    if figure is None or figure.value is None:
        return None
    unit = UNITS.get(figure.unit or "")
    return figure.value * (unit.scale if unit else 1.0)


def to_eur(figure: Figure | None, rate: Figure | None) -> float | None:
    """Return an amount in EUR: as is for EUR, divided by ``rate`` (currency per EUR) otherwise."""
    amount = figure_number(figure)
    if amount is None or figure is None:
        return None
    if figure.currency in (None, "EUR"):
        return amount
    if rate is None or rate.value in (None, 0):
        return None
    return amount / rate.value


def _number(value: float, locale: str) -> str:
    thousands, decimal, _ = _SEPARATORS.get(locale, _SEPARATORS["en"])
    decimals = 0 if float(value).is_integer() else min(len(repr(float(value)).split(".")[1]), 6)
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def format_number(value: float | None, locale: str = "en") -> str:
    """Return a bare number in the language's separators ("—" for None)."""
    return DASH if value is None else _number(value, locale)


def format_figure(figure: Figure | None, locale: str = "en") -> str:
    """Return a figure as text in ``locale``: qualifier, number, currency and unit."""
    if figure is None or (figure.value is None and not figure.none):
        return DASH
    if figure.none:
        return gettext("none")
    unit = UNITS.get(figure.unit or "", UnitInfo())
    value = figure.value
    _, _, pct_space = _SEPARATORS.get(locale, _SEPARATORS["en"])
    if unit.scale == 1e6 or (abs(value) >= 1e6 and not unit.money):
        millions = value if unit.scale == 1e6 else value / 1e6
        text = gettext("%(value)s million", value=_number(round(millions, 2), locale))
    else:
        text = _number(value, locale)
    if figure.unit == "percent":
        text = f"{text}{pct_space}%"
    if unit.money and figure.currency:
        first, last = (figure.currency, text) if locale == "en" else (text, figure.currency)
        text = f"{first}\u00a0{last}"
    if figure.unit == "currency_per_eur" and figure.currency:
        text = gettext("%(value)s %(currency)s per EUR", value=text, currency=figure.currency)
    if unit.suffix and figure.unit != "percent":
        text = f"{text} {unit.suffix}"
    if figure.qualifier:
        text = str(_QUALIFIER_TEXT[figure.qualifier]) % {"value": text}
    return text


def format_eur(figure: Figure | None, rate: Figure | None, locale: str = "en") -> str | None:
    """Return a national-currency amount in EUR at ``rate`` (None if not an amount or no rate)."""
    if (
        figure is None
        or figure.currency in (None, "EUR")
        or not UNITS.get(figure.unit or "", UnitInfo()).money
    ):
        return None
    amount = to_eur(figure, rate)
    if amount is None:
        return None
    unit = UNITS[figure.unit]
    value = (
        round(amount / unit.scale) if amount >= 100 * unit.scale else round(amount / unit.scale, 2)
    )
    converted = figure.model_construct(
        value=value, unit=figure.unit, currency="EUR", qualifier=figure.qualifier
    )
    return format_figure(converted, locale)


def format_parts(figure: Figure | None, locale: str = "en") -> list[tuple[str, str]]:
    """Return ``(label, text)`` for each tier, band or sub-national variant of a figure."""
    if figure is None:
        return []
    return [(part.label, format_figure(part, locale)) for part in figure.parts]


def figure_sources(figure: Figure | None) -> list[tuple[str, str, str | None]]:
    """Return ``(source, period, url)`` of a figure and its parts, each once, in order."""
    if figure is None:
        return []
    seen: dict[tuple[str, str], str | None] = {}
    for fig in (figure, *figure.parts):
        if fig.source and (fig.source, fig.period or "") not in seen:
            seen[(fig.source, fig.period or "")] = str(fig.url) if fig.url else None
    return [(source, period, url) for (source, period), url in seen.items()]


def iter_figures(meta: Any, prefix: str = "") -> Iterator[tuple[str, Figure]]:
    """Yield ``(dotted.path, figure)`` for every figure in a front-matter model (parts too)."""
    from gateway.content.schemas import Figure, Strict

    if isinstance(meta, Figure):
        yield prefix, meta
        for index, part in enumerate(meta.parts):
            yield from iter_figures(part, f"{prefix}.parts.{index}")
        return
    if isinstance(meta, Strict):
        for name in type(meta).model_fields:
            yield from iter_figures(getattr(meta, name), f"{prefix}.{name}" if prefix else name)
    elif isinstance(meta, list):
        for index, item in enumerate(meta):
            yield from iter_figures(item, f"{prefix}.{index}")


def missing_figures(meta: Any) -> list[str]:
    """Return the dotted paths of the figures that have no sourced value (parts excluded)."""
    return [path for path, fig in iter_figures(meta) if ".parts." not in path and fig.missing]
