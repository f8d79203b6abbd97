"""``flask leads remind``: each owner's daily follow-up digest, and the check-ins that are due.

Idempotent per day: a ``ReminderDigest`` row per owner and day records what was sent (or why
it was skipped), and a second run the same day finds it and sends nothing more. It is also a
body of the one worker loop (``flask leads remind --loop``), which simply runs it every hour.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from leads.followup import checkins, items
from leads.followup.models import ReminderDigest
from leads.models import Lead, Notify, Referral, ReferralStatus, StaffUser, utcnow
from leads.notify.relay import send_pending
from leads.queue import events
from leads.queue.worker import BatchResult

log = logging.getLogger(__name__)


def owners(now: dt.datetime) -> list[StaffUser]:
    """Return the active staff who want mail (notices not "none") and own leads or get referrals."""
    with_leads = select(Lead.owner_id).where(Lead.owner_id.is_not(None), Lead.erased_at.is_(None))
    referred_to = select(Referral.to_organisation_id).where(
        Referral.status == ReferralStatus.PENDING.value
    )
    return list(
        db.session.scalars(
            select(StaffUser)
            .where(
                StaffUser.active.is_(True),
                StaffUser.notify != Notify.NONE.value,
                or_(StaffUser.id.in_(with_leads), StaffUser.organisation_id.in_(referred_to)),
            )
            .order_by(StaffUser.id)
        )
    )


def queue_digests(now: dt.datetime) -> BatchResult:
    """Queue today's digest for each owner with something to follow up (commits per owner)."""
    result = BatchResult()
    day = now.date()
    done = set(db.session.scalars(select(ReminderDigest.staff_id).where(ReminderDigest.day == day)))
    for staff in owners(now):
        if staff.id in done:
            continue
        found = items.owner_items(staff, now)
        if not found:
            continue
        digest = ReminderDigest(staff_id=staff.id, day=day, items=items.snapshot(found))
        if not (staff.email or "").strip():
            digest.status, digest.note = "skipped", "no email address"
            log.warning("reminders: staff account %s has no email address: skipped", staff.id)
            result.cancelled += 1
        db.session.add(digest)
        try:
            db.session.flush()
            if digest.status == "queued":
                events.enqueue_reminder_digest(staff.id, digest.id, day.isoformat())
                result.claimed += 1
            db.session.commit()
        except IntegrityError:  # another run got there first: its digest stands
            db.session.rollback()
    return result


def run_reminders(now: dt.datetime | None = None) -> BatchResult:
    """Queue the day's digests and due check-ins; ``claimed`` digests, ``done`` check-ins."""
    now = now or utcnow()
    result = queue_digests(now)
    result.done = checkins.queue_check_ins(now)
    db.session.commit()
    return result


def send_all(batches: int = 100) -> BatchResult:
    """Send what is queued now, batch after batch (bounded: a run, not a loop forever)."""
    total = BatchResult()
    for _batch in range(batches):
        batch = send_pending()
        total.add(batch)
        if not batch.claimed:
            break
    return total


def remind_body(*, send: bool = True) -> BatchResult:
    """One turn of ``flask leads remind --loop``: today's run (a no-op once done), then send."""
    result = run_reminders()
    if send:
        result.sent = send_all().sent
    result.claimed = 0  # a daily job: the loop always waits for the next interval
    return result
