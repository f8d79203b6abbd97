"""Figures: the table of units, plain (locale-neutral) accessors, and the one formatter.

``format_figure`` is the single place a figure becomes text; templates, charts and PDFs call
it (via the ``figure_text`` template filter). Numbers, amounts and percentages come from the
locale's CLDR data through ``core.formatting``; unit words and qualifiers are interface
strings of the gettext catalogues.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core import formatting as fmt
from core.formatting import N_

if TYPE_CHECKING:  # pragma: no cover
    from gateway.content.schemas import Figure

DASH = fmt.DASH
PERIOD_PATTERN = r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
QUALIFIERS: tuple[str, ...] = tuple(fmt.QUALIFIERS)


@dataclass(frozen=True)
class UnitInfo:
    """How a unit is shown: ``suffix`` after the number (None: the label says it)."""

    suffix: str | None = None  # a gettext id (N_), translated where it is shown
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
    "percent": UnitInfo(),
    "years": UnitInfo(suffix=N_("years")),
    "months": UnitInfo(suffix=N_("months")),
    "hours_per_week": UnitInfo(suffix=N_("hours per week")),
    "times": UnitInfo(suffix=N_("times")),
    "money": UnitInfo(money=True),
    "money_per_month": UnitInfo(suffix=N_("per month"), money=True),
    "money_per_year": UnitInfo(suffix=N_("per year"), money=True),
    "money_per_hour": UnitInfo(suffix=N_("per hour"), money=True),
    "money_million": UnitInfo(money=True, scale=1e6),
    "currency_per_eur": UnitInfo(),
}


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


def format_number(value: float | None, locale: str = "en", form: fmt.Form = "full") -> str:
    """Return a bare number in the language's CLDR format ("—" for None)."""
    return fmt.number(value, locale, form)


def _decimals(value: float, cap: int) -> int:
    text = f"{float(value):.{cap}f}".rstrip("0")
    return len(text.split(".", 1)[1]) if "." in text else 0


def format_figure(figure: Figure | None, locale: str = "en", form: fmt.Form = "long") -> str:
    """Return a figure as text in ``locale``: qualifier, number, currency and unit.

    ``form`` (see ``core.formatting``): ``long`` in fact panels, key figures, the
    comparison table and fact sheets, ``short`` on charts.
    """
    if figure is None or (figure.value is None and not figure.none):
        return DASH
    if figure.none:
        return fmt.gettext(N_("none"), locale)
    unit = UNITS.get(figure.unit or "", UnitInfo())
    value = figure_number(figure)
    if figure.unit == "percent":
        text = fmt.percent(value, locale)
    elif unit.money and figure.currency:
        text = fmt.amount(value, figure.currency, locale, form)
    elif figure.unit == "currency_per_eur" and figure.currency and value is not None:
        number = fmt.number(value, locale, "full", _decimals(value, 6))
        text = fmt.gettext(
            N_("%(value)s %(currency)s per EUR"), locale, value=number, currency=figure.currency
        )
    else:
        text = fmt.number(value, locale, form)
    if unit.suffix:
        text = fmt.gettext(
            N_("%(value)s %(unit)s"), locale, value=text, unit=fmt.gettext(unit.suffix, locale)
        )
    return fmt.qualified(text, figure.qualifier, locale)


def format_eur(
    figure: Figure | None, rate: Figure | None, locale: str = "en", form: fmt.Form = "long"
) -> str | None:
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
    unit = UNITS[figure.unit or ""]
    value = (
        round(amount / unit.scale) if amount >= 100 * unit.scale else round(amount / unit.scale, 2)
    )
    converted = figure.model_construct(
        value=value, unit=figure.unit, currency="EUR", qualifier=figure.qualifier
    )
    return format_figure(converted, locale, form)


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
