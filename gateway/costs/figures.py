"""The estimator's input figures, read from the country and baseline front matter.

This module turns ``labour``, ``tax`` and ``exchange_rate`` figures into the plain inputs
``gateway.costs.method`` reads (and the data file the frozen page's script reads), and lists
every input figure with its source and period for the page. It is the only place that knows
which front-matter figure feeds which input.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from core.countries import COUNTRY_SLUGS
from gateway.content_app import get_store
from gateway.costs import method

# The input figures, in the order the sources panel lists them.
INPUT_LABELS = {
    "wage_software": _l("Software development: average gross wage of its activity"),
    "wage_service": _l("Customer service / BPO: average gross wage of its activity"),
    "wage_finance": _l("Finance and accounting: average gross wage of its activity"),
    "average_gross_wage": _l("Average gross wage, all sectors (only where you ask for it)"),
    "employer_contributions": _l("Employer social contributions"),
    "employer_contributions_ceiling": _l("Monthly ceiling of the contribution base"),
    "employer_levies": _l("Employer payroll taxes and levies"),
    "typical_pension": _l("Collective-agreement pension (typical, not statutory)"),
    "months_paid": _l("Monthly salaries paid per year"),
    "exchange_rate": _l("Exchange rate (central bank middle rate)"),
    "office_rent": _l("Office rent in the capital"),
    "corporate_income_tax": _l("Corporate income tax"),
}
ROLE_KEYS = tuple(method.ROLE_WAGES.values())
WAGE_KEYS = (*ROLE_KEYS, method.FALLBACK_WAGE)
OPTIONAL = ("exchange_rate", "employer_contributions_ceiling", "employer_levies", "typical_pension")
# Overhead defaults the page starts from (the Germany baseline holds the sourced values).
OVERHEAD_DEFAULTS = ("m2_per_seat", "equipment_per_seat", "recruitment_per_hire")
OVERHEAD_HOME = "germany"


@dataclass(frozen=True)
class SourceRow:
    """One input figure of a country, with where it comes from."""

    key: str
    figure: object  # a gateway.content.schemas.Figure, or None when the file has none

    @property
    def label(self):
        """Return the input's label in the current language."""
        return INPUT_LABELS[self.key]


def all_slugs() -> tuple[str, ...]:
    """Return the six countries, then the three baselines."""
    return (*COUNTRY_SLUGS, *method.BASELINES)


def entry(slug: str, lang: str = "en"):
    """Return the content entry of a country or baseline (None when it does not load)."""
    kind = "baselines" if slug in method.BASELINES else "countries"
    return get_store().get(kind, slug, lang)


def _entity_contribution(figure):
    """Return the contribution figure the estimate uses: the country's, or its highest part.

    Where employer contributions are set only per entity or tier (Bosnia and Herzegovina's
    Federation and Republika Srpska), there is no country-wide rate; the estimate then uses
    the highest part's rate, so its cost is the upper one, and the figure's note says so.
    """
    if figure is None or figure.value is not None or not figure.parts:
        return figure
    if any(part.value is None for part in figure.parts):
        return figure
    return max(figure.parts, key=lambda part: part.value)


def _figures(meta) -> dict:
    labour, tax = getattr(meta, "labour", None), getattr(meta, "tax", None)
    found = {key: getattr(labour, key, None) for key in INPUT_LABELS if hasattr(labour, key)}
    if "employer_contributions" in found:
        found["employer_contributions"] = _entity_contribution(found["employer_contributions"])
    found["exchange_rate"] = getattr(meta, "exchange_rate", None)
    found["office_rent"] = getattr(getattr(meta, "overhead", None), "office_rent", None)
    found["corporate_income_tax"] = getattr(tax, "corporate_income_tax", None)
    return found


def _value(figure):
    return None if figure is None else figure.value


def _rate(figures: dict):
    """Return national currency per EUR of the wage figures (1 for the euro), or None."""
    currencies = {f.currency for k in WAGE_KEYS if (f := figures.get(k)) is not None}
    currencies.discard(None)
    if not currencies or currencies == {"EUR"}:
        return 1.0 if currencies == {"EUR"} else _value(figures.get("exchange_rate"))
    return _value(figures.get("exchange_rate"))


def _wage(figure) -> dict:
    """Return a wage figure as the method reads it: a monthly amount, its period and activity.

    A yearly figure (``money_per_year``) already holds every extra salary of the year: it is
    spread over its own twelve months, so the country's months paid do not apply to it.
    """
    shown = {"value": figure.value, "period": figure.period, "activity": figure.activity}
    if figure.unit == "money_per_year" and figure.value is not None:
        shown.update(value=figure.value / 12, months=12)
    return shown


def _ceiling(figures: dict, rate):
    """Return the monthly contribution ceiling in the wage's currency, or None.

    A ceiling may be a monthly amount, a yearly amount (spread over the months paid) or a
    multiple ("times") of the all-sector average monthly wage.
    """
    ceiling = figures.get("employer_contributions_ceiling")
    if ceiling is None or ceiling.value is None:
        return None
    wage = figures.get("average_gross_wage")
    if ceiling.unit == "times":
        if wage is None or wage.value is None or wage.unit != "money_per_month":
            return None
        return ceiling.value * wage.value
    amount = ceiling.value
    if ceiling.unit == "money_per_year":
        months = _value(figures.get("months_paid"))
        if months is None:
            return None
        amount = amount / months
    wage_currency = getattr(wage, "currency", None) or "EUR"
    if (ceiling.currency or wage_currency) == wage_currency:
        return amount
    if ceiling.currency == "EUR" and rate:
        return amount * rate
    return None


def _parts(figure, default_ceiling=None) -> list | None:
    """Return a rate figure as the method's list of rates (parts with their own limits).

    Parts are used one by one where any of them carries its own ``ceiling`` or ``floor``
    (Germany's branches of insurance, Sweden's ITP 1); otherwise the figure's total rate
    applies, with the country's ceiling. None: no rate known.
    """
    if figure is None:
        return None
    limited = [p for p in figure.parts if p.ceiling is not None or p.floor is not None]
    if limited or (figure.value is None and figure.parts):
        if any(part.value is None for part in figure.parts):
            return None
        return [_rate_part(part.value, part.ceiling, part.floor) for part in figure.parts]
    if figure.value is None:
        return None
    return [_rate_part(figure.value, default_ceiling, figure.floor)]


def _rate_part(rate: float, ceiling, floor) -> dict:
    part = {"rate": rate, "ceiling": ceiling}
    if floor is not None:
        part["floor"] = floor
    return part


def _rent(figures: dict, rate):
    """Return the capital's office rent in EUR per m² a month, or None."""
    rent = figures.get("office_rent")
    if rent is None or rent.value is None:
        return None
    if rent.currency in (None, "EUR"):
        return rent.value
    return rent.value / rate if rate else None


def inputs_of(slug: str, meta) -> dict:
    """Return the method's inputs of one country or baseline from its front matter."""
    if meta is None:
        return {"slug": slug}
    figures = _figures(meta)
    rate = _rate(figures)
    contributions = _parts(figures.get("employer_contributions"), _ceiling(figures, rate))
    levies = figures.get("employer_levies")
    if contributions is not None and levies is not None and not levies.missing:
        contributions = contributions + (_parts(levies) or [])
    pension = figures.get("typical_pension")
    tax = figures.get("corporate_income_tax")
    rate_figure = figures.get("exchange_rate")
    return {
        "slug": slug,
        "rate": rate,
        "rate_date": None if rate_figure is None else rate_figure.period,
        "currency": None if rate_figure is None else rate_figure.currency,
        "wages": {
            key: _wage(figure)
            for key in WAGE_KEYS
            if (figure := figures.get(key)) is not None and figure.value is not None
        },
        "contributions": contributions,
        "pension": None if pension is None or pension.missing else _parts(pension),
        "months_paid": _value(figures.get("months_paid")),
        "corporate_tax": _value(tax),
        "rent": _rent(figures, rate),
    }


def inputs_by_slug() -> dict:
    """Return the method's inputs of the six countries and the three baselines."""
    return {slug: inputs_of(slug, getattr(entry(slug), "meta", None)) for slug in all_slugs()}


def source_rows(slug: str, lang: str) -> list[SourceRow]:
    """Return every input figure of a country with its source, in the panel's order."""
    found = entry(slug, lang)
    figures = _figures(found.meta) if found is not None else {}
    rows = []
    for key in INPUT_LABELS:
        figure = figures.get(key)
        if key in OPTIONAL and (figure is None or figure.missing):
            continue  # a euro user has no exchange rate; a country may have no ceiling
        rows.append(SourceRow(key, figure))
    return rows


def overhead_defaults(lang: str = "en") -> dict:
    """Return the sourced overhead defaults (figures) the page starts from, by key."""
    found = entry(OVERHEAD_HOME, lang)
    overhead = getattr(getattr(found, "meta", None), "overhead", None)
    return {key: getattr(overhead, key, None) for key in OVERHEAD_DEFAULTS}


def overhead_values() -> dict:
    """Return the overhead defaults as the scenario holds them (0 where none is sourced)."""
    figures = overhead_defaults()
    return {
        name: _value(figures[key]) or 0
        for name, key in zip(("m2", "equipment", "recruitment"), OVERHEAD_DEFAULTS, strict=True)
    }
