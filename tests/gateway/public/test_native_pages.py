"""A page of every type in German and Swedish: native wording and numbers, no English left."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

EVENT = "munich-investor-roadshow-2027"
PAGES = {
    "home": "/",
    "countries": "/countries/",
    "profile": "/countries/serbia/",
    "compare": "/compare/",
    "sectors": "/sectors/",
    "sector": "/sectors/game-development/",
    "case studies": "/case-studies/",
    "case study": "/case-studies/semos-education-career-centre/",
    "events": "/events/",
    "event": f"/events/{EVENT}/",
    "meeting form": f"/events/{EVENT}/meet/",
    "contact": "/contact/",
    "report": "/report/",
    "inquiry thanks": "/contact/thanks/",
    "meeting thanks": f"/events/{EVENT}/meet/thanks/",
    "report thanks": "/report/thanks/",
}
EXPECTED = {
    "de": {
        "home": ["mehr als 220.000", "21,27\u00a0%", "38,1 Jahre", "mindestens 120"],
        "profile": ["6,6\u00a0Millionen", "MEZ (UTC+1), im Sommer MESZ (UTC+2)", "Belgrad",
                    "Serbischer Dinar (RSD)", "Universität Belgrad", "Noch keine belegte Zahl"],
        "compare": ["6,6\u00a0Millionen", "879,65\u00a0Millionen\u00a0Euro",
                    "EU-Beitrittskandidat (seit 2012)"],
        "sector": ["120\u00a0Millionen\u00a0Euro", "Beschäftigte der serbischen Spielebranche"],
        "case study": ["1.160", "Teilnehmende, die eine Stelle fanden"],
        "event": ["16.–17. März 2027", "München, Deutschland", "Tag 1 vormittags"],
        "meeting form": ["Tag 2 nachmittags", "Förderungen, Standorte und Verfahren"],
        "events": ["Investoren-Roadshow · München"],
        "inquiry thanks": ["Vielen Dank für Ihre Anfrage"],
    },
    "sv": {
        "home": ["mer än 220\u00a0000", "21,27\u00a0%", "38,1 år", "minst 120"],
        "profile": ["6,6\u00a0miljoner", "CET (UTC+1), sommartid CEST (UTC+2)", "Belgrad",
                    "serbisk dinar (RSD)", "Belgrads universitet", "Ännu ingen källbelagd siffra"],
        "compare": ["6,6\u00a0miljoner", "879,65\u00a0miljoner\u00a0euro",
                    "EU-kandidatland (sedan 2012)"],
        "sector": ["120\u00a0miljoner\u00a0euro", "Anställda i den serbiska spelbranschen"],
        "case study": ["1\u00a0160", "Studenter som fick jobb"],
        "event": ["16–17 mars 2027", "München, Tyskland", "Dag 1 förmiddag"],
        "meeting form": ["Dag 2 eftermiddag", "Investeringsstöd, orter och förfaranden"],
        "events": ["Investerarroadshow · München"],
        "inquiry thanks": ["Tack för er förfrågan"],
    },
}  # fmt: skip
ENGLISH = re.compile(
    r"\b(in summer|Day [12]|morning|afternoon|No sourced figure|Source:|million|more than|"
    r"at least|years|Munich|Germany|EU candidate|Thank you|Request a meeting|Your)\b"
)


class VisibleText(HTMLParser):
    """Collect the visible text outside elements marked ``lang="en"``."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        if tag not in ("br", "img", "input", "meta", "link", "path", "rect", "hr"):
            self.stack.append((tag, dict(attrs).get("lang") == "en"))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if data.strip() and not self.hidden and not any(en for _, en in self.stack):
            self.texts.append(data.strip())


@pytest.mark.parametrize("lang", ["de", "sv"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_type_reads_native(client, lang, kind):
    response = client.get(f"/{lang}{PAGES[kind]}")
    assert response.status_code == 200, kind
    page = response.get_data(as_text=True)
    for text in EXPECTED[lang].get(kind, []):
        assert text in page, f"{kind}: {text!r}"
    parser = VisibleText()
    parser.feed(page)
    sources = ("Quelle:", "Källa:")  # publishers and titles of English-language sources
    english = [t for t in parser.texts if ENGLISH.search(t) and not t.startswith(sources)]
    assert english == [], kind
    assert len(re.findall(r'\slang="en"', page)) == 1, "English text"  # the language switch


def test_meeting_answers_are_stored_in_english_for_the_staff(client):
    page = client.get(f"/de/events/{EVENT}/meet/").get_data(as_text=True)
    assert 'value="Day 1 morning"' in page
    assert re.search(r'value="Day 1 morning"[^>]*>\s*<label[^>]*>\s*Tag 1 vormittags', page) or (
        "Tag 1 vormittags" in page
    )
