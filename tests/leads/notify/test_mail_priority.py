"""The first minute holds: the investor's own mail goes before staff mail, and ``flask mail
send`` sends everything due, not one batch of 50."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.extensions import db
from leads.capture.service import Submission, record_submission
from leads.models import OutboxEvent
from leads.notify import relay
from leads.queue import outbox
from leads.queue.events import INVESTOR_FIRST, Channel, Kind
from tests.support.mail import CONSENT, inquire
from tests.support.staff import make_user

STAFF_KINDS = [Kind.SHARED_NOTICE, Kind.OWNER_NOTICE, Kind.TEAM_NOTIFICATION, Kind.STAFF_DIGEST]


def staff_mail_flood(count: int, kind: str = Kind.SHARED_NOTICE) -> None:
    """Queue ``count`` staff messages about an earlier lead (a busy morning of notices)."""
    staff = make_user("nina@absl-serbia.example.org", "absl-serbia", "country")
    earlier = inquire("earlier@example.de")
    db.session.commit()
    for number in range(count):
        outbox.enqueue(
            Channel.MAIL,
            kind,
            lead_id=earlier.id,
            payload={"inquiry_id": None, "staff_id": staff.id, "n": number},
        )
    db.session.commit()


def investor_files(app) -> list[Path]:
    folder = Path(app.config["MAIL_FOLDER"])
    return sorted(p for p in folder.glob("*.eml") if p.name.split("-", 1)[1].startswith("investor"))


def pending(kinds) -> int:
    return db.session.scalar(
        select(func.count(OutboxEvent.id)).where(
            OutboxEvent.channel == Channel.MAIL,
            OutboxEvent.kind.in_([str(k) for k in kinds]),
            OutboxEvent.status.in_((outbox.PENDING, outbox.FAILED)),
        )
    )


@pytest.mark.parametrize("kind", STAFF_KINDS)
def test_first_replies_queued_after_staff_mail_go_out_in_the_first_batch(app, kind):
    staff_mail_flood(120, kind)
    relay.send_pending(limit=50)  # the flood's own lead: its acknowledgement and team mail
    new = [inquire("eva@example.de"), inquire("jonas@example.se", lang="sv", hq="SE")]
    db.session.commit()
    sent_before = {p.name for p in investor_files(app)}

    result = relay.send_pending(limit=50)

    assert result.claimed == 50
    fresh = {p.name for p in investor_files(app)} - sent_before
    assert len(fresh) == 2, fresh
    assert pending(INVESTOR_FIRST) == 0
    assert pending([kind]) > 0
    assert {lead.email for lead in new} <= {
        line.split("<")[-1].rstrip(">")
        for name in fresh
        for line in (Path(app.config["MAIL_FOLDER"]) / name).read_text().splitlines()
        if line.startswith("To:")
    }


@pytest.mark.parametrize("inquiry_kind", ["report", "estimate", "meeting"])
def test_reports_estimates_and_acknowledgements_are_the_investors_own_mail(app, inquiry_kind):
    staff_mail_flood(60)
    relay.send_pending(limit=100)  # the flood's own lead's mail
    recorded = record_submission(
        Submission(
            kind=inquiry_kind,
            email="cfo@example.de",
            consent=CONSENT,
            lead={"full_name": "Karl CFO", "company": "CFO GmbH"},
            countries=("serbia",),
        )
    )
    db.session.commit()
    claimed = outbox.claim_batch(Channel.MAIL, "test", limit=5, first_kinds=INVESTOR_FIRST)
    expected = {"report": Kind.REPORT_DELIVERY, "estimate": Kind.ESTIMATE_DELIVERY}
    assert claimed[0].kind == expected.get(inquiry_kind, Kind.ACKNOWLEDGEMENT)
    assert claimed[0].lead_id == recorded.lead_id
    assert all(event.kind not in INVESTOR_FIRST for event in claimed[1:])


def test_within_a_batch_the_investors_mail_is_sent_first(app, monkeypatch):
    staff_mail_flood(10)
    inquire("eva@example.de")
    db.session.commit()
    order: list[str] = []
    monkeypatch.setattr(relay, "deliver", lambda message, name: order.append(name.split("-", 1)[1]))
    relay.send_pending(limit=100)
    investor = [i for i, kind in enumerate(order) if kind in INVESTOR_FIRST]
    assert investor == list(range(len(investor)))
    assert len(investor) == 2


@pytest.mark.parametrize("limit", [50, 7])
def test_mail_send_drains_the_queue(app, runner, limit):
    staff_mail_flood(130)
    result = runner.invoke(args=["mail", "send", "--limit", str(limit)])
    assert result.exit_code == 0, result.output
    assert pending([*INVESTOR_FIRST, *STAFF_KINDS]) == 0
    sent = int(result.output.split()[1].rstrip(","))
    assert sent >= 130  # the flood's 130 notices plus its lead's own mail
    again = runner.invoke(args=["mail", "send"])
    assert again.output.startswith("sent 0")


def test_a_drain_does_not_retry_what_it_failed_itself(app, runner, monkeypatch):
    inquire("eva@example.de")
    db.session.commit()

    def refuse(message, name):
        raise OSError("connection refused")

    monkeypatch.setattr(relay, "deliver", refuse)
    monkeypatch.setattr(outbox, "backoff_seconds", lambda attempts, **_: 0.0)  # due at once
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 1
    events = db.session.scalars(select(OutboxEvent).filter_by(channel=Channel.MAIL)).all()
    assert {(e.status, e.attempts) for e in events} == {(outbox.FAILED, 1)}
