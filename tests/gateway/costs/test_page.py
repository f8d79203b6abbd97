"""The estimator page: any scenario from GET parameters, without JavaScript, in three languages."""

from __future__ import annotations

import json
import re

import pytest

from gateway.costs import method
from tests.support.apps import build_app
from tests.support.costs_content import content_with_figures


@pytest.fixture
def client(backend, tmp_path, request):
    content = content_with_figures(tmp_path)
    return build_app(backend, tmp_path, request, CONTENT_DIR=str(content)).test_client()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


def row(html: str, name: str) -> str:
    match = re.search(rf"<tr[^>]*>\s*<th scope=\"row\">{name}</th>(.*?)</tr>", html, re.S)
    assert match, f"no row for {name}"
    return text_of(match.group(1))


def test_a_software_team_in_serbia_against_germany_without_javascript(client):
    page = client.get("/costs/?team=50&mix=software&country=serbia")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # 50 x 234,000 RSD x 1.1515 x 12 / 117 = EUR 1,381,800; Germany 50 x 5,000 x 1.1785 x 12.
    assert row(html, "Serbia").split()[:2] == ["€1,382,000", "€27,600"]
    assert "€2,154,000" in row(html, "Serbia")
    assert "61%" in row(html, "Serbia")
    assert row(html, "Germany").startswith(" €3,536,000")
    assert "Test statistics office, test release, 2025" in text_of(html)
    assert "indicative" in html
    assert '<svg class="chart chart-bar"' in html
    assert "<title id=" in html


@pytest.mark.parametrize(
    ("prefix", "serbia", "germany", "amount"),
    [
        ("/de", "Serbien", "Deutschland", "1.382.000 €"),
        ("/sv", "Serbien", "Tyskland", "1 382 000 €"),
    ],
)
def test_the_answer_in_german_and_swedish(client, prefix, serbia, germany, amount):
    html = client.get(f"{prefix}/costs/?team=50&mix=software&country=serbia").get_data(as_text=True)
    assert amount in row(html, serbia)
    assert row(html, germany)


def test_a_country_without_figures_says_why(client):
    # Kosovo has a sourced wage and contribution rate but no sourced months paid per year.
    html = client.get("/costs/?team=50&mix=software&country=kosovo").get_data(as_text=True)
    assert (
        "Cannot be estimated: there is no sourced figure for the number of monthly salaries"
        " paid per year." in html
    )


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("team=4&mix=software&country=serbia", "team", "Enter a team size from 5 to 500 people."),
        ("team=abc&mix=software&country=serbia", "team", "Enter a team size from 5 to 500 people."),
        ("team=50&mix=chefs&country=serbia", "mix", "Choose one of the role mixes shown."),
        ("team=50&mix=software&country=narnia", "country", "Unknown country: narnia."),
        ("team=50&mix=software", "country", "Choose at least one country."),
        (
            "team=50&mix=custom&software=50&service=20&country=serbia",
            "mix",
            "must add up to 100 per cent (now 70)",
        ),
        ("team=50&mix=software&factor_software=9&country=serbia", "factor_software", "factor"),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_kept(client, query, field, message):
    page = client.get(f"/costs/?{query}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert error
    assert message in error.group(1).replace("&#39;", "'")
    assert "nothing was estimated yet" in html
    if field == "team":
        assert f'value="{query.split("&")[0].split("=")[1]}"' in html or "abc" in html


def test_a_bare_address_shows_all_six_countries_without_an_error(client):
    html = client.get("/costs/").get_data(as_text=True)
    assert "Choose at least one country." not in html
    assert "nothing was estimated yet" not in html
    for name in ("Albania", "Bosnia and Herzegovina", "Kosovo", "Montenegro", "Serbia"):
        assert row(html, name)
    assert "50 people, Software development." in html
    assert 'data-query=""' in html  # the frozen page's script leaves it as it is


def test_an_explicit_empty_choice_is_refused_once_and_left_to_the_server(client):
    html = client.get("/costs/?team=50&mix=software").get_data(as_text=True)
    assert html.count("Choose at least one country.") == 1
    # The script does not check this address again (it would repeat the error).
    assert 'data-query="team=50&amp;mix=software"' in html


def test_the_chart_writes_amounts_as_the_table_does(client):
    html = client.get("/de/costs/?team=50&mix=software&country=serbia").get_data(as_text=True)
    chart = html[html.index('<svg class="chart chart-bar"') :]
    assert "1.382.000\u00a0€" in chart[: chart.index("</svg>")]
    assert "EUR" not in row(html, "Serbien")


def test_a_custom_split_and_role_factor_change_the_estimate(client):
    base = client.get("/costs/?team=10&mix=software&country=serbia").get_data(as_text=True)
    higher = client.get("/costs/?team=10&mix=software&factor_software=1.5&country=serbia").get_data(
        as_text=True
    )
    assert "€276,000" in row(base, "Serbia")
    assert "€415,000" in row(higher, "Serbia")  # 276,360 x 1.5 = 414,540


def test_the_page_pre_renders_the_standard_scenarios(client):
    html = client.get("/costs/").get_data(as_text=True)
    for team in (50, 200):
        for mix in ("Software development", "Customer service / BPO", "Finance and accounting"):
            assert f"{team} people, {mix}" in html
    assert "€5,527,000" in text_of(html)  # 200 people, software, Serbia


def test_the_data_file_carries_the_inputs_the_method_reads(client):
    data = json.loads(client.get("/de/costs/data.json").get_data(as_text=True))
    assert data["inputs"]["serbia"]["rate"] == 117
    assert data["inputs"]["germany"]["rate"] == 1.0
    assert data["names"]["germany"] == "Deutschland"
    assert data["format"] == {"lang": "de"}
    assert data["periods"]["2025"] == "2025"
    assert set(data["inputs"]) == set(data["names"])
    assert set(method.BASELINES) <= set(data["inputs"])


def test_the_page_loads_its_script_from_our_own_files(client):
    page = client.get("/costs/")
    html = page.get_data(as_text=True)
    assert '<script src="/static/js/costs.js" defer></script>' in html
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "<script>" not in html


@pytest.mark.parametrize(
    ("prefix", "serbia", "amount"),
    [
        ("", "Serbia", "€1,926,000"),
        ("/de", "Serbien", "1.926.000 €"),
        ("/sv", "Serbien", "1 926 000 €"),
    ],
)
def test_the_published_figures_answer_serbia_against_germany(
    backend, tmp_path, request, prefix, serbia, amount
):
    client = build_app(backend, tmp_path, request).test_client()
    html = client.get(f"{prefix}/costs/?team=50&mix=software&country=serbia").get_data(as_text=True)
    assert amount in row(html, serbia)
    text = text_of(html)
    office = {
        "": "Statistical Office of the Republic of Serbia",
        "/de": "Statistisches Amt der Republik Serbien",
        "/sv": "Serbiens statistikmyndighet",
    }  # the publisher's name in the page's language
    assert office[prefix] in text
    assert "Destatis" in text
    periods = {
        "": "(2022, 2024, June 2025)",
        "/de": "(2022, 2024, Juni 2025)",
        "/sv": "(2022, 2024, juni 2025)",
    }
    assert periods[prefix] in text  # the periods differ, and the page says so
    # Every baseline now has the figures it needs: each row gives an amount.
    for baseline in ("Germany", "Austria", "Sweden") if prefix == "" else ():
        assert "€" in row(html, baseline)
        assert "Cannot be estimated" not in row(html, baseline)


def test_the_sources_name_their_periods_in_words_and_only_once(backend, tmp_path, request):
    client = build_app(backend, tmp_path, request).test_client()
    html = client.get("/de/costs/").get_data(as_text=True)
    sources = text_of(html.split('id="sources-title"')[1])
    assert "Dezember 2025" in sources  # the exchange rates' day, in words
    assert not re.search(r"\b20\d\d-(\d\d|Q\d)\b", sources)  # no raw 2025-06 or 2024-Q4
    assert "4. Quartal 2024, 4. Quartal 2024" not in sources
