"""The daily digest: one email per staff member who chose it, instead of one per new lead.

``flask mail digest`` (run once a day, e.g. from cron) queues a digest for each active staff
member whose notice setting is "digest" and who has new leads since the last run: leads
assigned to them, and leads shared with their organisation (``LeadOrganisation``). The mail
relay sends it like any other message.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select

from core.extensions import db
from leads.models import Lead, LeadOrganisation, Notify, OutboxEvent, Setting, StaffUser, utcnow
from leads.notify import messages
from leads.queue import events

LAST_RUN = "mail.digest.last_run"
FIRST_WINDOW = dt.timedelta(days=1)


def _leads_for(staff: StaffUser, since: dt.datetime) -> list[Lead]:
    shared = select(LeadOrganisation.lead_id).where(
        LeadOrganisation.organisation_id == staff.organisation_id
    )
    return list(
        db.session.scalars(
            select(Lead)
            .where(
                Lead.created_at >= since,
                Lead.erased_at.is_(None),
                or_(Lead.owner_id == staff.id, Lead.id.in_(shared)),
            )
            .order_by(Lead.created_at)
        )
    )


def queue_digests(now: dt.datetime | None = None) -> int:
    """Queue today's digests (the caller commits); return how many were queued."""
    now = now or utcnow()
    setting = db.session.get(Setting, LAST_RUN)
    since = (
        dt.datetime.fromisoformat(setting.value["at"])
        if setting is not None
        else now - FIRST_WINDOW
    )
    queued = 0
    users = select(StaffUser).where(
        StaffUser.active.is_(True), StaffUser.notify == Notify.DIGEST.value
    )
    for staff in db.session.scalars(users):
        leads = _leads_for(staff, since)
        if not leads or not staff.email:
            continue
        events.enqueue_staff_digest(
            staff.id, [lead.id for lead in leads], since.isoformat(), f"{now:%Y-%m-%dT%H:%M}"
        )
        queued += 1
    if setting is None:
        setting = Setting(key=LAST_RUN, value={})
        db.session.add(setting)
    setting.value = {"at": now.isoformat()}
    return queued


def digest_message(event: OutboxEvent):
    """Build the digest an event asks for (``messages.Skipped`` when nobody is left to tell)."""
    payload = event.payload or {}
    staff = db.session.get(StaffUser, payload.get("staff_id") or 0)
    if staff is None or not staff.active or not staff.email:
        raise messages.Skipped("the staff account is closed or has no email address")
    ids = payload.get("lead_ids") or []
    leads = list(
        db.session.scalars(
            select(Lead).where(Lead.id.in_(ids), Lead.erased_at.is_(None)).order_by(Lead.id)
        )
    )
    if not leads:
        raise messages.Skipped("the digest's leads are all erased")
    return messages.staff_digest(staff, leads, dt.datetime.fromisoformat(payload["since"]))
