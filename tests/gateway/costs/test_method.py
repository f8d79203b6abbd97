"""The cost-of-a-centre method on hand-checkable fixtures."""

from __future__ import annotations

import pytest

from gateway.costs import method
from tests.support.costs_fixtures import INPUTS, inputs


def software(team=50, countries=("serbia",), **kwargs):
    return method.scenario(team, "software", list(countries), **kwargs)


def test_worked_example_serbia_against_germany():
    result = method.estimate(INPUTS, software())
    serbia = result["countries"][0]
    germany = result["baselines"][0]
    # Serbia: 234,000 RSD x (1 + 15.15 %) x 12 = 3,233,412 RSD = EUR 27,636 a person.
    assert serbia["raw"] == pytest.approx(50 * 27636.0)
    assert serbia["team_cost"] == 1_382_000
    assert serbia["person_cost"] == 27_600
    assert serbia["wages_used"] == {"software": "average_gross_wage_ict"}
    # Germany: EUR 5,000 x (1 + 9.3 % + 8.55 %) x 12 = EUR 70,710 a person, below both ceilings.
    assert germany["raw"] == pytest.approx(50 * 70710.0)
    assert germany["team_cost"] == 3_536_000  # 3,535,500: half-way rounds up
    assert result["savings"]["serbia"]["germany"] == {"eur": 2_154_000, "percent": 61}


def test_a_contribution_stops_at_its_ceiling():
    assert method.monthly_contributions(9000.0, [{"rate": 10.0, "ceiling": 8050.0}]) == 805.0
    assert method.monthly_contributions(5000.0, [{"rate": 10.0, "ceiling": 8050.0}]) == 500.0
    assert method.monthly_contributions(9000.0, [{"rate": 10.0, "ceiling": None}]) == 900.0


def test_the_role_factor_scales_the_wage_and_its_capped_contributions():
    base = method.person_cost(9000.0, 1.0, 12, [{"rate": 10.0, "ceiling": 8050.0}])
    higher = method.person_cost(9000.0, 1.5, 12, [{"rate": 10.0, "ceiling": 8050.0}])
    assert base == (9000 + 805) * 12
    assert higher == (13500 + 805) * 12


def test_months_paid_count_every_salary_of_the_year():
    austria = method.country_cost(INPUTS["austria"], software())
    # EUR 4,800 + 21 % of 4,800 + 8 % of 4,800, fourteen times a year.
    assert austria["raw"] == pytest.approx(50 * 4800 * 1.29 * 14)


def test_software_falls_back_to_the_all_sector_wage_where_no_ict_wage_is_published():
    albania = method.country_cost(INPUTS["albania"], software())
    assert albania["wages_used"] == {"software": "average_gross_wage"}
    assert albania["periods"] == ["2024"]


def test_a_missing_input_says_why_instead_of_giving_a_number():
    kosovo = method.country_cost(INPUTS["kosovo"], software())
    assert kosovo == {
        "slug": "kosovo",
        "ok": False,
        "missing": [method.MISSING_WAGE, method.MISSING_MONTHS],
    }
    result = method.estimate(INPUTS, software(countries=("kosovo", "serbia")))
    assert result["savings"]["kosovo"]["germany"] is None
    assert result["savings"]["serbia"]["germany"] is not None


def test_a_missing_exchange_rate_or_contribution_blocks_the_estimate():
    serbia = {**INPUTS["serbia"], "rate": None, "contributions": None}
    result = method.country_cost(serbia, software())
    assert result["missing"] == [method.MISSING_CONTRIBUTIONS, method.MISSING_RATE]


def test_an_unknown_country_has_no_inputs_and_cannot_be_estimated():
    result = method.estimate({}, software(countries=("serbia",)))
    assert result["countries"][0]["ok"] is False
    assert result["baselines"][0]["missing"] == [
        method.MISSING_WAGE,
        method.MISSING_MONTHS,
        method.MISSING_CONTRIBUTIONS,
    ]  # without a wage there is no currency, so no exchange rate is asked for


def test_a_custom_mix_weights_the_roles_by_their_shares():
    mixed = method.scenario(
        10, "custom", ["serbia"], shares={"software": 50, "service": 50, "finance": 0}
    )
    result = method.country_cost(INPUTS["serbia"], mixed)
    per_person_rsd = 0.5 * 234000 * 1.1515 * 12 + 0.5 * 117000 * 1.1515 * 12
    assert result["raw"] == pytest.approx(10 * per_person_rsd / 117)
    assert result["wages_used"] == {
        "software": "average_gross_wage_ict",
        "service": "average_gross_wage",
    }


def test_periods_that_differ_are_reported():
    same = method.estimate(INPUTS, software(countries=("serbia",)))
    assert same["periods_differ"] is False
    differ = method.estimate(INPUTS, software(countries=("albania",)))
    assert differ["periods"] == ["2024", "2025"]
    assert differ["periods_differ"] is True


@pytest.mark.parametrize(
    ("value", "step", "rounded"),
    [(1500, 1000, 2000), (1499.99, 1000, 1000), (-1500, 1000, -1000), (60.5, 1, 61)],
)
def test_rounding_is_half_up_to_the_step(value, step, rounded):
    assert method.round_to(value, step) == rounded


def test_changed_inputs_change_only_that_country():
    changed = inputs(serbia={**INPUTS["serbia"], "months_paid": 13})
    before = method.estimate(INPUTS, software())
    after = method.estimate(changed, software())
    assert after["countries"][0]["raw"] == pytest.approx(before["countries"][0]["raw"] * 13 / 12)
    assert after["baselines"] == before["baselines"]


def test_a_yearly_wage_carries_its_own_months_and_needs_no_months_paid():
    germany = {
        **INPUTS["germany"],
        "wages": {"average_gross_wage": {"value": 62235 / 12, "period": "2024", "months": 12}},
        "months_paid": None,
    }
    result = method.country_cost(germany, method.scenario(50, "bpo", ["germany"]))
    assert result["ok"] is True
    assert result["raw"] == pytest.approx(50 * 62235 * 1.1785)
    # The fallback for software uses the same yearly wage.
    assert method.country_cost(germany, software())["wages_used"] == {
        "software": "average_gross_wage"
    }
