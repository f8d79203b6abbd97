"""The units a figure may be given in, its qualifiers and the pattern of its period.

One table that the front-matter schemas validate against and the figure formatter reads; it
imports neither of them. No Flask in here.
"""

from __future__ import annotations

from dataclasses import dataclass

from core import formatting as fmt
from core.formatting import N_

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
    "money_per_m2_month": UnitInfo(suffix=N_("per m² a month"), money=True),
    "square_metres": UnitInfo(suffix=N_("m²")),
    "currency_per_eur": UnitInfo(),
}
"""Unit name (the ``unit:`` of a figure in front matter) -> how it is shown."""
