"""The cost estimator in a real browser: live without JavaScript, frozen with and without it."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

QUERY = "team=50&mix=software&country=serbia"
CUSTOM = "team=120&mix=custom&software=60&service=30&finance=10&factor_software=1.4&country=serbia"


def rows(page) -> dict[str, str]:
    """Return the results table as {country: the rest of its row}."""
    found = {}
    for row in page.locator("#costs-results tbody tr").all():
        name = row.locator("th").evaluate("el => el.firstChild.textContent.trim()")
        found[name] = re.sub(r"\s+", " ", " | ".join(row.locator("td").all_inner_texts()))
    return found


@pytest.mark.parametrize(
    ("prefix", "serbia", "sweden"),
    [("", "Serbia", "Sweden"), ("/de", "Serbien", "Schweden"), ("/sv", "Serbien", "Sverige")],
)
def test_live_without_javascript_answers_serbia_against_sweden(
    new_page, live_server, prefix, serbia, sweden
):
    page = new_page(java_script_enabled=False)
    page.goto(live_server(f"{prefix}/costs/?{QUERY}"))
    table = rows(page)
    assert re.match(r"^€?[\d.,\u00a0 ]+( €)? \|", table[serbia]), table[serbia]
    assert "€" in table[sweden]
    assert "EUR" not in table[sweden]
    page.locator("details.costs-sources summary", has_text=serbia).click()
    assert "Statistical Office of the Republic of Serbia" in page.inner_text("main")


@pytest.mark.parametrize("prefix", ["", "/de", "/sv"])
@pytest.mark.parametrize("query", [QUERY, CUSTOM])
def test_the_frozen_script_shows_what_the_live_app_computes(
    page, frozen_site, live_server, prefix, query
):
    page.goto(live_server(f"{prefix}/costs/?{query}"))
    live = rows(page)
    live_chart = page.locator("#costs-results svg desc").text_content()
    live_periods = page.locator("#costs-results .costs-periods").all_inner_texts()
    page.goto(frozen_site(f"{prefix}/costs/?{query}"))
    page.wait_for_function("() => document.getElementById('costs-results').dataset.query !== ''")
    assert rows(page) == live
    # The chart's amounts and the periods read as the live page writes them.
    assert page.locator("#costs-results svg desc").text_content() == live_chart
    assert page.locator("#costs-results .costs-periods").all_inner_texts() == live_periods
    chart = page.locator("#costs-results svg title").text_content()
    assert "120" in chart if query == CUSTOM else "50" in chart


def test_the_frozen_page_without_javascript_has_the_standard_scenarios(new_page, frozen_site):
    page = new_page(java_script_enabled=False)
    page.goto(frozen_site("/costs/"))
    standard = page.locator("table.costs-standard")
    assert "50 people, Software development" in standard.inner_text()
    serbia = standard.locator("tr", has_text="Serbia").inner_text()
    assert serbia.count("€") >= 6
    assert "with overhead" in serbia  # salary cost, then the total with overhead


def test_the_frozen_script_explains_a_bad_scenario_beside_the_field(page, frozen_site):
    page.goto(frozen_site("/costs/?team=3&mix=software&country=serbia"))
    error = page.locator("#team-js-error")
    error.wait_for()
    assert "from 5 to 500" in error.inner_text()
    assert page.locator("#team").input_value() == "3"


def test_the_live_page_shows_a_refused_choice_once(page, live_server):
    page.goto(live_server("/costs/?team=50&mix=software"))
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Choose at least one country.").count() == 1
