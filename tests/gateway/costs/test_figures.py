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
    assert wage == {"value": 5000, "period": "2025", "months": 12, "activity": None}


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


def test_the_real_figures_estimate_a_software_team_in_serbia_against_sweden(app):
    from gateway.costs import method

    result = method.estimate(figures.inputs_by_slug(), method.scenario(50, "software", ["serbia"]))
    serbia, sweden = result["countries"][0], result["baselines"][2]
    assert serbia["ok"]
    assert sweden["ok"]
    assert 0 < serbia["team_cost"] < sweden["team_cost"]
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


ROLE_MIXES = {"software": "software", "service": "bpo", "finance": "finance"}


def test_every_country_and_role_has_one_basis_or_says_why_not(app):
    """Each of the nine countries and three roles: the activity's wage of 2024 or later, gross,
    with its activity named, or "not available" with the reason in the content."""
    from gateway.costs import method

    inputs = figures.inputs_by_slug()
    available = {}
    for slug in figures.all_slugs():
        labour = figures.entry(slug).meta.labour
        for role, key in method.ROLE_WAGES.items():
            figure = getattr(labour, key)
            if figure.value is None:
                assert figure.note, (slug, role)
                assert figure.note.startswith("Not available:"), (slug, role)
                continue
            assert figure.activity, (slug, role)
            assert figure.period >= "2024", (slug, role)
            assert figure.source, (slug, role)
            assert figure.checked, (slug, role)
            result = method.country_cost(
                inputs[slug], method.scenario(50, ROLE_MIXES[role], [slug])
            )
            assert result["ok"], (slug, role, result)
            available[(slug, role)] = result["raw"]
    # Where both exist, a developer costs more than a customer-service agent.
    for slug in figures.all_slugs():
        if (slug, "software") in available and (slug, "service") in available:
            assert available[(slug, "software")] > available[(slug, "service")], slug
    assert ("sweden", "service") in available  # the one country where both are published


def test_kosovo_is_estimated_on_the_all_sector_average_when_asked(app):
    from gateway.costs import method

    inputs = figures.inputs_by_slug()
    plain = method.country_cost(inputs["kosovo"], method.scenario(50, "software", ["kosovo"]))
    assert plain["missing"] == [method.MISSING_WAGE]
    asked = method.country_cost(
        inputs["kosovo"], method.scenario(50, "software", ["kosovo"], fallback=True)
    )
    assert asked["ok"] is True
    assert inputs["kosovo"]["months_paid"] == 12  # months paid no longer block Kosovo


def test_the_whole_employer_cost_of_the_baselines(app):
    inputs = figures.inputs_by_slug()
    # Austria: social insurance up to its ceiling plus about 8.6 % payroll taxes and levies.
    austria = inputs["austria"]["contributions"]
    assert sum(p["rate"] for p in austria if p["ceiling"] is None) == pytest.approx(8.59)
    assert inputs["austria"]["months_paid"] == 14
    # Germany: each branch of insurance with its own ceiling, and the levies.
    germany = inputs["germany"]["contributions"]
    assert {p["ceiling"] for p in germany} == {8450, 5812.5}
    assert any(p["rate"] == 0.15 for p in germany)  # insolvency levy (U3)
    # Sweden: the ITP 1 pension is typical, held apart from the statutory contributions.
    assert inputs["sweden"]["contributions"] == [{"rate": 31.42, "ceiling": None}]
    assert inputs["sweden"]["pension"][1] == {"rate": 30, "ceiling": None, "floor": 50812.5}
