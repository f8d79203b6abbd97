"""The estimate as people read it: names, money and percentages in the reader's language.

The page, the data file of the frozen page's script and the investor's mail all use these
functions, so an estimate reads the same wherever it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from babel import Locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core import formatting
from core.countries import BY_SLUG
from gateway.costs import method

ROLE_LABELS = {
    "software": _l("Software development"),
    "service": _l("Customer service / BPO"),
    "finance": _l("Finance and accounting"),
}
BASELINE_ISO = {"germany": "DE", "austria": "AT", "sweden": "SE"}
BASELINE_NAMES = {"germany": "Germany", "austria": "Austria", "sweden": "Sweden"}
MISSING_LABELS = {
    method.MISSING_WAGE: _l("the average gross wage of the role's activity"),
    method.MISSING_MONTHS: _l("the number of monthly salaries paid per year"),
    method.MISSING_CONTRIBUTIONS: _l("the employer contribution rate"),
    method.MISSING_RATE: _l("an exchange rate to the euro"),
}
FALLBACK_BASIS = _l("all-sector average, as you asked (no figure for the activity)")
# The standard scenarios pre-rendered on the page (and so on the frozen site).
STANDARD_TEAMS = (50, 200)
STANDARD_MIXES = ("software", "bpo", "finance")


def country_label(slug: str, lang: str) -> str:
    """Return the name of one of the six countries or a baseline in ``lang``."""
    iso = BY_SLUG[slug].iso2 if slug in BY_SLUG else BASELINE_ISO.get(slug)
    english = BY_SLUG[slug].name if slug in BY_SLUG else BASELINE_NAMES.get(slug, slug)
    if lang == "en" or iso is None:
        return english
    return Locale.parse(lang).territories.get(iso, english)


def money(value: float | None, lang: str) -> str:
    """Return an amount in EUR as the rest of the site writes it (``€605,000``, ``605.000 €``)."""
    return formatting.amount(value, "EUR", lang)


def percent(value: float | None, lang: str) -> str:
    """Return a percentage as the rest of the site writes it (``15.82%``, ``15,82 %``)."""
    return formatting.percent(value, lang)


def missing_text(missing: list[str]) -> str:
    """Return why a country cannot be estimated, in the current language."""
    return _(
        "Cannot be estimated: there is no sourced figure for %(what)s.",
        what=", ".join(str(MISSING_LABELS[key]) for key in missing),
    )


def rate_text(inputs: dict, lang: str) -> str:
    """Return the exchange rate a country's amounts are converted at, with its date."""
    if not inputs.get("currency") or inputs.get("currency") == "EUR":
        return _("amounts in euros")
    return _(
        "EUR 1 = %(rate)s on %(date)s",
        rate=formatting.amount(inputs.get("rate"), inputs["currency"], lang),
        date=formatting.period(inputs.get("rate_date"), lang),
    )


def basis_texts(inputs: dict, lang: str) -> dict:
    """Return, per wage statistic a country has, the basis of a number built on it.

    Activity (or the all-sector fallback), period, months paid and the rate's date: what a
    reader needs to weigh a number against another country's.
    """
    texts = {}
    for key, figure in (inputs.get("wages") or {}).items():
        activity = figure.get("activity") if key != method.FALLBACK_WAGE else str(FALLBACK_BASIS)
        months = figure.get("months") or inputs.get("months_paid")
        months_text = (
            _("a yearly figure with every extra salary")
            if figure.get("months")
            else _("%(months)s salaries a year", months=formatting.number(months, lang))
        )
        texts[key] = " · ".join(
            str(part)
            for part in (
                activity or _("activity not stated"),
                formatting.period(figure.get("period"), lang),
                months_text,
                rate_text(inputs, lang),
            )
        )
    return texts


@dataclass(frozen=True)
class Row:
    """One country or baseline of an estimate, ready to show."""

    slug: str
    name: str
    baseline: bool
    ok: bool
    team_cost: str
    person_cost: str
    corporate_tax: str
    savings: list = field(default_factory=list)  # (baseline name, EUR text, percent text)
    why: str = ""
    value: float | None = None  # the rounded team cost, for the chart
    total_person: str = "—"
    total_cost: str = "—"
    pension: str = ""
    basis: list = field(default_factory=list)  # (role label, basis text, all-sector fallback)
    total_savings: list = field(default_factory=list)


def _savings(found: dict, slug: str, baselines: list, lang: str) -> list:
    out = []
    for other in baselines:
        saving = found[slug][other["slug"]]
        out.append(
            (
                country_label(other["slug"], lang),
                money(saving and saving["eur"], lang),
                percent(saving and saving["percent"], lang),
            )
        )
    return out


def _basis(country: dict, inputs: dict, lang: str) -> list:
    texts = basis_texts(inputs, lang)
    return [
        (str(ROLE_LABELS[role]), texts.get(key, ""), key == method.FALLBACK_WAGE)
        for role, key in (country.get("wages_used") or {}).items()
    ]


def rows(result: dict, inputs: dict, lang: str) -> list[Row]:
    """Return the rows of an estimate: the chosen countries first, then the baselines."""
    out = []
    for country, baseline in [(c, False) for c in result["countries"]] + [
        (b, True) for b in result["baselines"]
    ]:
        slug = country["slug"]
        own = inputs.get(slug) or {}
        savings, totals = [], []
        if not baseline:
            savings = _savings(result["savings"], slug, result["baselines"], lang)
            totals = _savings(result["total_savings"], slug, result["baselines"], lang)
        pension = country.get("pension")
        out.append(
            Row(
                slug=slug,
                name=country_label(slug, lang),
                baseline=baseline,
                ok=country["ok"],
                team_cost=money(country.get("team_cost"), lang),
                person_cost=money(country.get("person_cost"), lang),
                corporate_tax=percent(own.get("corporate_tax"), lang),
                savings=savings,
                why="" if country["ok"] else missing_text(country["missing"]),
                value=country.get("team_cost"),
                total_person=money(country.get("total_person"), lang),
                total_cost=money(country.get("total_cost"), lang),
                pension="" if pension is None else money(pension, lang),
                basis=_basis(country, own, lang),
                total_savings=totals,
            )
        )
    return out


def standard_scenarios(countries: list[str], overhead: dict | None = None) -> list[dict]:
    """Return the standard scenarios: each standard team size with each role mix."""
    return [
        method.scenario(team, mix, countries, overhead=overhead)
        for team in STANDARD_TEAMS
        for mix in STANDARD_MIXES
    ]
