"""The real content/ folder: valid, complete, and every figure sourced."""

import pytest

from core.countries import COUNTRY_SLUGS
from gateway.content import ContentStore, check_store
from gateway.content.figures import iter_figures
from tests.support.apps import ROOT


@pytest.fixture(scope="module")
def store():
    return ContentStore(ROOT / "content")


def test_real_content_has_no_problems(store):
    assert [str(e) for e in check_store(store, ROOT / "static")] == []


def test_every_country_has_a_profile_in_every_language(store):
    assert sorted(store.slugs("countries")) == sorted(COUNTRY_SLUGS)
    for slug in COUNTRY_SLUGS:
        assert sorted(store.translations("countries", slug)) == ["de", "en", "sv"]


def test_the_site_has_enough_stories_sectors_and_roadshows(store):
    assert len(store.slugs("case-studies")) >= 8
    assert len(store.slugs("sectors")) >= 4
    hosts = {e.meta.host_country for e in store.all("events") if e.meta.kind == "roadshow"}
    assert {"Germany", "Austria", "Sweden"} <= hosts


def test_every_figure_names_its_source_and_period(store):
    figures = []
    for kind in ("countries", "baselines", "sectors", "case-studies", "pages"):
        for entry in store.all(kind):
            figures.extend(fig for _, fig in iter_figures(entry.meta))
    assert figures
    for figure in figures:
        if figure.value is not None or figure.none:
            assert figure.source.strip()
            assert 1990 <= int(figure.period[:4]) <= 2100
        else:
            assert figure.period is None  # a missing figure has no made-up period
