"""The partners' directory as content: the real entries, and what the loader refuses."""

import datetime as dt
from pathlib import Path
from typing import cast

import pytest

from gateway.content import ContentStore
from gateway.content.partners import FACT_FIELDS, PARTNER_KINDS, PartnerDoc

ROOT = Path(__file__).resolve().parents[3]
CHECKED = dt.date(2026, 12, 8)


@pytest.fixture(scope="module")
def store():
    return ContentStore(ROOT / "content")


def partners(store) -> list[PartnerDoc]:
    return [cast(PartnerDoc, e.meta) for e in store.all("partners")]


def test_the_directory_lists_twenty_real_organisations_of_every_kind_in_five_countries(store):
    metas = partners(store)
    assert len(metas) >= 20
    assert {m.kind for m in metas} == set(PARTNER_KINDS)
    assert len({c for m in metas for c in m.countries}) >= 5
    named = {m.name for m in metas}
    for expected in ("SPEEEX Education", "Semos Education", "ICT Cortex", "Melita & Partners"):
        assert expected in named
    assert not store.errors_for("partners", "speeex-education")


def test_every_fact_shown_has_a_public_source_checked_on_a_known_day(store):
    for meta in partners(store):
        for fact in meta.filled_facts():
            sources = meta.sources_for(fact)
            assert sources, (meta.name, fact)
            assert all(s.checked == CHECKED for s in sources), meta.name
        assert all(s.publisher and s.title for s in meta.sources)


def test_no_listing_claims_consent_that_no_chapter_recorded(store):
    # Listed from public sources: the day of agreement stays empty until a chapter records it.
    assert all(meta.listed_consent_on is None for meta in partners(store))


def test_every_partner_reads_in_german_and_swedish(store):
    for entry in store.all("partners"):
        for lang in ("de", "sv"):
            translated = store.get("partners", entry.slug, lang)
            assert translated.translated, (entry.slug, lang)
            assert translated.meta.name == entry.meta.name  # a name is never translated
            if entry.meta.summary:
                assert translated.meta.summary != entry.meta.summary, (entry.slug, lang)


GOOD = """---
name: Example Academy
kind: training-provider
countries: [kosovo]
founded: 2015
sources:
  - publisher: Example Publisher
    title: About the academy
    checked: 2026-12-08
    covers: [name, kind, countries, founded]
---
"""


def load(tmp_path, text: str, translation: str | None = None) -> ContentStore:
    folder = tmp_path / "content" / "partners"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "example.md").write_text(text, encoding="utf-8")
    if translation is not None:
        (folder / "example.de.md").write_text(translation, encoding="utf-8")
    return ContentStore(tmp_path / "content")


def test_only_name_kind_country_and_a_source_are_required(tmp_path):
    minimal = GOOD.replace("founded: 2015\n", "").replace(", founded]", "]")
    store = load(tmp_path, minimal)
    assert store.errors == []
    assert store.get("partners", "example").meta.name == "Example Academy"


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("covers: [name, kind, countries, founded]", "covers: [name, kind, countries]"), 2,
         "every fact needs a source: add to a source's 'covers': founded"),
        (("kind: training-provider", "kind: consultancy"), 3, "kind: Input should be"),
        (("countries: [kosovo]", "countries: [croatia]"), 4, "countries.0: Input should be"),
        (("    checked: 2026-12-08\n", ""), 7, "sources.0.checked: required field is missing"),
        (("founded: 2015", "founded: 2015\nheadcount: 40"), 6, "headcount: unknown field"),
    ],
)  # fmt: skip
def test_a_broken_partner_file_is_reported_by_path_and_line(tmp_path, change, line, message):
    store = load(tmp_path, GOOD.replace(*change))
    errors = [str(e) for e in store.errors]
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"content/partners/example.md:{line}: "), errors
    assert message in errors[0]


def test_a_translation_sets_texts_only_never_the_name(tmp_path):
    store = load(tmp_path, GOOD, "---\nname: Beispielakademie\n---\n")
    errors = [str(e) for e in store.errors]
    assert len(errors) == 1
    assert errors[0].startswith("content/partners/example.de.md:2: name: not translatable")


def test_the_facts_a_source_can_cover_are_the_fields_of_the_schema():
    assert set(FACT_FIELDS) <= set(PartnerDoc.model_fields)
