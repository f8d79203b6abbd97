"""German and Swedish interface catalogues: complete, compiled, and used on the pages."""

from __future__ import annotations

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.support.apps import ROOT

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


@pytest.mark.parametrize(
    ("lang", "expected", "english"),
    [("de", ["Geschäftliche E-Mail-Adresse", "Nordmazedonien", "Anfrage senden", "Arbeitstagen"],
      ["Work email", "North Macedonia", "Send inquiry", "working days"]),
     ("sv", ["E-postadress i arbetet", "Nordmakedonien", "Skicka förfrågan", "arbetsdagar"],
      ["Work email", "North Macedonia", "Send inquiry", "working days"])],
)  # fmt: skip
def test_inquiry_form_is_translated(client, lang, expected, english):
    # What people read: the body (the head's JSON-LD names places in English for search engines).
    page = client.get(f"/{lang}/contact/").get_data(as_text=True).partition("<body")[2]
    for text in expected:
        assert text in page
    for text in english:
        assert text not in page


@pytest.mark.parametrize(
    ("lang", "subject", "closing"),
    [("de", "Vielen Dank für Ihre Anfrage", "Mit freundlichen Grüßen"),
     ("sv", "Tack för er förfrågan", "Vänliga hälsningar")],
)  # fmt: skip
def test_acknowledgement_mail_speaks_the_investors_language(app, make_lead, lang, subject, closing):
    from leads.notify import messages

    lead = make_lead(preferred_language=lang)
    mail = messages.acknowledgement(lead, lead.inquiries[0])
    body = mail.get_body(("plain",)).get_content()
    assert mail["Subject"].startswith(subject)
    assert closing in body
    assert "Kind regards" not in body
    assert "working day" not in body
