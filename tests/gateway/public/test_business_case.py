"""The business case in figures: profiles, /compare/ and editor placeholders."""

from __future__ import annotations

import re

import pytest

from core.countries import COUNTRY_SLUGS
from gateway.content import ContentStore
from gateway.content.check import missing_figure_warnings, placeholder_warnings
from gateway.content.placeholders import find_placeholders, mask_placeholders
from gateway.content_app import get_store

INBOX = "privacy-test@example.test"


@pytest.fixture
def app_overrides():
    return {"LEAD_INBOX": INBOX}


@pytest.fixture
def backend():
    return "sqlite"


def html(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_profile_shows_labour_tax_and_talent_figures_with_source_period_and_eur(client):
    page = html(client, "/countries/serbia/")
    facts = page[page.index('class="facts"') : page.index('class="profile-main"')]
    assert "Labour costs" in facts
    assert "Taxes" in facts
    assert "Talent" in facts
    assert "RSD\u00a0148,440 per month" in facts
    assert "(≈ €1,267 per month)" in facts  # converted at the central bank's rate
    assert "Source: Statistical Office of the Republic of Serbia, Average salaries" in facts
    assert "117.1504 RSD per EUR" in facts
    assert "National Bank of Serbia" in facts
    assert "Ten-year corporate income tax holiday" in facts
    assert "RAS Development Agency of Serbia confirms whether a project is eligible" in facts


def test_bosnia_profile_sets_the_entities_side_by_side(client):
    page = html(client, "/countries/bosnia-and-herzegovina/")
    for entity in ("Federation of Bosnia and Herzegovina", "Republika Srpska"):
        assert entity in page
    assert "BAM\u00a02,458 per month" in page
    assert "1.95583 BAM per EUR" in page


def test_euro_countries_say_so_instead_of_a_rate(client):
    assert "Kosovo uses the euro." in html(client, "/countries/kosovo/")


def test_profile_interface_words_are_translated(client):
    de = html(client, "/de/countries/serbia/")
    assert "Lohnkosten" in de
    assert "Steuern" in de
    assert "148.440\u00a0RSD pro Monat" in de
    sv = html(client, "/sv/countries/serbia/")
    assert "Arbetskraftskostnader" in sv
    assert "148\u00a0440\u00a0RSD per månad" in sv


def test_compare_has_at_most_a_quarter_of_its_cells_as_dashes(client):
    for prefix in ("", "/de", "/sv"):
        page = html(client, f"{prefix}/compare/")
        table = page[page.index('<table class="compare">') : page.index("</table>")]
        cells = re.findall(r"<td>(.*?)</td>", table, re.S)
        assert len(cells) >= 6 * 12
        dashes = [c for c in cells if "figure-none" in c]
        assert len(dashes) <= len(cells) / 4, f"{prefix}: {len(dashes)} of {len(cells)}"


def test_compare_draws_amounts_in_eur_and_shows_the_baselines(client):
    page = html(client, "/compare/")
    charts = page[page.index('id="charts-title"') :]
    assert charts.count('<svg class="chart chart-bar"') >= 5
    assert "Serbia: €1,267 per month" in charts  # the chart's text alternative
    baselines = page[page.index('id="baselines-title"') :]
    for name in ("Germany", "Austria", "Sweden"):
        assert name in baselines
    assert "€12.82 per hour" in baselines
    assert "none" in baselines  # no statutory minimum wage in Austria and Sweden


def test_placeholders_never_reach_the_public(client):
    for prefix in ("", "/de", "/sv"):
        page = html(client, f"{prefix}/privacy/")
        assert "[EDITORS" not in page
        assert "[REDAKTION" not in page
        assert f'<a href="mailto:{INBOX}">{INBOX}</a>' in page


def test_placeholders_are_found_and_masked():
    body = "Intro.\n\n**[EDITORS: insert the address.]**\n\n[REDAKTION: Name einfügen.]\n"
    assert [line for line, _ in find_placeholders(body)] == [3, 5]
    assert "EDITORS" not in mask_placeholders(body)
    assert "REDAKTION" not in mask_placeholders(body)


def test_content_check_lists_placeholders_and_missing_figures_as_warnings(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "content/pages/privacy.md:13: editor placeholder" in result.output
    assert "content/pages/privacy.de.md" in result.output
    assert "missing figure: talent_figures.ict_graduates (warning)" in result.output


def test_every_country_has_the_core_business_case_figures(app):
    store: ContentStore = get_store()
    for slug in COUNTRY_SLUGS:
        meta = store.get("countries", slug).meta
        for fig in (
            meta.labour.average_gross_wage,
            meta.labour.minimum_wage,
            meta.tax.corporate_income_tax,
            meta.tax.vat,
            meta.tax.personal_income_tax,
            meta.tax.dividend_withholding_tax,
        ):
            assert not fig.missing, slug
        assert meta.exchange_rate is not None or slug in ("kosovo", "montenegro")
    warned = {w.path for w in placeholder_warnings(store)}
    assert warned == {f"content/pages/privacy{s}.md" for s in ("", ".de", ".sv")}
    assert any("labour.average_gross_wage_ict" in w.message for w in missing_figure_warnings(store))
