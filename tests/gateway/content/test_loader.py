"""Content loading: typed front matter, errors with file and line, sanitised Markdown."""

import pytest

from gateway.content import ContentStore, check_store
from gateway.content.figures import format_figure
from gateway.content.markdown import render_markdown
from tests.support.content import write

CASE = """---
title: Cortex Academy
summary: Training for the Montenegrin ICT sector.
date: 2022-10-01
countries: [montenegro]
sectors: [ict-services]
organisation: ICT Cortex
figures:
  - {label: People trained, value: 678, source: Case-study report, period: '2022'}
source: {title: Case-study report, year: 2022}
---
## Results

See [Montenegro](/countries/montenegro/).
"""

SECTOR = """---
title: ICT services
summary: Software and IT services.
order: 1
---
Body.
"""


@pytest.fixture
def site(tmp_path):
    write(tmp_path, "sectors/ict-services.md", SECTOR)
    write(tmp_path, "case-studies/cortex-academy.md", CASE)
    return tmp_path


def test_valid_case_study_loads_typed_and_rendered(site):
    store = ContentStore(site / "content")
    entry = store.get("case-studies", "cortex-academy")
    assert store.errors == []
    assert entry.meta.figures[0].value == 678
    assert format_figure(entry.meta.figures[0]) == "678"
    assert '<h2 id="c-results">Results</h2>' in entry.html
    assert entry.toc == ((2, "c-results", "Results"),)


def test_mistyped_field_is_reported_with_file_and_line(site):
    write(site, "case-studies/bad.md", CASE.replace("date: 2022-10-01", "date: someday"))
    store = ContentStore(site / "content")
    assert [str(e) for e in store.errors] == [
        "content/case-studies/bad.md:4: date: Input should be a valid date or datetime, "
        "input is too short"
    ]
    assert store.get("case-studies", "bad") is None
    assert store.get("case-studies", "cortex-academy") is not None


def test_unknown_country_slug_names_the_line_of_the_list_item(site):
    write(site, "case-studies/bad.md", CASE.replace("[montenegro]", "[montenegro, croatia]"))
    errors = ContentStore(site / "content").errors
    assert len(errors) == 1
    assert errors[0].path == "content/case-studies/bad.md"
    assert errors[0].line == 5
    assert "countries.1" in errors[0].message


def test_missing_required_field_and_typo_are_both_reported(site):
    text = CASE.replace("organisation: ICT Cortex\n", "organisaton: ICT Cortex\n")
    write(site, "case-studies/bad.md", text)
    messages = sorted(str(e) for e in ContentStore(site / "content").errors)
    assert messages == [
        "content/case-studies/bad.md:2: organisation: required field is missing",
        "content/case-studies/bad.md:7: organisaton: unknown field (check the spelling)",
    ]


def test_invalid_yaml_names_the_line(site):
    write(site, "sectors/broken.md", "---\ntitle: ok\nsummary: [unclosed\norder: 1\n---\nx\n")
    (error,) = ContentStore(site / "content").errors
    assert error.path == "content/sectors/broken.md"
    assert error.line in (3, 4)
    assert error.message.startswith("invalid YAML")


def test_missing_front_matter_is_reported(site):
    write(site, "sectors/plain.md", "# Just text\n")
    (error,) = ContentStore(site / "content").errors
    assert str(error) == (
        "content/sectors/plain.md:1: front matter missing: the file must start with '---'"
    )


def test_broken_internal_link_and_unknown_sector_are_found_by_the_check(site):
    text = CASE.replace("[ict-services]", "[quantum]").replace(
        "/countries/montenegro/", "/countries/atlantis/"
    )
    write(site, "case-studies/cortex-academy.md", text)
    store = ContentStore(site / "content")
    messages = [str(e) for e in check_store(store, site / "static")]
    assert "content/case-studies/cortex-academy.md:6: unknown sector 'quantum'" in messages
    assert (
        "content/case-studies/cortex-academy.md:14: broken internal link: /countries/atlantis/"
        in messages
    )


def test_translation_takes_text_and_keeps_facts_from_english(site):
    write(
        site,
        "case-studies/cortex-academy.de.md",
        "---\ntitle: Cortex-Akademie\nsummary: Ausbildung.\n---\n## Ergebnisse\n",
    )
    store = ContentStore(site / "content")
    german = store.get("case-studies", "cortex-academy", "de")
    assert german.meta.title == "Cortex-Akademie"
    assert german.meta.figures[0].value == 678
    assert german.translated
    assert "Ergebnisse" in german.html


def test_untranslated_entry_falls_back_to_english_marked(site):
    store = ContentStore(site / "content")
    swedish = store.get("case-studies", "cortex-academy", "sv")
    assert swedish.meta.title == "Cortex Academy"
    assert not swedish.translated


def test_translation_may_not_override_facts(site):
    write(
        site,
        "case-studies/cortex-academy.sv.md",
        "---\ntitle: Cortex\nsummary: Utbildning.\nfigures: []\n---\n",
    )
    (error,) = ContentStore(site / "content").errors
    assert error.line == 4
    assert "figures" in error.message


def test_refresh_picks_up_edits(site):
    store = ContentStore(site / "content")
    write(site, "sectors/ict-services.md", SECTOR.replace("ICT services", "ICT and software"))
    assert store.refresh()
    assert store.get("sectors", "ict-services").meta.title == "ICT and software"
    assert not store.refresh()


HOSTILE = """
<script>alert(1)</script>
[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)
<img src=x onerror="alert(1)">
<a href="/x" onclick="steal()" style="color:red">styled</a>
<iframe src="https://evil.example"></iframe>
## Heading {: .lead #intro onmouseover="x()" }
"""


def test_hostile_markdown_renders_harmlessly():
    html = render_markdown(HOSTILE).html.lower()
    for forbidden in ("<script", "javascript:", "data:text", "onerror", "onclick", "style=",
                      "<iframe", "onmouseover"):  # fmt: skip
        assert forbidden not in html, forbidden
    assert '<h2 class="lead" id="c-intro">' in html
