"""Investors and staff with long non-ASCII names get their mail, and their names read back whole."""

import email
import email.policy
from datetime import datetime
from email.header import decode_header, make_header
from pathlib import Path

import pytest

from core.extensions import db
from leads.capture.forms import NAME_MAX
from leads.models import Lead
from leads.notify import messages
from leads.notify.relay import send_pending
from tests.support.mail import read_folder, submit_inquiry
from tests.support.staff import make_user


def _fill(text: str, limit: int = NAME_MAX) -> str:
    """Repeat ``text`` up to ``limit`` characters, as long as the form accepts."""
    return (text * (limit // len(text) + 1))[:limit].strip()


NAMES = {
    "cyrillic": "Александр Сергеевич Пушкин",
    "nordic": "Björn Åström Ödegård Lindqvist Hällström",
    "turkish-run": "Ş" * 25,
    "greek": "Ελευθέριος Κυριακόπουλος-Παπαδημητρίου",
    "turkish": "Çağlar Şükrü Öztürk Gülşen Ilıcalı Ağaoğlu",
    "albanian": "Arbëreshë Dhëmbëllore Çeliku Gjergj Kastrioti Skënderbeu",
    "serbian-latin": "Đorđe Šćepanović Žižić Ćirić Petrović Njegoš",
    "serbian-cyrillic": "Ђорђе Шћепановић Жижић Ћирић Петровић Његош",
    "cjk": "王小明 山田太郎 김민준 欧阳娜娜",
    "rtl": "محمد عبد الرحمن الشمري שלום עליכם",
    "emoji": "Ana 👩🏽‍💻 Petrović 🇷🇸🇦🇱 Ödegård 🚀✨",
    "long-cyrillic": _fill("Александр Сергеевич Пушкин "),
    "long-run": "Ş" * NAME_MAX,
    "long-cjk": "王" * NAME_MAX,
    "long-emoji": "😀" * NAME_MAX,
    "ascii-then-one": "a" * 59 + "Ş",
}


def _raw_header(raw: bytes, name: str) -> str:
    """Return a header as written, unfolded, without decoding it."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    value = None
    for line in head.split("\r\n"):
        if value is None and line.lower().startswith(name.lower() + ":"):
            value = line.split(":", 1)[1]
        elif value is not None and line[:1] in (" ", "\t"):
            value += line
        elif value is not None:
            break
    assert value is not None, name
    return value


def _as_a_mail_client_reads(raw: bytes, name: str) -> str:
    """Decode a header the RFC 2047 way: adjacent encoded words are joined, no space between."""
    return str(make_header(decode_header(_raw_header(raw, name))))


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _check_names(raw: bytes, expected: dict[str, str]) -> None:
    """Each address header holds the expected display name, read by either kind of reader."""
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    for header, name in expected.items():
        shown = messages.header_text(name, messages.DISPLAY_NAME_LIMIT)
        (addr,) = [a for a in parsed[header].addresses if a.display_name][:1] or [None]
        assert addr is not None, header
        assert _same(addr.display_name, shown), (header, addr.display_name, shown)
        assert shown in _as_a_mail_client_reads(raw, header), header
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 998


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_a_long_non_ascii_name_gets_its_mail_with_the_name_whole(app, name):
    owner = make_user(email="owner@example.org")
    owner.display_name = _fill(name, 120)  # the staff profile's limit
    app.config["MAIL_SENDER"] = f"{_fill(name, 80)} <gateway@example.org>"
    recorded = submit_inquiry(full_name=name, company=name)
    db.session.get(Lead, recorded.lead_id).owner = owner
    db.session.commit()

    result = send_pending()

    # The team notification, the acknowledgement and the owner's notice.
    assert result.dead == 0, result.errors
    assert result.sent == 3, result.errors
    folder = read_folder(app)
    assert len(folder) == 3, list(folder)
    for filename in folder:
        raw = (Path(app.config["MAIL_FOLDER"]) / filename).read_bytes()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        if "acknowledgement" not in filename:  # staff subjects name the investor's company
            assert messages.header_text(name)[:40] in str(parsed["Subject"]), filename
        assert _as_a_mail_client_reads(raw, "Subject") == str(parsed["Subject"])
        assert _same(str(parsed["From"].addresses[0].display_name), _fill(name, 80))
        if "acknowledgement" in filename:
            _check_names(raw, {"To": name, "Reply-To": owner.display_name})
        elif "owner" in filename:
            _check_names(raw, {"To": owner.display_name})
        else:
            _check_names(raw, {"Reply-To": name})


@pytest.mark.parametrize("key", ["cyrillic", "nordic", "turkish-run", "long-emoji", "rtl"])
def test_a_long_non_ascii_name_is_delivered_over_smtp(app, smtp_server, key):
    name = NAMES[key]
    submit_inquiry(email_address="ivan@example.ru", full_name=name, company=name)
    result = send_pending()
    assert result.dead == 0, result.errors
    assert result.sent == 2, result.errors
    recipients = sorted(rcpt for env in smtp_server.envelopes for rcpt in env.rcpt_tos)
    assert recipients == sorted([app.config["LEAD_INBOX"], "ivan@example.ru"])
    for envelope in smtp_server.envelopes:
        header = "To" if "ivan@" in envelope.rcpt_tos[0] else "Reply-To"
        _check_names(envelope.content, {header: name})


def test_staff_notices_carry_a_long_non_ascii_staff_name(app):
    staff = make_user(email="ana@example.org")
    staff.display_name = _fill("Ђорђе Шћепановић Жижић Ћирић Петровић ", 120)
    db.session.commit()
    message = messages.staff_digest(staff, [], datetime(2026, 1, 5))
    raw, recipients = messages.serialise(message)
    assert recipients == ["ana@example.org"]
    _check_names(raw, {"To": staff.display_name})


def test_the_encoded_name_still_carries_no_header(app):
    # A name that tries to close the encoded word and open a header is written as text.
    name = "Пушкин ?= \r\nBcc: x@evil.example =?utf-8?q?=0D=0A?= " + "Ş" * 30
    message = messages.new_message("Тема", messages.address(name, "a@example.com"), "Body")
    raw, recipients = messages.serialise(message)
    assert recipients == ["a@example.com"]
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Bcc"] is None
    assert b"evil" not in raw.split(b"\r\n\r\n")[0]
