"""Rules that end: gone from every page, fact sheet, estimate and mail the day after."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from gateway.content import freshness, validity
from gateway.content.store import ContentStore
from gateway.content_app import get_store

SOFTWARE_RATE = "Reduced corporate income tax for software development"
SV_PART = "Mjukvaru- och IT-utveckling (till och med 31 december 2025)"


@pytest.fixture
def backend():
    return "sqlite"


def move_clock(monkeypatch, day: dt.date) -> None:
    monkeypatch.setattr(validity, "today", lambda: day)


def pdf_text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_albanias_software_tax_rate_shows_until_its_last_day(client, monkeypatch):
    move_clock(monkeypatch, dt.date(2025, 12, 31))
    page = client.get("/countries/albania/").get_data(as_text=True)
    assert SOFTWARE_RATE in page
    assert "Software and IT development (until 31 December 2025)" in page


PART = {
    "": "Software and IT development (until 31 December 2025)",
    "/de": "Software- und IT-Entwicklung (bis 31. Dezember 2025)",
    "/sv": SV_PART,
}


def test_the_day_after_it_ends_it_is_gone_from_pages_and_fact_sheets(client, monkeypatch):
    move_clock(monkeypatch, dt.date(2025, 12, 31))
    for prefix, label in PART.items():
        assert label in client.get(f"{prefix}/countries/albania/").get_data(as_text=True)
    move_clock(monkeypatch, dt.date(2026, 1, 1))
    for prefix, label in PART.items():
        for path in ("/countries/albania/", "/compare/"):
            assert label not in client.get(f"{prefix}{path}").get_data(as_text=True), path
    assert SOFTWARE_RATE not in client.get("/countries/albania/").get_data(as_text=True)
    sheet = pdf_text(client, "/countries/albania/fact-sheet.pdf")
    assert "Software" not in sheet
    assert "until 31 December 2025" not in sheet


def test_the_store_keeps_the_rule_as_written_for_the_checks(app, monkeypatch):
    move_clock(monkeypatch, dt.date(2026, 1, 1))
    store: ContentStore = get_store()
    assert store.get("countries", "albania").meta.incentives == []
    written = store.original("countries", "albania").meta
    assert written.incentives[0].valid_until == dt.date(2025, 12, 31)
    assert written.tax.corporate_income_tax.parts[0].valid_until == dt.date(2025, 12, 31)


def test_a_figure_that_ends_becomes_missing_not_wrong(app, monkeypatch):
    from gateway.content.schemas import Figure

    figure = Figure(value=5, unit="percent", source="S", period="2025", valid_until="2025-12-31")
    assert validity.in_force(figure, dt.date(2025, 12, 31)).value == 5
    ended = validity.in_force(figure, dt.date(2026, 1, 1))
    assert ended.value is None
    assert ended.missing


def test_content_check_warns_sixty_days_before_the_end(app, monkeypatch):
    store: ContentStore = get_store()
    early = freshness.freshness_warnings(store, dt.date(2025, 10, 1))
    assert not [w for w in early if "ends on" in w.message]
    soon = freshness.freshness_warnings(store, dt.date(2025, 11, 15))
    ending = [w for w in soon if "ends on 2025-12-31" in w.message]
    assert {w.path for w in ending} == {"content/countries/albania.md"}
    assert any("incentives[0]" in w.message for w in ending)


def test_content_check_warns_on_old_periods_and_old_checks_but_never_fails(runner, monkeypatch):
    move_clock(monkeypatch, dt.date(2028, 6, 1))
    result = runner.invoke(args=["content", "check", "--strict"])
    assert result.exit_code == 0, result.output
    assert "labour.wage_software: period 2025-06 is 35 months old (warning)" in result.output
    assert "last checked on 2026-12-08, over a year ago (warning)" in result.output
    assert "facts.population: period" not in result.output  # census counts are expected old


def test_the_sources_command_reports_shares_and_what_is_missing(runner):
    result = runner.invoke(args=["content", "sources"])
    assert result.exit_code == 0, result.output
    assert "primary publisher (directly or via press): " in result.output
    assert "period 2024 or later: " in result.output
    assert "content/countries/kosovo.md: labour.wage_software: Not available:" in result.output
    assert "content/countries/serbia.md: risk.currency_regime: Not shown:" in result.output
