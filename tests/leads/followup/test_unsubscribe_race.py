"""One unsubscribe link posted many times at once (a mail client retrying, a user clicking
twice) unsubscribes once: one 200, one audit line, one withdrawal in the consent record."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from core.extensions import db
from leads.choices import UPDATES
from leads.followup import checkins
from leads.followup.models import CheckIn
from leads.lifecycle.audit import Action
from leads.models import AuditEntry, ConsentRecord
from tests.support.followup import adviser, silent
from tests.support.followup import check_in_link as _check_in_link

PARALLEL = 8


def post_at_once(app, path: str, count: int, data: dict) -> list[int]:
    barrier = threading.Barrier(count)
    statuses: list[int] = []

    def post():
        with app.app_context():
            client = app.test_client()
            barrier.wait()
            statuses.append(client.post(path, data=data).status_code)
            db.session.remove()

    threads = [threading.Thread(target=post) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.parametrize(
    ("lang", "data"),
    [("en", {"List-Unsubscribe": "One-Click"}), ("de", {}), ("sv", {"List-Unsubscribe": "x"})],
)
def test_parallel_posts_of_one_link_unsubscribe_once(app, lang, data):
    adviser()
    lead = silent(f"{lang}@example.de", updates=True, days=22, lang=lang)
    path = _check_in_link(app, lead)
    lead_id = lead.id
    db.session.remove()

    statuses = post_at_once(app, path, PARALLEL, data)

    assert sorted(statuses) == [200] + [409] * (PARALLEL - 1), statuses
    audits = db.session.scalar(
        select(func.count(AuditEntry.id)).filter_by(lead_id=lead_id, action=Action.UNSUBSCRIBED)
    )
    assert audits == 1
    withdrawals = db.session.scalar(
        select(func.count(ConsentRecord.id)).filter_by(
            lead_id=lead_id, purpose=UPDATES, granted=False
        )
    )
    assert withdrawals == 1
    assert db.session.scalar(select(CheckIn.unsubscribed_at).filter_by(lead_id=lead_id))


def test_a_stale_read_of_a_used_link_changes_nothing(app, monkeypatch):
    adviser()
    lead = silent("yes@example.de", updates=True, days=22)
    lead_id = lead.id
    checkins.queue_check_ins()
    db.session.commit()
    record = db.session.scalars(select(CheckIn).filter_by(lead_id=lead_id)).one()
    token = checkins.unsubscribe_token(record)
    assert checkins.unsubscribe(token)[0] == checkins.Outcome.VALID
    # Another request read the link as still working before the first one wrote.
    set_committed_value(record, "unsubscribed_at", None)
    monkeypatch.setattr(checkins, "check_token", lambda _t: (checkins.Outcome.VALID, record))
    assert checkins.unsubscribe(token)[0] == checkins.Outcome.USED
    actions = db.session.scalars(select(AuditEntry.action).filter_by(lead_id=lead_id)).all()
    assert actions.count(Action.UNSUBSCRIBED) == 1
    withdrawals = db.session.scalar(
        select(func.count(ConsentRecord.id)).filter_by(lead_id=lead_id, granted=False)
    )
    assert withdrawals == 1
