"""Erasure reaches the stored digests: the person's entry reads "(erased)", the others stay."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from core.extensions import db
from leads.models import utcnow
from leads.notify.relay import send_pending
from tests.support.followup import DAY, adviser
from tests.support.followup import inquire as inquire_at

PEOPLE = [
    ("Eva Gruber", "Gruber IT GmbH"),
    ("Björn Åström Ödegård Lindqvist", "Ödegård & Söner AB"),
    ("Александр Сергеевич Пушкин", "ООО «Пушкин»"),
    ("Şükrü Ağaoğlu", "Ağaoğlu Yazılım A.Ş."),
]


def digests(app, kind: str) -> dict[str, tuple[bytes, str]]:
    """Return each stored digest of a kind: its bytes and its decoded text."""
    folder = Path(app.config["MAIL_FOLDER"])
    found = {}
    for path in sorted(folder.glob(f"*-{kind}.eml")):
        raw = path.read_bytes()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        found[path.name] = (raw, message.get_content())
    return found


def assert_gone(app, kind, name, company, address, kept):
    stored = digests(app, kind)
    assert stored, "the digest itself stays"
    for raw, text in stored.values():
        for secret in (name, company, address):
            assert secret not in text
            assert secret.encode("utf-8") not in raw
        assert "(erased)" in text
        for other in kept:
            assert other in text


def erase(runner, address):
    result = runner.invoke(args=["privacy", "erase", address])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("name", "company"), PEOPLE)
def test_erasure_redacts_the_person_in_a_staff_digest_naming_several(app, runner, name, company):
    adviser(notify="digest")
    inquire_at("erase.me@example.de", full_name=name, company=company)
    inquire_at("jonas@example.se", full_name="Jonas Berg", company="Berg Data AB")
    send_pending()
    assert runner.invoke(args=["mail", "digest"]).exit_code == 0
    send_pending()
    ((_raw, text),) = digests(app, "staff.digest").values()
    assert name in text
    assert company in text
    assert "Jonas Berg" in text

    erase(runner, "erase.me@example.de")
    assert_gone(
        app, "staff.digest", name, company, "erase.me@example.de", ["Jonas Berg, Berg Data AB"]
    )


@pytest.mark.parametrize(("name", "company"), PEOPLE[:2])
def test_erasure_redacts_the_person_in_a_reminder_digest(app, runner, name, company):
    adviser()
    late = utcnow() - 5 * DAY
    inquire_at("erase.me@example.de", full_name=name, company=company, received=late)
    inquire_at("late@example.de", full_name="Lena Late", company="Late GmbH", received=late)
    send_pending()
    assert runner.invoke(args=["leads", "remind"]).exit_code == 0
    send_pending()
    ((_raw, text),) = digests(app, "staff.reminders").values()
    assert company in text
    assert "Late GmbH" in text

    erase(runner, "erase.me@example.de")
    assert_gone(app, "staff.reminders", name, company, "erase.me@example.de", ["Late GmbH"])


def test_another_lead_of_the_same_company_keeps_its_entry(app, runner):
    adviser(notify="digest")
    inquire_at("erase.me@example.de", full_name="Eva Gruber", company="Gruber IT GmbH")
    other = inquire_at("karl@example.de", full_name="Karl Gruber", company="Gruber IT GmbH")
    send_pending()
    runner.invoke(args=["mail", "digest"])
    send_pending()
    erase(runner, "erase.me@example.de")
    ((_raw, text),) = digests(app, "staff.digest").values()
    assert "Eva Gruber" not in text
    assert "- (erased), (erased) (serbia)" in text
    assert "- Karl Gruber, Gruber IT GmbH (serbia)" in text
    assert f"/staff/leads/{other.id}/" in text


def test_a_digest_naming_only_the_person_keeps_nothing_of_them(app, runner):
    adviser(notify="digest")
    inquire_at("erase.me@example.de", full_name="Eva Gruber", company="Gruber IT GmbH")
    send_pending()
    runner.invoke(args=["mail", "digest"])
    send_pending()
    erase(runner, "erase.me@example.de")
    assert_gone(app, "staff.digest", "Eva Gruber", "Gruber IT GmbH", "erase.me@example.de", [])
    # Nothing else is left of the person anywhere in the mail folder.
    folder = Path(app.config["MAIL_FOLDER"])
    for path in folder.glob("*.eml"):
        text = path.read_bytes()
        assert b"Gruber" not in text
        assert b"erase.me@example.de" not in text


def test_retention_purge_redacts_digests_too(app, runner):
    adviser(notify="digest")
    old = inquire_at("old@example.de", full_name="Olga Old", company="Old AG")
    inquire_at("new@example.de", full_name="Nina New", company="New AG")
    send_pending()
    runner.invoke(args=["mail", "digest"])
    send_pending()
    old.last_activity_at = utcnow() - 5000 * DAY
    db.session.commit()
    result = runner.invoke(args=["privacy", "purge-expired"])
    assert result.exit_code == 0, result.output
    assert_gone(app, "staff.digest", "Olga Old", "Old AG", "old@example.de", ["Nina New, New AG"])
