"""The public partners' directory: list, filters, a page per partner, links from other pages."""

import re
from pathlib import Path

import pytest

from gateway import freeze
from gateway.freeze import freeze_site

LEADS = "https://app.example.test"


@pytest.fixture
def app_overrides():
    return {"SITE_URL": "https://www.example.test", "LEADS_URL": LEADS}


@pytest.fixture
def backend():
    """The directory reads content, not the database: one backend is enough."""
    return "sqlite"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/partners/", "Partners in the region"),
        ("/de/partners/", "Partner in der Region"),
        ("/sv/partners/", "Partner i regionen"),
    ],
)
def test_the_directory_lists_every_partner_in_three_languages(client, url, heading):
    html = page(client, url)
    assert f"<h1>{heading}</h1>" in html
    assert html.count('class="card partner-card"') >= 20
    assert "Semos Education" in html
    assert "Teleperformance in Albania" in html


def test_filter_pages_are_plain_links_that_narrow_the_list(client):
    html = page(client, "/de/partners/")
    assert 'href="/de/partners/country/montenegro/"' in html
    assert 'href="/de/partners/kind/public-employment-service/"' in html
    montenegro = page(client, "/de/partners/country/montenegro/")
    assert "ICT Cortex" in montenegro
    assert "Semos Education" not in montenegro
    assert 'aria-current="page">Montenegro' in montenegro
    services = page(client, "/sv/partners/kind/public-employment-service/")
    assert services.count('class="card partner-card"') == 6
    assert "Offentliga arbetsförmedlingar" in services


def test_unknown_filters_and_partners_are_not_found(client):
    for url in ("/partners/kind/consultancy/", "/partners/country/croatia/", "/partners/nobody/"):
        assert client.get(url).status_code == 404


def test_a_partner_page_shows_each_fact_with_its_source_and_what_is_unknown(client):
    html = page(client, "/partners/teleperformance-albania/")
    assert "Italian, English, French, German, Turkish" in html
    assert 'Turkish<sup class="refs"><a href="#source-2"' in html  # from the second source
    assert 'id="source-2"' in html
    assert "Checked December 8, 2026." in html
    assert "not published in the sources we checked" in html  # e.g. no certifications listed
    assert f'href="{LEADS}/partners/introduce/?partner=teleperformance-albania"' in html
    german = page(client, "/de/partners/teleperformance-albania/")
    assert "Italienisch, Englisch, Französisch, Deutsch, Türkisch" in german
    assert f'href="{LEADS}/de/partners/introduce/?partner=teleperformance-albania"' in german
    assert "Geprüft am 8. Dezember 2026." in german


def test_country_sector_and_cost_pages_link_to_matching_partners(client):
    country = page(client, "/de/countries/kosovo/")
    assert "Wer Ihr Team in Kosovo aufbauen und besetzen kann" in country
    assert 'href="/de/partners/speeex-education/"' in country
    assert f'href="{LEADS}/de/partners/introduce/?country=kosovo"' in country
    sector = page(client, "/sectors/bpo/")
    assert 'href="/partners/teleperformance-albania/"' in sector
    assert 'href="/partners/vojvodina-ict-cluster/"' not in sector
    costs = page(client, "/costs/?team=40&mix=support&country=albania")
    assert "Who can build and staff this team" in costs
    assert 'href="/partners/country/albania/"' in costs


def test_every_partner_and_filter_page_is_in_the_sitemap(client):
    xml = page(client, "/sitemap.xml")
    for path in (
        "/partners/",
        "/partners/semos-education/",
        "/de/partners/country/serbia/",
        "/sv/partners/kind/university/",
    ):
        assert f"https://www.example.test{path}</loc>" in xml


def test_the_frozen_directory_works_without_the_app(app, tmp_path, monkeypatch):
    everything = freeze.public_pages

    def partner_pages():
        yield from (p for p in everything() if p[0].startswith("public.partner"))

    monkeypatch.setattr(freeze, "public_pages", partner_pages)
    dest = freeze_site(app, tmp_path / "site", workers=1).dest
    for path in ("partners", "de/partners/country/kosovo", "sv/partners/kind/association"):
        assert (dest / path / "index.html").is_file(), path
    html = (dest / "de" / "partners" / "index.html").read_text(encoding="utf-8")
    for link in re.findall(r'href="(/[^"]*)"', html):
        if link.startswith("/de/partners/"):
            assert (dest / link.lstrip("/") / "index.html").is_file(), link
    # The live-only form is reached on the live app, never as a frozen page.
    assert f'href="{LEADS}/de/partners/introduce/"' in html
    assert not (dest / "partners" / "introduce").exists()
    assert isinstance(dest, Path)
