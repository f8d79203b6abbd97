"""German and Swedish interface catalogues: complete, compiled, and used on the pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("de", "sv")


def catalogue(lang: str, kind: str):
    path = ROOT / "translations" / lang / "LC_MESSAGES" / f"messages.{kind}"
    with path.open("rb") as handle:
        return read_po(handle) if kind == "po" else read_mo(handle)


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_is_complete_and_the_committed_mo_matches_the_po(lang):
    po, mo = catalogue(lang, "po"), catalogue(lang, "mo")
    with (ROOT / "translations" / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    po_ids = {m.id for m in po if m.id}
    assert {m.id for m in template if m.id} <= po_ids, "run `make translations`"
    untranslated = [m.id for m in po if m.id and not (m.string and all(m.string))]
    assert untranslated == []
    fuzzy = [m.id for m in po if m.id and m.fuzzy]
    assert fuzzy == []
    for message in po:
        if message.id:
            compiled = mo[message.id].string
            assert as_list(compiled) == as_list(message.string), f"stale .mo: {message.id}"


def as_list(value) -> list[str]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("de", ["Zum Inhalt springen", "Länderprofile", "Sprechen Sie mit uns"]),
     ("sv", ["Hoppa till innehållet", "Landprofiler", "Prata med oss"])],
)  # fmt: skip
def test_interface_is_translated_on_localized_pages(client, lang, expected):
    page = client.get(f"/{lang}/countries/").get_data(as_text=True)
    for text in expected:
        assert text in page
    assert "Skip to content" not in page
