"""The public pages an investor browses, in every language."""

from __future__ import annotations

import re
import shutil

import pytest
from markupsafe import escape

from core import formatting
from core.countries import COUNTRY_SLUGS
from core.locales import LANGUAGES
from gateway.content_app import get_store
from tests.support.apps import ROOT, build_app

LEADS = "https://app.example.test"


@pytest.fixture
def app_overrides():
    return {"LEADS_URL": LEADS, "SITE_URL": "https://www.example.test"}


def html(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, path
    return response.get_data(as_text=True)


def prefix(lang: str) -> str:
    return "" if lang == "en" else f"/{lang}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_section_page_answers_in_every_language(client, lang):
    p = prefix(lang)
    for path in ["/", "/countries/", "/compare/", "/sectors/", "/case-studies/", "/events/"]:
        page = html(client, p + path)
        assert f'<html lang="{lang}">' in page
        assert '<main id="main"' in page
        assert 'class="skip-link" href="#main"' in page


def test_every_content_item_has_a_page(client, app):
    store = get_store()
    counts = {}
    for kind in ("countries", "sectors", "case-studies", "events"):
        entries = store.all(kind)
        counts[kind] = len(entries)
        for entry in entries:
            page = html(client, entry.url_path)
            assert entry.meta.title.replace("&", "&amp;") in page or "&#39;" in page
    assert counts["countries"] == 6
    assert counts["case-studies"] >= 8


def test_home_has_map_linking_to_the_six_profiles_and_key_figures(client):
    page = html(client, "/")
    svg = page[page.index('<svg class="map-svg"') : page.index("</svg>", page.index("map-svg"))]
    for slug in COUNTRY_SLUGS:
        assert f'href="/countries/{slug}/"' in svg
    assert "more than 220,000" in page
    assert "Source: RECONOMY" in page
    assert "Next roadshow" in page
    assert "Latest success stories" in page
    assert f'href="{LEADS}/contact/"' in page


def test_country_profile_shows_facts_with_source_and_dash_for_missing(client):
    page = html(client, "/countries/serbia/")
    facts = page[page.index('class="facts"') : page.index("</section>", page.index('"facts"'))]
    assert "Belgrade" in facts
    assert "6.6\u00a0million" in facts
    assert "Source: Statistical Office of the Republic of Serbia, Census 2022<" in facts
    assert "—" in facts  # figures without a sourced value
    assert "Talent pipeline" in page
    assert "University of Belgrade" in page
    assert 'href="/sectors/game-development/"' in page
    assert "RAS Development Agency of Serbia" in page
    assert "ABSL Serbia" in page
    assert 'href="/case-studies/country/serbia/"' in page
    assert 'media="print"' in page
    assert "css/print.css" in page


def test_every_country_profile_names_a_source_and_year_for_each_fact(client, app):
    for entry in get_store().all("countries"):
        page = html(client, entry.url_path)
        for key in ("population", "ict_workforce", "ict_companies", "sector_revenue"):
            fig = getattr(entry.meta.facts, key)
            shown = formatting.source_period(fig.source or "", fig.period, "en")
            assert f"{shown}</span>" in page if fig.source else "—" in page


def test_example_figures_are_visibly_marked(client, app):
    from gateway.content.schemas import Figure

    store = get_store()
    entry = store.get("countries", "kosovo")
    example = Figure(value=1, source="Editors", period="2025", example=True)
    facts = entry.meta.facts.model_copy(update={"ict_companies": example})
    patched = entry.meta.model_copy(update={"facts": facts})
    snapshot = store._snapshot
    key = ("countries", "en", "kosovo")
    original = snapshot.entries[key]
    snapshot.entries[key] = type(original)(**{**original.__dict__, "meta": patched})
    try:
        page = html(client, "/countries/kosovo/")
    finally:
        snapshot.entries[key] = original
    assert "example figure" in page
    assert "fact is-example" in page


def test_compare_has_a_table_and_server_rendered_charts(client):
    page = html(client, "/compare/")
    assert '<table class="compare">' in page
    for slug in COUNTRY_SLUGS:
        assert f'href="/countries/{slug}/"' in page
    assert page.count('role="img"') >= 1
    # Charts are server-rendered: the only script is the self-hosted campaign-link helper.
    scripts = re.findall(
        r"<script([^>]*)>", page.replace('<script type="application/ld+json">', "")
    )
    assert scripts == [' src="/static/js/attribution.js" defer']
    assert "Population" in page


def test_case_study_filters_are_plain_links_to_static_pages(client):
    page = html(client, "/case-studies/")
    for slug in COUNTRY_SLUGS:
        assert f'href="/case-studies/country/{slug}/"' in page
    assert 'href="/case-studies/sector/bpo/"' in page
    kosovo = html(client, "/case-studies/country/kosovo/")
    assert 'aria-current="page">Kosovo' in kosovo
    assert "SPEEEX" in kosovo
    assert "Semos" not in kosovo.split("filter-group")[-1].split("</nav>")[-1]
    bpo = html(client, "/case-studies/sector/bpo/")
    assert "SPEEEX" in bpo
    html(client, "/case-studies/country/croatia/", 404)
    html(client, "/case-studies/sector/no-such-sector/", 404)


def test_case_study_detail_names_its_source(client):
    page = html(client, "/case-studies/speeex-education-bpo-training/")
    assert "Source: EYE article on SPEEEX Education BPO training in Kosovo, 2020" in page
    assert 'href="/case-studies/country/kosovo/"' in page


def test_event_links_to_the_live_meeting_form_and_marks_unconfirmed_dates(client):
    page = html(client, "/events/munich-investor-roadshow-2027/")
    assert f'href="{LEADS}/events/munich-investor-roadshow-2027/meet/"' in page
    assert "to be confirmed (example date)" in page
    listing = html(client, "/events/")
    assert "Munich" in listing


def test_form_links_in_content_bodies_go_to_the_live_app(client):
    page = html(client, "/countries/serbia/")
    assert 'href="/contact/"' not in page
    assert f'href="{LEADS}/contact/"' in page


def test_localized_pages_keep_visitors_in_their_language(client):
    page = html(client, "/de/countries/serbia/")
    assert 'href="/de/sectors/game-development/"' in page
    assert 'href="/de/compare/"' in page
    assert 'hreflang="sv" lang="sv"' in page
    assert 'href="/sv/countries/serbia/"' in page


def test_untranslated_content_is_marked_english(backend, tmp_path, request):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "case-studies" / "transcom-joins-absl-network.de.md").unlink(missing_ok=True)
    client = build_app(backend, tmp_path, request, CONTENT_DIR=str(content)).test_client()
    page = html(client, "/de/case-studies/transcom-joins-absl-network/")
    assert 'lang="en"' in page
    assert "shown in English" in page or "auf Englisch" in page
    translated = html(client, "/de/case-studies/semos-education-career-centre/")
    assert "auf Englisch" not in translated


def test_about_and_privacy_pages(client, app):
    store = get_store()
    for lang in LANGUAGES:
        for slug in ("about", "privacy"):
            entry = store.get("pages", slug, lang)
            assert entry is not None, (slug, lang)
            assert entry.translated, (slug, lang)
            page = html(client, f"{prefix(lang)}/{slug}/")
            assert f'<html lang="{lang}">' in page
            assert f"<h1>{escape(entry.meta.title)}</h1>" in page, (slug, lang)
    privacy = html(client, "/privacy/")
    assert "Version: 2026-12-01" in privacy  # the notice version the consent records name
    assert ">Who is responsible</h2>" in privacy
    assert "Articles 13 and 14" in privacy
    about = html(client, "/about/")
    assert "ABSL" in about
    assert "investment promotion agencies" in about


def test_unknown_pages_get_a_friendly_404_in_their_language(client):
    page = html(client, "/no-such-page/", 404)
    assert "We could not find that page" in page
    assert 'href="/countries/"' in page
    de = html(client, "/de/no-such-page/", 404)
    assert '<html lang="de">' in de
    html(client, "/countries/atlantis/", 404)


def test_server_errors_get_a_friendly_500(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom-for-test")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom-for-test")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)


def test_pages_have_no_inline_styles_or_scripts(client):
    for path in ["/", "/countries/albania/", "/compare/", "/case-studies/", "/events/"]:
        page = html(client, path)
        assert not re.search(r"\sstyle=", page), path
        assert "<style" not in page
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
        # JSON-LD data blocks, and self-hosted files (CSP script-src 'self'): never inline code.
        for attrs, body in scripts:
            data = 'type="application/ld+json"' in attrs
            assert data or (attrs == ' src="/static/js/attribution.js" defer' and not body), path
        assert not re.search(r"\son[a-z]+=", page), path
