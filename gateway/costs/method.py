"""The cost-of-a-centre method: one definition, pure, mirrored line for line in costs.js.

Yearly employer cost of one person in a role =
    (monthly gross wage of the role x role factor + employer contributions on it)
    x months paid per year, converted to EUR at the central bank's middle rate.
Employer contributions are a list of rates; a rate with a ceiling applies to the wage up to
that monthly ceiling only. The team's cost is the team size times the share-weighted cost of
its roles. Nothing is rounded until the end, and then only by :func:`round_to`, with the steps
below. The inputs are plain dicts (the JSON the freeze writes carries exactly these), so
``static/js/costs.js`` runs the same arithmetic in the same order; tests prove they agree.

Inputs of a country::

    {"slug": "serbia", "rate": 117.2,            # national currency per EUR; 1 for the euro
     "wages": {"average_gross_wage": {"value": 1000.0, "period": "2025"},
               "average_gross_wage_ict": {"value": 2000.0, "period": "2025"}},
     # a wage published per year is given per month with its own "months": 12 (the yearly
     # figure already holds every extra salary), and months_paid then does not apply to it
     "contributions": [{"rate": 15.15, "ceiling": None}],  # percent; monthly ceiling or None
     "months_paid": 12, "corporate_tax": 15.0}

A missing figure is ``None`` (or absent); the country then cannot be estimated and the result
says which inputs are missing instead of giving a wrong number.
"""

from __future__ import annotations

import math

# Roles, and which wage statistic each uses, in order of preference (data, not code): the
# NACE J (information and communication) average for software roles where it is published,
# the all-sector average otherwise.
ROLES = ("software", "service", "finance")
ROLE_WAGES = {
    "software": ("average_gross_wage_ict", "average_gross_wage"),
    "service": ("average_gross_wage",),
    "finance": ("average_gross_wage",),
}
# The role mixes the page offers; "custom" takes the investor's own shares (percent).
ROLE_MIXES = {
    "software": {"software": 100, "service": 0, "finance": 0},
    "bpo": {"software": 0, "service": 100, "finance": 0},
    "finance": {"software": 0, "service": 0, "finance": 100},
}
CUSTOM = "custom"
MIXES = (*ROLE_MIXES, CUSTOM)
# A role factor multiplies the wage statistic a role uses (1 = the published average).
DEFAULT_FACTOR = 1.0
FACTOR_MIN, FACTOR_MAX = 0.5, 3.0
TEAM_MIN, TEAM_MAX, DEFAULT_TEAM = 5, 500, 50
# Rounding, defined once: team costs and savings to EUR 1,000, the cost per person to
# EUR 100, a saving in percent to a whole percent; half-way values round up.
COST_STEP = 1000
PERSON_STEP = 100
PERCENT_STEP = 1
# The comparison baselines (content/baselines/<slug>.md).
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


def role_wage(inputs: dict, role: str):
    """Return (statistic key, figure) of the wage a role uses, or (None, None) if none is set."""
    wages = inputs.get("wages") or {}
    for key in ROLE_WAGES[role]:
        figure = wages.get(key)
        if figure is not None and known(figure.get("value")):
            return key, figure
    return None, None


def monthly_contributions(wage: float, contributions: list) -> float:
    """Return the employer contributions on one month's wage, each up to its ceiling."""
    total = 0.0
    for part in contributions:
        base = wage
        ceiling = part.get("ceiling")
        if known(ceiling) and ceiling < base:
            base = ceiling
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


def missing_inputs(inputs: dict, shares: dict) -> list:
    """Return which inputs the scenario needs but the country lacks (empty: estimable)."""
    missing = []
    months_needed = False
    for role in ROLES:
        if shares[role] > 0:
            key, figure = role_wage(inputs, role)
            if key is None:
                if MISSING_WAGE not in missing:
                    missing.append(MISSING_WAGE)
            elif not known(figure.get("months")):
                months_needed = True
    if (months_needed or MISSING_WAGE in missing) and not known(inputs.get("months_paid")):
        missing.append(MISSING_MONTHS)
    if not contributions_known(inputs):
        missing.append(MISSING_CONTRIBUTIONS)
    if not known(inputs.get("rate")) and MISSING_WAGE not in missing:
        missing.append(MISSING_RATE)  # without a wage, its currency is not known either
    return missing


def country_cost(inputs: dict, scenario: dict) -> dict:
    """Return the yearly cost of the scenario's team in one country, or why it cannot be had."""
    shares = scenario["shares"]
    missing = missing_inputs(inputs, shares)
    result = {"slug": inputs["slug"], "ok": len(missing) == 0, "missing": missing}
    if len(missing) > 0:
        return result
    total = 0.0
    wages_used = {}
    periods = []
    for role in ROLES:
        if shares[role] > 0:
            key, figure = role_wage(inputs, role)
            wages_used[role] = key
            period = figure.get("period")
            if known(period) and period not in periods:
                periods.append(period)
            cost = person_cost(
                figure["value"],
                scenario["factors"][role],
                wage_months(inputs, figure),
                inputs["contributions"],
            )
            total = total + shares[role] / 100 * cost
    team_cost = scenario["team"] * total / inputs["rate"]
    result["raw"] = team_cost
    result["team_cost"] = round_to(team_cost, COST_STEP)
    result["person_cost"] = round_to(team_cost / scenario["team"], PERSON_STEP)
    result["wages_used"] = wages_used
    result["periods"] = periods
    return result


def saving(country: dict, baseline: dict):
    """Return the saving of a country against a baseline in EUR and percent (None if unknown)."""
    if not country["ok"] or not baseline["ok"]:
        return None
    eur = baseline["raw"] - country["raw"]
    return {
        "eur": round_to(eur, COST_STEP),
        "percent": round_to(eur / baseline["raw"] * 100, PERCENT_STEP),
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
    for country in countries:
        savings[country["slug"]] = {}
        for baseline in baselines:
            savings[country["slug"]][baseline["slug"]] = saving(country, baseline)
    periods = []
    for row in countries + baselines:
        for period in row.get("periods") or []:
            if period not in periods:
                periods.append(period)
    return {
        "countries": countries,
        "baselines": baselines,
        "savings": savings,
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
) -> dict:
    """Return a scenario dict (the shape ``estimate`` and costs.js read)."""
    factors = factors or {}
    return {
        "team": team,
        "mix": mix,
        "shares": mix_shares(mix, shares),
        "factors": {role: factors.get(role, DEFAULT_FACTOR) for role in ROLES},
        "countries": list(countries),
    }
