"""The cost-of-a-centre method: one definition, pure, mirrored line for line in costs-method.js.

Yearly salary cost of one person in a role =
    (monthly gross wage of the role's activity x role factor + employer contributions and
    payroll levies on it) x months paid per year, converted to EUR.
Each role takes the average gross wage of its own economic activity (``ROLE_WAGES``); where
that figure is missing the role is not available in the country, unless the investor asks
for the all-sector average instead (``fallback``), which the result then marks. Contributions
are a list of rates; a rate with a ceiling applies to the wage up to that monthly ceiling
only. The usual collective-agreement pension (``pension``) is typical, not statutory: it is
computed apart and never enters the salary cost or the savings.

Yearly total cost of a seat in the first year = salary cost + office rent (EUR per m² a month
x m² per seat x 12) + equipment and IT per seat + recruitment (percent of a year's gross pay,
once per hire). A team's cost is the team size times the share-weighted cost of its roles.
Nothing is rounded until the end, and then only by :func:`round_to`. The inputs are plain
dicts (the JSON the freeze writes carries exactly these), so ``static/js/costs-method.js`` runs the
same arithmetic in the same order; tests prove they agree.

Inputs of a country::

    {"slug": "serbia", "rate": 117.4176, "rate_date": "2026-02-03",
     "wages": {"wage_software": {"value": 326580.0, "period": "2025-06",
                                 "activity": "NACE Rev. 2 section J"},
               "average_gross_wage": {"value": 169921.0, "period": "2025-12"}},
     # a wage published per year is given per month with its own "months": 12
     "contributions": [{"rate": 15.15, "ceiling": None}],  # percent; monthly ceiling or None
     "pension": None,                                      # typical, same shape
     "months_paid": 12, "corporate_tax": 15.0, "rent": 19.0}  # rent: EUR per m² a month

A missing figure is ``None`` (or absent); the result then says which inputs are missing
instead of giving a wrong number.
"""

from __future__ import annotations

import math

ROLES = ("software", "service", "finance")
# The wage statistic of each role's activity (data, not code; docs/costs.md gives the basis).
ROLE_WAGES = {"software": "wage_software", "service": "wage_service", "finance": "wage_finance"}
FALLBACK_WAGE = "average_gross_wage"  # only when the investor asks for it, and marked
ROLE_MIXES = {
    "software": {"software": 100, "service": 0, "finance": 0},
    "bpo": {"software": 0, "service": 100, "finance": 0},
    "finance": {"software": 0, "service": 0, "finance": 100},
}
CUSTOM = "custom"
MIXES = (*ROLE_MIXES, CUSTOM)
DEFAULT_FACTOR = 1.0
FACTOR_MIN, FACTOR_MAX = 0.5, 3.0
TEAM_MIN, TEAM_MAX, DEFAULT_TEAM = 5, 500, 50
# Overhead per seat the investor may change (defaults come from content, see figures.py).
OVERHEAD_LIMITS = {"m2": (0, 50), "equipment": (0, 20000), "recruitment": (0, 100)}
RENT_LIMITS = (0, 200)  # EUR per m² a month
# Rounding, defined once: team costs and savings to EUR 1,000, the cost per person to
# EUR 100, a saving in percent to a whole percent; half-way values round up.
COST_STEP = 1000
PERSON_STEP = 100
PERCENT_STEP = 1
BASELINES = ("germany", "austria", "sweden")
# Why a country cannot be estimated: the input that is missing.
MISSING_WAGE = "wage"
MISSING_MONTHS = "months_paid"
MISSING_CONTRIBUTIONS = "contributions"
MISSING_RATE = "rate"


def round_to(value: float, step: float) -> float:
    """Round to the nearest multiple of ``step``, half-way values up (as JS Math.floor)."""
    return math.floor(value / step + 0.5) * step


def known(value) -> bool:
    """Tell whether an input figure has a value."""
    return value is not None


def role_wage(inputs: dict, role: str, fallback: bool = False):
    """Return (statistic key, figure) of the wage a role uses, or (None, None) if none is set."""
    wages = inputs.get("wages") or {}
    keys = [ROLE_WAGES[role]]
    if fallback:
        keys.append(FALLBACK_WAGE)
    for key in keys:
        figure = wages.get(key)
        if figure is not None and known(figure.get("value")):
            return key, figure
    return None, None


def monthly_contributions(wage: float, contributions: list) -> float:
    """Return the employer contributions on one month's wage, each up to its ceiling.

    A part with a ``floor`` applies only to the wage above it (Sweden's ITP 1: 30 % above
    7.5 income base amounts).
    """
    total = 0.0
    for part in contributions:
        base = wage
        ceiling = part.get("ceiling")
        if known(ceiling) and ceiling < base:
            base = ceiling
        floor = part.get("floor")
        if known(floor):
            base = base - floor
            if base < 0:
                base = 0
        total = total + part["rate"] / 100 * base
    return total


def person_cost(wage: float, factor: float, months: float, contributions: list) -> float:
    """Return the yearly employer cost of one person, in national currency (unrounded)."""
    monthly = wage * factor
    return (monthly + monthly_contributions(monthly, contributions)) * months


def wage_months(inputs: dict, figure: dict):
    """Return over how many monthly salaries a year a wage figure is paid (None: unknown)."""
    if known(figure.get("months")):
        return figure["months"]
    return inputs.get("months_paid")


def contributions_known(inputs: dict) -> bool:
    """Tell whether the country lists its employer contributions, each with a known rate."""
    parts = inputs.get("contributions")
    return parts is not None and all(known(part.get("rate")) for part in parts)


def missing_inputs(inputs: dict, shares: dict, fallback: bool = False) -> list:
    """Return which inputs the scenario needs but the country lacks (empty: estimable)."""
    missing = []
    months_needed = False
    for role in ROLES:
        if shares[role] > 0:
            key, figure = role_wage(inputs, role, fallback)
            if key is None:
                if MISSING_WAGE not in missing:
                    missing.append(MISSING_WAGE)
            elif not known(figure.get("months")):
                months_needed = True
    if months_needed and not known(inputs.get("months_paid")):
        missing.append(MISSING_MONTHS)
    if not contributions_known(inputs):
        missing.append(MISSING_CONTRIBUTIONS)
    if not known(inputs.get("rate")):
        missing.append(MISSING_RATE)
    return missing


def seat_rent(inputs: dict, overhead: dict):
    """Return the office rent of one seat a year in EUR (None: no rent known)."""
    rent = (overhead.get("rents") or {}).get(inputs["slug"])
    if not known(rent):
        rent = inputs.get("rent")
    if not known(rent):
        return None
    return rent * overhead["m2"] * 12


def country_cost(inputs: dict, scenario: dict) -> dict:
    """Return the yearly cost of the scenario's team in one country, or why it cannot be had."""
    shares = scenario["shares"]
    fallback = scenario.get("fallback") is True
    missing = missing_inputs(inputs, shares, fallback)
    result = {"slug": inputs["slug"], "ok": len(missing) == 0, "missing": missing}
    if len(missing) > 0:
        return result
    salary = 0.0
    pension = 0.0
    recruitment = 0.0
    wages_used = {}
    periods = []
    overhead = scenario["overhead"]
    for role in ROLES:
        if shares[role] > 0:
            key, figure = role_wage(inputs, role, fallback)
            wages_used[role] = key
            period = figure.get("period")
            if known(period) and period not in periods:
                periods.append(period)
            months = wage_months(inputs, figure)
            factor = scenario["factors"][role]
            weight = shares[role] / 100
            salary = salary + weight * person_cost(
                figure["value"], factor, months, inputs["contributions"]
            )
            pay = figure["value"] * factor * months
            recruitment = recruitment + weight * pay * overhead["recruitment"] / 100
            if known(inputs.get("pension")):
                typical = monthly_contributions(figure["value"] * factor, inputs["pension"])
                pension = pension + weight * typical * months
    team = scenario["team"]
    rate = inputs["rate"]
    raw = team * salary / rate
    result["raw"] = raw
    result["team_cost"] = round_to(raw, COST_STEP)
    result["person_cost"] = round_to(raw / team, PERSON_STEP)
    result["pension"] = None
    if known(inputs.get("pension")):
        result["pension"] = round_to(pension / rate, PERSON_STEP)
    result["wages_used"] = wages_used
    result["periods"] = periods
    rent = seat_rent(inputs, overhead)
    result["overhead_ok"] = known(rent)
    if known(rent):
        seat = rent + overhead["equipment"] + recruitment / rate
        total = raw + team * seat
        result["total_raw"] = total
        result["total_cost"] = round_to(total, COST_STEP)
        result["total_person"] = round_to(total / team, PERSON_STEP)
        result["overhead_person"] = round_to(seat, PERSON_STEP)
    return result


def saving(country: dict, baseline: dict, key: str = "raw"):
    """Return the saving of a country against a baseline in EUR and percent (None if unknown)."""
    if not country["ok"] or not baseline["ok"]:
        return None
    if not known(country.get(key)) or not known(baseline.get(key)):
        return None
    eur = baseline[key] - country[key]
    return {
        "eur": round_to(eur, COST_STEP),
        "percent": round_to(eur / baseline[key] * 100, PERCENT_STEP),
    }


def estimate(inputs_by_slug: dict, scenario: dict) -> dict:
    """Return the scenario's costs per country and baseline, the savings and period notes."""
    countries = []
    for slug in scenario["countries"]:
        countries.append(country_cost(inputs_by_slug.get(slug) or {"slug": slug}, scenario))
    baselines = []
    for slug in BASELINES:
        baselines.append(country_cost(inputs_by_slug.get(slug) or {"slug": slug}, scenario))
    savings: dict[str, dict] = {}
    totals: dict[str, dict] = {}
    for country in countries:
        savings[country["slug"]] = {}
        totals[country["slug"]] = {}
        for baseline in baselines:
            savings[country["slug"]][baseline["slug"]] = saving(country, baseline)
            totals[country["slug"]][baseline["slug"]] = saving(country, baseline, "total_raw")
    periods = []
    for row in countries + baselines:
        for period in row.get("periods") or []:
            if period not in periods:
                periods.append(period)
    return {
        "countries": countries,
        "baselines": baselines,
        "savings": savings,
        "total_savings": totals,
        "periods": sorted(periods),
        "periods_differ": len(periods) > 1,
    }


def mix_shares(mix: str, custom: dict | None = None) -> dict:
    """Return the role shares (percent) of a role mix; ``custom`` gives them for "custom"."""
    if mix == CUSTOM:
        return {role: (custom or {}).get(role, 0) for role in ROLES}
    return dict(ROLE_MIXES[mix])


def scenario(
    team: int,
    mix: str,
    countries: list,
    shares: dict | None = None,
    factors: dict | None = None,
    overhead: dict | None = None,
    fallback: bool = False,
) -> dict:
    """Return a scenario dict (the shape ``estimate`` and costs-method.js read)."""
    factors = factors or {}
    overhead = overhead or {}
    return {
        "team": team,
        "mix": mix,
        "shares": mix_shares(mix, shares),
        "factors": {role: factors.get(role, DEFAULT_FACTOR) for role in ROLES},
        "countries": list(countries),
        "overhead": {
            "m2": overhead.get("m2", 0),
            "equipment": overhead.get("equipment", 0),
            "recruitment": overhead.get("recruitment", 0),
            "rents": dict(overhead.get("rents") or {}),
        },
        "fallback": fallback,
    }
