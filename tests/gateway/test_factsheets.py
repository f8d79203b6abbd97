"""Country fact sheets: PDFs per country and language, with sources, a QR link and a cache."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from core.countries import COUNTRY_SLUGS
from gateway.factsheets import pdf as pdf_module

SITE = "https://www.example.test"


@pytest.fixture
def app_overrides():
    return {"SITE_URL": SITE}


@pytest.fixture
def backend():
    """Fact sheets read content, not the database: one backend is enough."""
    return "sqlite"


def sheet(client, path: str) -> tuple[PdfReader, str]:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


@pytest.mark.parametrize("slug", COUNTRY_SLUGS)
def test_every_country_has_a_sheet_of_one_or_two_pages_in_each_language(client, slug):
    for prefix in ("", "/de", "/sv"):
        reader, text = sheet(client, f"{prefix}/countries/{slug}/fact-sheet.pdf")
        assert 1 <= len(reader.pages) <= 2, f"{prefix} {slug}: {len(reader.pages)} pages"
        link = f"{SITE}{prefix}/countries/{slug}/?utm_source=fact-sheet&utm_medium=pdf"
        assert link + "&utm_campaign=fact-sheet" in "".join(text.split())  # the URL may wrap


def test_serbia_sheet_names_figures_sources_periods_incentives_and_contacts(client):
    _, text = sheet(client, "/countries/serbia/fact-sheet.pdf")
    assert "Fact sheet: Serbia" in text
    assert "RSD 148,440 per month" in text
    assert "€1,267 per month" in text
    assert "Statistical Office of the Republic of Serbia" in text
    assert "January 2025" in text
    assert "Corporate income tax" in text
    assert "15%" in text
    assert "Ten-year corporate income tax holiday" in text
    assert "RAS Development Agency of Serbia confirms whether a project is eligible" in text
    assert "University of Belgrade" in text  # talent pipeline
    assert "ABSL Serbia" in text
    assert f"{SITE}/countries/serbia/?utm_source=fact-sheet" in "".join(text.split())


def test_bosnia_sheet_shows_the_entities_side_by_side(client):
    _, text = sheet(client, "/countries/bosnia-and-herzegovina/fact-sheet.pdf")
    assert "Federation of Bosnia and Herzegovina" in text
    assert "Republika Srpska" in text
    assert "1.95583 BAM per EUR" in text


def test_sheets_are_in_the_language_of_their_address(client):
    _, de = sheet(client, "/de/countries/serbia/fact-sheet.pdf")
    _, sv = sheet(client, "/sv/countries/serbia/fact-sheet.pdf")
    assert "Körperschaftsteuer" in de
    assert "148.440 RSD pro Monat" in de
    assert f"{SITE}/de/countries/serbia/" in "".join(de.split())
    assert "Bolagsskatt" in sv
    assert f"{SITE}/sv/countries/serbia/" in "".join(sv.split())


def test_the_same_content_gives_the_same_bytes_with_fixed_dates(client):
    first = client.get("/countries/kosovo/fact-sheet.pdf").data
    second = client.get("/countries/kosovo/fact-sheet.pdf").data
    assert first == second
    meta = PdfReader(io.BytesIO(first)).metadata
    assert meta.creation_date is not None
    assert meta.creation_date == meta.modification_date


def test_a_sheet_is_rendered_once_per_content_version(app, client, tmp_path, monkeypatch):
    app.instance_path = str(tmp_path)  # an empty cache
    calls = []
    real = pdf_module.render_pdf
    monkeypatch.setattr(pdf_module, "render_pdf", lambda *a: calls.append(1) or real(*a))
    one = client.get("/countries/albania/fact-sheet.pdf").data
    two = client.get("/countries/albania/fact-sheet.pdf").data
    assert one == two
    assert len(calls) == 1
    assert list((tmp_path / "fact-sheets").glob("*.pdf"))


def test_sheets_fetch_nothing_from_outside(tmp_path):
    fetch = pdf_module._offline_fetcher(tmp_path)
    with pytest.raises(ValueError, match="no external resources"):
        fetch.fetch("https://example.org/logo.png")


def test_unknown_country_has_no_sheet(client):
    assert client.get("/countries/atlantis/fact-sheet.pdf").status_code == 404


def test_profiles_and_compare_link_to_the_sheets(client):
    profile = client.get("/de/countries/montenegro/").get_data(as_text=True)
    assert 'href="/de/countries/montenegro/fact-sheet.pdf"' in profile
    compare = client.get("/compare/").get_data(as_text=True)
    for slug in COUNTRY_SLUGS:
        assert f'href="/countries/{slug}/fact-sheet.pdf"' in compare
