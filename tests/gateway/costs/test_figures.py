"""Which front-matter figure feeds which input of the estimator."""

from __future__ import annotations

import pytest

from gateway.content.schemas import BaselineDoc
from gateway.costs import figures


def baseline(**labour) -> BaselineDoc:
    return BaselineDoc(title="Test", labour=labour, exchange_rate=labour.pop("rate", None))


def money(value, currency="EUR", unit="money_per_month"):
    return {"value": value, "unit": unit, "currency": currency, "source": "S", "period": "2025"}


def test_a_yearly_wage_is_spread_over_its_own_twelve_months():
    meta = baseline(average_gross_wage=money(60000, unit="money_per_year"))
    wage = figures.inputs_of("x", meta)["wages"]["average_gross_wage"]
    assert wage == {"value": 5000, "period": "2025", "months": 12}


def test_a_ceiling_in_euro_is_converted_into_the_wage_currency():
    meta = baseline(
        average_gross_wage=money(100000, "RSD"),
        employer_contributions={"value": 15, "unit": "percent", "source": "S", "period": "2025"},
        employer_contributions_ceiling=money(5000),
        rate={"value": 117, "unit": "currency_per_eur", "currency": "RSD", "source": "S",
              "period": "2025"},
    )  # fmt: skip
    inputs = figures.inputs_of("x", meta)
    assert inputs["rate"] == 117
    assert inputs["contributions"] == [{"rate": 15, "ceiling": 585000}]


@pytest.mark.parametrize(
    ("ceiling", "months", "expected"),
    [
        ({"value": 16, "unit": "times", "source": "S", "period": "2020"}, None, 16 * 1000),
        (money(84000, unit="money_per_year"), 14, 6000),
        (money(84000, unit="money_per_year"), None, None),
    ],
)
def test_ceilings_as_multiples_or_yearly_amounts_become_monthly(ceiling, months, expected):
    labour = {
        "average_gross_wage": money(1000),
        "employer_contributions": {"value": 10, "unit": "percent", "source": "S", "period": "2025"},
        "employer_contributions_ceiling": ceiling,
    }
    if months:
        labour["months_paid"] = {"value": months, "unit": "months", "source": "S", "period": "2025"}
    inputs = figures.inputs_of("x", baseline(**labour))
    assert inputs["contributions"][0]["ceiling"] == expected


def test_a_euro_country_needs_no_exchange_rate_and_a_missing_figure_stays_missing():
    inputs = figures.inputs_of("x", baseline(average_gross_wage=money(3000)))
    assert inputs["rate"] == 1.0
    assert inputs["contributions"] is None
    assert inputs["months_paid"] is None


def test_the_real_figures_estimate_a_software_team_in_serbia_against_germany(app):
    from gateway.costs import method

    result = method.estimate(figures.inputs_by_slug(), method.scenario(50, "software", ["serbia"]))
    serbia, germany = result["countries"][0], result["baselines"][0]
    assert serbia["ok"]
    assert germany["ok"]
    assert 0 < serbia["team_cost"] < germany["team_cost"]
    assert result["periods_differ"] is True


def percent(value, **extra):
    return {"value": value, "unit": "percent", "source": "S", "period": "2025", **extra}


def test_contributions_set_only_per_entity_use_the_highest_entity_rate():
    entities = [percent(10.5, label="Federation"), percent(0, label="Republika Srpska")]
    meta = baseline(
        average_gross_wage=money(2000, "BAM"),
        employer_contributions={"value": None, "unit": "percent", "parts": entities},
    )
    assert figures.inputs_of("x", meta)["contributions"] == [{"rate": 10.5, "ceiling": None}]


def test_an_entity_without_a_rate_leaves_the_contributions_missing():
    entities = [percent(10.5, label="Federation"), {"value": None, "label": "Brcko District"}]
    meta = baseline(
        average_gross_wage=money(2000, "BAM"),
        employer_contributions={"value": None, "unit": "percent", "parts": entities},
    )
    assert figures.inputs_of("x", meta)["contributions"] is None


def test_every_country_and_baseline_but_kosovo_can_now_be_estimated(app):
    """Kosovo lacks only a sourced number of monthly salaries a year (see its front matter)."""
    from gateway.costs import method

    scenario = method.scenario(50, "software", list(figures.all_slugs()[:6]))
    result = method.estimate(figures.inputs_by_slug(), scenario)
    missing = {row["slug"]: row["missing"] for row in result["countries"] + result["baselines"]}
    assert missing == {slug: [] for slug in figures.all_slugs()} | {
        "kosovo": [method.MISSING_MONTHS]
    }
    bosnia = next(row for row in result["countries"] if row["slug"] == "bosnia-and-herzegovina")
    # The country-wide wage with the Federation's rate (the higher entity rate), 12 months.
    labour = figures.entry("bosnia-and-herzegovina").meta.labour
    federation = max(part.value for part in labour.employer_contributions.parts)
    wage = labour.average_gross_wage.value
    assert bosnia["raw"] == pytest.approx(50 * wage * (1 + federation / 100) * 12 / 1.95583)
