"""Translations override texts only; the check lists every text still shown in English."""

from __future__ import annotations

import pytest

from gateway.content import ContentStore
from gateway.content.check import fallback_warnings
from tests.support.apps import ROOT
from tests.support.content import write

EVENT = """---
title: "Investor roadshow Munich 2027"
summary: "Meet the agencies in Munich."
kind: roadshow
city: Munich
host_country: Germany
venue: Haus der Wirtschaft
starts: 2027-03-16
ends: 2027-03-17
slots: [Day 1 morning, Day 1 afternoon]
topics: [Nearshore ICT teams]
---
Body.
"""

SECTOR = """---
title: BPO
summary: Customer service from the region.
figures:
  - label: Full-time workers
    value: 5713
    unit: people
    source: MASIT survey
    period: "2018"
  - label: Growth in one year
    value: 1174
    source: MASIT survey
    period: "2018"
---
Body.
"""


def store_with(tmp_path, files: dict[str, str]) -> ContentStore:
    write(tmp_path, "events/munich.md", EVENT)
    write(tmp_path, "sectors/bpo.md", SECTOR)
    for rel, text in files.items():
        write(tmp_path, rel, text)
    return ContentStore(tmp_path / "content")


def translation(front: str) -> str:
    return (
        f"---\ntitle: Roadshow München\nsummary: Treffen Sie uns in München.\n{front}---\nText.\n"
    )


def test_texts_are_merged_over_the_english_and_facts_stay(tmp_path):
    store = store_with(
        tmp_path,
        {
            "events/munich.de.md": translation(
                "city: München\nhost_country: Deutschland\n"
                "slots: [Tag 1 vormittags, Tag 1 nachmittags]\ntopics: [Nearshore-IKT-Teams]\n"
            )
        },
    )
    assert store.errors == []
    german = store.get("events", "munich", "de").meta
    assert (german.city, german.host_country) == ("München", "Deutschland")
    assert german.slots == ["Tag 1 vormittags", "Tag 1 nachmittags"]
    assert german.starts.isoformat() == "2027-03-16"  # from the English file
    assert store.get("events", "munich").meta.city == "Munich"  # English untouched


def test_a_fact_in_a_translation_is_an_error_with_its_line(tmp_path):
    store = store_with(
        tmp_path, {"events/munich.de.md": translation("city: München\nstarts: 2020-01-01\n")}
    )
    assert [str(e) for e in store.errors] == [
        "content/events/munich.de.md:5: starts: not translatable: numbers, dates, codes and "
        "names stay in the English file"
    ]
    assert not store.get("events", "munich", "de").translated  # English shown, marked


def test_lists_keep_their_length_and_objects_merge_item_by_item(tmp_path):
    sector = translation("figures:\n  - label: Vollzeitbeschäftigte\n  - {}\n")
    bad = translation("slots: [Tag 1]\n")
    store = store_with(tmp_path, {"sectors/bpo.de.md": sector, "events/munich.sv.md": bad})
    figures = store.get("sectors", "bpo", "de").meta.figures
    assert [f.label for f in figures] == ["Vollzeitbeschäftigte", "Growth in one year"]
    assert figures[0].value == 5713
    assert [e.message for e in store.errors] == ["slots: has 1 items; the English file has 2"]


def test_only_some_names_may_be_given_in_the_language(tmp_path):
    ok = translation("figures:\n  - source: MASIT-Umfrage\n    label: Vollzeit\n  - {}\n")
    period = translation("figures:\n  - period: '2019'\n  - {}\n")
    store = store_with(tmp_path, {"sectors/bpo.de.md": ok, "sectors/bpo.sv.md": period})
    assert store.get("sectors", "bpo", "de").meta.figures[0].source == "MASIT-Umfrage"
    assert [e.message for e in store.errors] == [
        "figures.0.period: not translatable: numbers, dates, codes and names stay in the "
        "English file"
    ]


def test_every_text_shown_in_english_is_a_warning_with_path_and_line(tmp_path):
    german = translation("city: München\nhost_country: Germany\nidentical: [topics.0]\n")
    store = store_with(tmp_path, {"events/munich.de.md": german})
    warnings = [str(w) for w in fallback_warnings(store) if "munich" in w.path]
    assert warnings == [
        "content/events/munich.de.md:5: warning: de: host_country: identical to the English "
        "(list it under 'identical' if right)",
        "content/events/munich.md:1: warning: sv: no translation (content/events/munich.sv.md): "
        "7 text(s) and the body are shown in English",
        "content/events/munich.md:10: warning: de: slots.0: not translated into de "
        "(content/events/munich.de.md), shown in English",
        "content/events/munich.md:10: warning: de: slots.1: not translated into de "
        "(content/events/munich.de.md), shown in English",
    ]  # the venue is a name (not reported); topics.0 is confirmed identical


def test_unknown_identical_paths_are_errors(tmp_path):
    store = store_with(tmp_path, {"events/munich.de.md": translation("identical: [citty]\n")})
    assert [e.message for e in store.errors] == ["identical.0: no text field 'citty' to keep"]


def test_the_shipped_content_shows_no_english_on_translated_pages():
    store = ContentStore(ROOT / "content")
    assert [str(w) for w in fallback_warnings(store)] == []


def test_content_check_strict_fails_on_fallbacks(app, tmp_path):
    write(tmp_path, "events/munich.md", EVENT)
    app.extensions["content"] = ContentStore(tmp_path / "content")
    runner = app.test_cli_runner()
    relaxed = runner.invoke(args=["content", "check"])
    strict = runner.invoke(args=["content", "check", "--strict"])
    assert "warning: de: no translation" in relaxed.output
    assert strict.exit_code == 1
    assert relaxed.exit_code in (0, 1)
    assert "shown in English on translated pages" in strict.output


@pytest.mark.parametrize("lang", ["de", "sv"])
def test_every_shipped_translation_sets_its_texts(lang):
    store = ContentStore(ROOT / "content")
    serbia = store.get("countries", "serbia", lang).meta
    english = store.get("countries", "serbia").meta
    assert serbia.time_zone != english.time_zone
    assert serbia.eu_status != english.eu_status
    assert serbia.facts.population.value == english.facts.population.value
