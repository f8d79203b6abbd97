"""Figures: plain (locale-neutral) accessors and the one formatter (units in ``units.py``).

``format_figure`` is the single place a figure becomes text; templates, charts and PDFs call
it (via the ``figure_text`` template filter). Numbers, amounts and percentages come from the
locale's CLDR data through ``core.formatting``; unit words and qualifiers are interface
strings of the gettext catalogues.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from core import formatting as fmt
from core.formatting import N_
from gateway.content.schemas import Figure, Strict
from gateway.content.units import UNITS, UnitInfo

DASH = fmt.DASH


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


# Figures a file need not have at all: only reported as missing when the file names them.
OPTIONAL_FIGURES: tuple[str, ...] = ("employer_levies", "typical_pension", "m2_per_seat")
OPTIONAL_FIGURES += ("equipment_per_seat", "recruitment_per_hire")


def _reported(path: str, figure: Figure) -> bool:
    if ".parts." in path or not figure.missing:
        return False
    return bool(figure.model_fields_set) or path.rsplit(".", 1)[-1] not in OPTIONAL_FIGURES


def missing_figures(meta: Any) -> list[str]:
    """Return the dotted paths of the figures that have no sourced value (parts excluded)."""
    return [path for path, fig in iter_figures(meta) if _reported(path, fig)]


def missing_figure_reasons(meta: Any) -> list[tuple[str, str]]:
    """Return ``(dotted path, reason)`` of each missing figure (reason: its note, or "")."""
    return [(path, fig.note or "") for path, fig in iter_figures(meta) if _reported(path, fig)]
