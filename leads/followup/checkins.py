"""Check-ins with silent investors, and the one-click unsubscribe that stops them.

Only an investor whose latest "updates" consent is a grant gets one: the first after
``NURTURE_DAYS`` without activity, the second after twice that if nothing happened since the
first, never a third. Activity, a closed lead, erasure, a withdrawal or an unsubscribe stops them.
The unsubscribe link carries a signed check-in id; it works once, even when a mail client posts
it several times at once (an atomic check-and-set), and its use is appended to the consent record.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.extensions import db
from leads.choices import UPDATES
from leads.followup.models import CheckIn
from leads.lifecycle import audit
from leads.lifecycle.audit import Action
from leads.lifecycle.stages import CLOSED
from leads.models import ConsentRecord, Lead, utcnow
from leads.privacy.consent import append_withdrawal, granted_purposes
from leads.queue import events, outbox
from leads.queue.events import Channel, Kind

MAX_CHECK_INS = 2
TOKEN_SALT = "followup.unsubscribe"  # noqa: S105 - a signing namespace, not a secret
UNSUBSCRIBE_FORM = "unsubscribe"
UNSUBSCRIBE_METHOD = "one-click unsubscribe link in a check-in mail (RFC 8058)"


def may_check_in(lead: Lead) -> bool:
    """Tell whether a lead may get check-ins at all (consent, open, an owner, an address)."""
    return (
        lead.email is not None
        and lead.erased_at is None
        and lead.owner_id is not None
        and lead.stage not in CLOSED
        and UPDATES in granted_purposes(lead)
    )


def next_check_in(lead: Lead, sent: list[CheckIn], now: dt.datetime) -> int | None:
    """Return the number of the check-in due for a lead now (1 or 2), or None."""
    if not may_check_in(lead) or len(sent) >= MAX_CHECK_INS:
        return None
    days = current_app.config["NURTURE_DAYS"]
    quiet = now - lead.last_activity_at
    if not sent:
        return 1 if quiet >= dt.timedelta(days=days) else None
    first = sent[0]
    if first.unsubscribed_at is not None or lead.last_activity_at > first.created_at:
        return None  # they answered, or something happened: no second check-in
    # Twice the silence, and never sooner than NURTURE_DAYS after the first check-in.
    due = quiet >= dt.timedelta(days=2 * days) and now - first.created_at >= dt.timedelta(days=days)
    return 2 if due else None


def queue_check_ins(now: dt.datetime | None = None) -> int:
    """Queue every check-in due now (the caller commits); return how many."""
    now = now or utcnow()
    days = current_app.config["NURTURE_DAYS"]
    candidates = db.session.scalars(
        select(Lead).where(
            Lead.erased_at.is_(None),
            Lead.owner_id.is_not(None),
            Lead.stage.not_in([s.value for s in CLOSED]),
            Lead.last_activity_at <= now - dt.timedelta(days=days),
            Lead.id.in_(select(ConsentRecord.lead_id).where(ConsentRecord.purpose == UPDATES)),
        )
    )
    queued = 0
    for lead in candidates:
        sent = list(
            db.session.scalars(
                select(CheckIn).where(CheckIn.lead_id == lead.id).order_by(CheckIn.number)
            )
        )
        number = next_check_in(lead, sent, now)
        if number is None:
            continue
        check_in = CheckIn(lead_id=lead.id, staff_id=lead.owner_id, number=number, created_at=now)
        db.session.add(check_in)
        db.session.flush()
        events.enqueue_check_in(lead.id, check_in.id)
        audit.record(lead, None, Action.CHECK_IN, to_value=f"check-in {number}", at=now)
        queued += 1
    return queued


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def unsubscribe_token(check_in: CheckIn) -> str:
    """Return the signed token of a check-in's unsubscribe link."""
    return _serializer().dumps({"c": check_in.id, "l": check_in.lead_id})


class Outcome(StrEnum):
    """What an unsubscribe link found."""

    VALID = "valid"  # a working link (GET: ask to confirm; POST: done now)
    INVALID = "invalid"  # forged, damaged or for data that no longer exists
    USED = "used"  # this link was used already


def check_token(token: str) -> tuple[Outcome, CheckIn | None]:
    """Return what a token is worth, and its check-in when it is a working link."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return Outcome.INVALID, None
    if not isinstance(data, dict):
        return Outcome.INVALID, None
    check_in = db.session.get(CheckIn, data.get("c") or 0)
    if check_in is None or check_in.lead_id != data.get("l") or check_in.lead.email is None:
        return Outcome.INVALID, None
    if check_in.unsubscribed_at is not None:
        return Outcome.USED, check_in
    return Outcome.VALID, check_in


def unsubscribe(token: str, now: dt.datetime | None = None) -> tuple[Outcome, CheckIn | None]:
    """Use an unsubscribe link: append the withdrawal of "updates", stop check-ins (commits)."""
    now = now or utcnow()
    outcome, check_in = check_token(token)
    if outcome is not Outcome.VALID or check_in is None:
        return outcome, check_in
    lead = check_in.lead
    # Check and set in one statement: of parallel posts of one link, exactly one changes the row
    # (the others wait for its row lock, then find it used) and goes on to record the withdrawal.
    spent = db.session.execute(
        update(CheckIn)
        .where(CheckIn.id == check_in.id, CheckIn.unsubscribed_at.is_(None))
        .values(unsubscribed_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(spent, "rowcount", 0) != 1:  # a CursorResult for an UPDATE
        db.session.rollback()
        return Outcome.USED, check_in
    set_committed_value(check_in, "unsubscribed_at", now)
    append_withdrawal(lead, UPDATES, form=UNSUBSCRIBE_FORM, method=UNSUBSCRIBE_METHOD, at=now)
    outbox.cancel_for_lead(lead.id, channel=Channel.MAIL, kinds=(Kind.CHECK_IN,))
    audit.record(lead, None, Action.UNSUBSCRIBED, to_value=UPDATES, at=now)
    db.session.commit()
    return Outcome.VALID, check_in
