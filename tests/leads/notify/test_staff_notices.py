"""The people behind a lead are told: its owner, and the staff of the informed organisations."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from sqlalchemy import select

from core.extensions import db
from leads.models import OutboxEvent
from leads.notify.relay import send_pending
from leads.queue import outbox
from leads.queue.events import Kind
from tests.support.mail import inquire
from tests.support.staff import make_user


def mails(app, kind: str) -> list[email.message.EmailMessage]:
    folder = Path(app.config["MAIL_FOLDER"])
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob(f"*-{kind}.eml"))
    ]


def team(notify_absl="each"):
    ana = make_user("ana@ras.example.org", "ipa-serbia", "country")
    ana.display_name, ana.job_title = "Ana Petrović", "Investment Adviser"
    nina = make_user("nina@absl-serbia.example.org", "absl-serbia", "country")
    nina.display_name, nina.notify = "Nina Ilić", notify_absl
    db.session.commit()
    return ana, nina


def test_owner_hears_of_the_new_lead_with_its_score_and_link(app):
    team()
    lead = inquire("eva@example.de", headcount_band="50-249")
    send_pending()
    (notice,) = mails(app, Kind.OWNER_NOTICE)
    assert notice["To"].addresses[0].addr_spec == "ana@ras.example.org"
    assert notice["Subject"].startswith("New lead assigned to you: Gruber IT GmbH (Serbia)")
    body = notice.get_content()
    assert f"Score {lead.score}" in body
    assert f"/staff/leads/{lead.id}/" in body
    assert "Reply by:" in body


def test_informed_organisation_staff_get_an_fyi_naming_the_owner(app):
    _ana, nina = team()
    inquire("eva@example.de")
    send_pending()
    (fyi,) = mails(app, Kind.SHARED_NOTICE)
    assert fyi["To"].addresses[0].addr_spec == nina.email
    assert fyi["Reply-To"].addresses[0].addr_spec == "ana@ras.example.org"
    body = fyi.get_content()
    assert "ABSL Serbia is informed" in body
    assert "Ana Petrović, Investment Adviser" in body


def test_each_persons_notice_setting_is_respected(app):
    ana, _nina = team(notify_absl="none")
    ana.notify = "digest"
    db.session.commit()
    inquire("eva@example.de")
    result = send_pending()
    assert mails(app, Kind.OWNER_NOTICE) == []
    assert mails(app, Kind.SHARED_NOTICE) == []
    assert result.cancelled == 2
    assert result.dead == 0
    skipped = db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.kind.in_((Kind.OWNER_NOTICE, Kind.SHARED_NOTICE)))
    ).all()
    assert {e.status for e in skipped} == {outbox.CANCELLED}
    assert all("notice setting" in e.last_error for e in skipped)


def test_an_owner_without_an_email_address_is_skipped(app):
    ana, _nina = team()
    inquire("eva@example.de")
    ana.email = ""
    db.session.commit()
    result = send_pending()
    assert result.dead == 0
    assert mails(app, Kind.OWNER_NOTICE) == []
    event = db.session.scalars(select(OutboxEvent).filter_by(kind=Kind.OWNER_NOTICE)).one()
    assert "no email address" in event.last_error
    (reply,) = mails(app, "investor.acknowledgement")  # the investor still gets the first reply
    assert reply["Reply-To"].addresses[0].addr_spec == app.config["LEAD_INBOX"]


def test_the_daily_digest_lists_new_leads_once(app, runner):
    ana, nina = team(notify_absl="digest")
    ana.notify = "digest"
    db.session.commit()
    inquire("eva@example.de")
    inquire("jonas@example.se", hq="SE")
    send_pending()
    result = runner.invoke(args=["mail", "digest"])
    assert result.exit_code == 0
    assert "2 digest(s) queued" in result.output
    send_pending()
    digests = {
        m["To"].addresses[0].addr_spec: m.get_content() for m in mails(app, Kind.STAFF_DIGEST)
    }
    assert set(digests) == {ana.email, nina.email}
    assert digests[ana.email].count("assigned to you") == 2
    assert "owner Ana Petrović" in digests[nina.email]
    again = runner.invoke(args=["mail", "digest"])
    assert "0 digest(s) queued" in again.output  # nothing new since the last run
