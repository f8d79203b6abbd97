"""The first reply: from the owner, in the investor's language, making the case for the country."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from core.extensions import db
from leads.notify.relay import send_pending
from tests.support.mail import inquire
from tests.support.staff import make_user


def advisers():
    ana = make_user("ana@ras.example.org", "ipa-serbia", "country")
    ana.display_name, ana.job_title = "Ana Petrović", "Investment Adviser"
    marko = make_user("marko@ras.example.org", "ipa-serbia", "country")
    marko.display_name, marko.job_title = "Marko Jovanović", "Senior Investment Adviser"
    db.session.commit()
    return ana, marko


def first_replies(app) -> dict[str, email.message.EmailMessage]:
    folder = Path(app.config["MAIL_FOLDER"])
    return {
        path.name: email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob("*-investor.acknowledgement.eml"))
    }


def parts(message):
    return (
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def test_two_serbia_inquiries_get_one_owner_each_and_a_reply_from_them(app, runner):
    ana, marko = advisers()
    first = inquire("eva@example.de", lang="de")
    second = inquire("jonas@example.se", lang="en", hq="SE")
    assert (first.owner_id, second.owner_id) == (ana.id, marko.id)
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    german, english = first_replies(app).values()

    assert german.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in german.iter_parts()] == ["text/plain", "text/html"]
    assert german["To"].addresses[0].addr_spec == "eva@example.de"
    assert german["Reply-To"].addresses[0].addr_spec == "ana@ras.example.org"
    assert german["Reply-To"].addresses[0].display_name == "Ana Petrović"
    assert german["Bcc"] is None  # the lead inbox is in the envelope only
    text, html = parts(german)
    for body in (text, html):
        assert "Ana Petrović" in body
        assert "Investment Adviser" in body
        assert "Development Agency of Serbia (RAS)" in body
        assert "Serbien" in body  # the German profile title
        assert "Statistical Office of the Republic of Serbia" in body  # a figure and its source
        assert "/de/countries/serbia/fact-sheet.pdf" in body
        assert "ABSL Serbia" in body
        assert "RAS Development Agency of Serbia" in body
        assert "München" in body or "Munich" in body
        assert "/de/events/munich-investor-roadshow-2027/meet/" in body
        assert "utm_campaign=first-reply" in body
        # A team size was given (50-249): the cost estimator, for that team and country.
        assert "/de/costs/?team=100" in body
        assert "mix=software" in body
        assert "country=serbia" in body
    assert "Guten Tag Eva Gruber" in text
    assert "Ihre Anfrage" in text

    assert english["Reply-To"].addresses[0].addr_spec == "marko@ras.example.org"
    text, html = parts(english)
    assert "Marko Jovanović" in text
    assert "/events/stockholm-investor-roadshow-2027/meet/" in text  # Swedish headquarters


def test_the_html_part_loads_nothing_and_tracks_nobody(app):
    advisers()
    inquire("eva@example.de")
    send_pending()
    (reply,) = first_replies(app).values()
    _text, html = parts(reply)
    assert "<img" not in html
    assert "<script" not in html
    assert "<link" not in html
    assert "<style" not in html  # inline styles only: mail clients drop style sheets
    assert "eva@example.de" not in html.split("<body", 1)[1].split("Eva Gruber", 1)[1]
    for link in html.split('href="')[1:]:
        url = link.split('"', 1)[0]
        assert "eva" not in url.lower(), url
        assert "lead" not in url.lower(), url


def test_the_first_reply_is_not_the_first_response(app):
    advisers()
    lead = inquire("eva@example.de")
    send_pending()
    db.session.refresh(lead)
    assert lead.first_response_at is None


def test_without_an_owner_replies_go_to_the_lead_inbox(app):
    inquire("eva@example.de", countries=("serbia", "kosovo"))  # the regional team: nobody yet
    send_pending()
    (reply,) = first_replies(app).values()
    assert reply["Reply-To"].addresses[0].addr_spec == app.config["LEAD_INBOX"]
    text, _html = parts(reply)
    assert "ABSL Western Balkans" in text
    assert "Kosovo" in text
    assert "Serbia" in text


@pytest.mark.parametrize(
    ("lang", "hq", "words", "city"),
    [
        ("de", "AT", ("Guten Tag,", "Ihre Anfrage", "antworten Sie"), "Wien"),
        ("sv", "SE", ("er förfrågan", "svarar ni"), "Stockholm"),
    ],
)
def test_the_first_reply_speaks_the_investors_language(app, lang, hq, words, city):
    advisers()
    inquire("eva@example.de", lang=lang, hq=hq, full_name="")
    send_pending()
    (reply,) = first_replies(app).values()
    text, _html = parts(reply)
    assert city in text
    assert all(word in text for word in words), text


def test_the_lead_inbox_gets_a_blind_copy_over_smtp(app, request):
    inbox = request.getfixturevalue("smtp_server")
    advisers()
    inquire("eva@example.de")
    send_pending()
    reply = next(e for e in inbox.envelopes if "eva@example.de" in e.rcpt_tos)
    assert sorted(reply.rcpt_tos) == sorted(["eva@example.de", app.config["LEAD_INBOX"]])
    parsed = email.message_from_bytes(reply.content, policy=email.policy.default)
    assert parsed["Bcc"] is None
    assert parsed["Reply-To"].addresses[0].addr_spec == "ana@ras.example.org"
