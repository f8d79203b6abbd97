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

BASELINE_ISO = {"germany": "DE", "austria": "AT", "sweden": "SE"}
BASELINE_NAMES = {"germany": "Germany", "austria": "Austria", "sweden": "Sweden"}
MISSING_LABELS = {
    method.MISSING_WAGE: _l("an average gross wage"),
    method.MISSING_MONTHS: _l("the number of monthly salaries paid per year"),
    method.MISSING_CONTRIBUTIONS: _l("the employer contribution rate"),
    method.MISSING_RATE: _l("an exchange rate to the euro"),
}
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


def rows(result: dict, inputs: dict, lang: str) -> list[Row]:
    """Return the rows of an estimate: the chosen countries first, then the baselines."""
    out = []
    for country, baseline in [(c, False) for c in result["countries"]] + [
        (b, True) for b in result["baselines"]
    ]:
        slug = country["slug"]
        savings = []
        if not baseline:
            for other in result["baselines"]:
                found = result["savings"][slug][other["slug"]]
                savings.append(
                    (
                        country_label(other["slug"], lang),
                        money(found and found["eur"], lang),
                        percent(found and found["percent"], lang),
                    )
                )
        tax = (inputs.get(slug) or {}).get("corporate_tax")
        out.append(
            Row(
                slug=slug,
                name=country_label(slug, lang),
                baseline=baseline,
                ok=country["ok"],
                team_cost=money(country.get("team_cost"), lang),
                person_cost=money(country.get("person_cost"), lang),
                corporate_tax=percent(tax, lang),
                savings=savings,
                why="" if country["ok"] else missing_text(country["missing"]),
                value=country.get("team_cost"),
            )
        )
    return out


def standard_scenarios(countries: list[str]) -> list[dict]:
    """Return the standard scenarios: each standard team size with each role mix."""
    return [
        method.scenario(team, mix, countries) for team in STANDARD_TEAMS for mix in STANDARD_MIXES
    ]
