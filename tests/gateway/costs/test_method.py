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
    assert serbia["wages_used"] == {"software": "wage_software"}
    # Germany: EUR 5,000 x (1 + 9.3 % + 8.55 % + 0.15 % levy) x 12 = EUR 70,800 a person,
    # below every ceiling.
    assert germany["raw"] == pytest.approx(50 * 70800.0)
    assert germany["team_cost"] == 3_540_000
    assert result["savings"]["serbia"]["germany"] == {"eur": 2_158_000, "percent": 61}


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
    # EUR 4,800 + 21 % social insurance + 3 % + 3.7 % + 1.53 % payroll levies, 14 times a year.
    assert austria["raw"] == pytest.approx(50 * 4800 * 1.2923 * 14)


def test_a_role_without_its_activity_wage_is_not_available_not_replaced():
    # Serbia publishes a software wage but none for customer service: the all-sector
    # average is never used silently in its place.
    bpo = method.country_cost(INPUTS["serbia"], method.scenario(50, "bpo", ["serbia"]))
    assert bpo == {"slug": "serbia", "ok": False, "missing": [method.MISSING_WAGE]}
    assert method.country_cost(INPUTS["serbia"], software())["ok"] is True


def test_the_all_sector_average_stands_in_only_when_asked_for_and_is_marked():
    kosovo = method.country_cost(INPUTS["kosovo"], software())
    assert kosovo == {"slug": "kosovo", "ok": False, "missing": [method.MISSING_WAGE]}
    asked = method.country_cost(INPUTS["kosovo"], software(fallback=True))
    assert asked["ok"] is True
    assert asked["wages_used"] == {"software": method.FALLBACK_WAGE}
    assert asked["raw"] == pytest.approx(50 * 598 * 1.05 * 12)
    # Where the activity's wage exists, the fallback changes nothing.
    serbia = method.country_cost(INPUTS["serbia"], software(fallback=True))
    assert serbia["wages_used"] == {"software": "wage_software"}


def test_a_missing_country_has_no_saving():
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
        method.MISSING_CONTRIBUTIONS,
        method.MISSING_RATE,
    ]


def test_a_custom_mix_weights_the_roles_by_their_shares():
    mixed = method.scenario(
        10, "custom", ["serbia"], shares={"software": 50, "service": 0, "finance": 50}
    )
    result = method.country_cost(INPUTS["serbia"], mixed)
    per_person_rsd = 0.5 * 234000 * 1.1515 * 12 + 0.5 * 180000 * 1.1515 * 12
    assert result["raw"] == pytest.approx(10 * per_person_rsd / 117)
    assert result["wages_used"] == {"software": "wage_software", "finance": "wage_finance"}


def test_periods_that_differ_are_reported():
    same = method.estimate(INPUTS, software(countries=("serbia",)))
    assert same["periods_differ"] is False
    finance = method.scenario(50, "finance", ["serbia"])
    differ = method.estimate(INPUTS, finance)
    assert differ["periods"] == ["2024", "2025-06"]
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
        "wages": {"wage_service": {"value": 62235 / 12, "period": "2024", "months": 12}},
        "months_paid": None,
    }
    result = method.country_cost(germany, method.scenario(50, "bpo", ["germany"]))
    assert result["ok"] is True
    assert result["raw"] == pytest.approx(50 * 62235 * 1.18)


def test_a_part_with_a_floor_applies_only_above_it():
    # Sweden's ITP 1: 4.5 % up to SEK 50,812.50 a month, 30 % on the pay above.
    itp = INPUTS["sweden"]["pension"]
    assert method.monthly_contributions(40000.0, itp) == pytest.approx(1800.0)
    assert method.monthly_contributions(60000.0, itp) == pytest.approx(
        0.045 * 50812.5 + 0.30 * (60000 - 50812.5)
    )


def test_the_typical_pension_is_shown_apart_and_left_out_of_cost_and_savings():
    with_pension = method.estimate(INPUTS, software())
    without = method.estimate(inputs(sweden={**INPUTS["sweden"], "pension": None}), software())
    sweden = with_pension["baselines"][2]
    assert sweden["pension"] == method.round_to(
        method.monthly_contributions(52000.0, INPUTS["sweden"]["pension"]) * 12 / 11.5,
        method.PERSON_STEP,
    )
    assert without["baselines"][2]["pension"] is None
    assert sweden["raw"] == without["baselines"][2]["raw"]
    assert with_pension["savings"] == without["savings"]


def overhead(**changes):
    return {"m2": 10, "equipment": 1200, "recruitment": 18, **changes}


def test_the_total_cost_per_seat_adds_rent_equipment_and_recruitment():
    result = method.country_cost(INPUTS["serbia"], software(overhead=overhead()))
    salary = 234000 * 1.1515 * 12 / 117
    recruitment = 0.18 * 234000 * 12 / 117
    seat = 19.0 * 10 * 12 + 1200 + recruitment
    assert result["raw"] == pytest.approx(50 * salary)  # the salary cost stays apart
    assert result["total_raw"] == pytest.approx(50 * (salary + seat))
    assert result["total_person"] == method.round_to(salary + seat, method.PERSON_STEP)
    assert result["overhead_person"] == method.round_to(seat, method.PERSON_STEP)
    # Both savings are given: on the salary cost and on the total.
    found = method.estimate(INPUTS, software(overhead=overhead()))
    germany = found["baselines"][0]
    assert found["total_savings"]["serbia"]["germany"]["eur"] == method.round_to(
        germany["total_raw"] - result["total_raw"], method.COST_STEP
    )
    assert found["savings"]["serbia"]["germany"]["eur"] == 2_158_000


def test_without_a_sourced_rent_the_total_waits_for_the_investors_own():
    scenario = software(countries=("kosovo",), fallback=True, overhead=overhead())
    kosovo = method.country_cost(INPUTS["kosovo"], scenario)
    assert kosovo["ok"] is True
    assert kosovo["overhead_ok"] is False
    assert "total_raw" not in kosovo
    own = software(countries=("kosovo",), fallback=True, overhead=overhead(rents={"kosovo": 8}))
    assert method.country_cost(INPUTS["kosovo"], own)["overhead_ok"] is True
    # The investor's rent replaces a sourced one too.
    cheaper = software(overhead=overhead(rents={"serbia": 10}))
    assert (
        method.country_cost(INPUTS["serbia"], cheaper)["total_raw"]
        < method.country_cost(INPUTS["serbia"], software(overhead=overhead()))["total_raw"]
    )
