"""Erasure (GDPR Art. 17) and retention: remove a person's data, keep anonymous statistics.

An erased lead keeps its row with no personal data (stage, score, sector, countries and dates
still count in the reports). Its notes, plan messages and agreed plan steps are deleted (its
plan link answers 410), free text in its audit trail is cleared, one audit line without
personal data records the erasure, undelivered outbox events are cancelled and delivered
ones emptied, and the lead's mail written to ``MAIL_FOLDER`` (``.eml`` files) is deleted. A
CRM GDPR delete is queued (channel ``crm``, kind ``contact.erase``): its payload holds the
email and/or CRM contact id, the only place the email survives, until the relay delivers the
event and clears the payload. Stored mail about several people (the staff digests and the
reminder digests) is kept for the others: the erased person's entry reads "(erased)".
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import tempfile
from pathlib import Path
from typing import cast

from flask import current_app, has_app_context
from sqlalchemy import CursorResult, delete, select, update

from core.extensions import db
from leads.fields import CONTACT_FIELDS, PERSONAL_INQUIRY_FIELDS
from leads.lifecycle import audit
from leads.lifecycle.audit import Action
from leads.models import AuditEntry, Inquiry, Lead, Note, OutboxEvent, StaffUser, utcnow
from leads.notify.messages import POLICY
from leads.plan.service import erase_plan
from leads.privacy.export import find_lead
from leads.queue import events, outbox
from leads.queue.events import Kind


def erase_lead(
    lead: Lead,
    actor: StaffUser | None = None,
    reason: str = "request",
    *,
    notify_crm: bool = True,
) -> None:
    """Remove a lead's personal data, cancel its events, queue the CRM delete (caller commits).

    ``notify_crm=False`` when the CRM asked for the erasure (it has deleted the person).
    """
    if lead.erased_at is not None:
        return
    address, contact_id = lead.email, lead.crm_contact_id
    names = [lead.full_name, lead.company, address]
    now = utcnow()
    event_ids = list(
        db.session.scalars(select(OutboxEvent.id).where(OutboxEvent.lead_id == lead.id))
    )

    outbox.cancel_for_lead(lead.id)
    # Delivered or cancelled events may carry the person's data in their payloads.
    db.session.execute(update(OutboxEvent).where(OutboxEvent.lead_id == lead.id).values(payload={}))
    db.session.execute(delete(Note).where(Note.lead_id == lead.id))
    erase_plan(lead.id)  # the link answers 410 from now on (``erased_at``)
    db.session.execute(update(AuditEntry).where(AuditEntry.lead_id == lead.id).values(reason=""))
    db.session.execute(
        update(Inquiry)
        .where(Inquiry.lead_id == lead.id)
        .values(answers={}, **dict.fromkeys(PERSONAL_INQUIRY_FIELDS, ""))
    )
    for name in CONTACT_FIELDS:
        setattr(lead, name, "")
    lead.email = None
    lead.crm_contact_id = lead.crm_company_id = lead.crm_deal_id = None
    lead.erased_at = now
    lead.last_activity_at = now

    audit.record(lead, actor, Action.ERASED, reason=reason, at=now)
    if notify_crm and (address or contact_id):
        events.enqueue_erasure(lead.id, address, contact_id)
    db.session.flush()
    db.session.expire(lead)
    erase_mail_files(event_ids, address)
    redact_digests(lead.id, names)


def _mentions(path: Path, address: str) -> bool:
    """Tell whether a written message names the address (headers or any decoded text part)."""
    try:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    except OSError:
        return False
    texts = [str(value) for value in message.values()]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            try:
                texts.append(part.get_content())
            except (LookupError, ValueError):
                continue
    return any(address in text.lower() for text in texts)


def erase_mail_files(event_ids: list[int], address: str | None) -> int:
    """Delete the ``.eml`` files in ``MAIL_FOLDER`` of a lead's mail, or naming its address.

    The mail relay names each file after its outbox event (``<id:06d>-<kind>.eml``); a file of
    another name that holds the address (a copy, an older naming) goes too. Return how many.
    """
    if not has_app_context():
        return 0
    folder = Path(current_app.config.get("MAIL_FOLDER") or "")
    if not folder.is_dir():
        return 0
    prefixes = tuple(f"{event_id:06d}-" for event_id in event_ids)
    needle = (address or "").lower()
    removed = 0
    for path in folder.glob("*.eml"):
        if path.name.startswith(prefixes) or (needle and _mentions(path, needle)):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


ERASED = "(erased)"


def _redacted_lines(body: str, lead_link: str, names: list[str]) -> str | None:
    """Return a digest body with the lead's entry redacted, or None when it names no such lead.

    A digest lists each lead on one line followed by the line of its staff link (both digest
    templates): only that line is rewritten, so another lead of the same company keeps it.
    """
    lines = body.split("\n")
    found = False
    for index in range(1, len(lines)):
        if lines[index].strip().rstrip("\r") != lead_link:
            continue
        found = True
        line = lines[index - 1]
        for name in names:
            line = line.replace(name, ERASED)
        lines[index - 1] = line
    return "\n".join(lines) if found else None


def redact_digests(lead_id: int, names: list[str | None]) -> int:
    """Write "(erased)" for a lead's name, company and address in stored digests naming it.

    Digests are the ``.eml`` files of ``MAIL_FOLDER`` that link to the lead's staff page beside
    other leads; the lead's own mail is deleted by ``erase_mail_files``. Return how many.
    """
    if not has_app_context():
        return 0
    folder = Path(current_app.config.get("MAIL_FOLDER") or "")
    if not folder.is_dir():
        return 0
    link = f"{current_app.config['LEADS_URL']}/staff/leads/{lead_id}/"
    # Longest first: a company named after the person loses the whole of its name.
    found = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    rewritten = 0
    for path in folder.glob("*.eml"):
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        message = email.message_from_bytes(raw, policy=email.policy.default)
        if message.is_multipart() or message.get_content_maintype() != "text":
            continue
        try:
            body = message.get_content()
        except (LookupError, ValueError):
            continue
        redacted = _redacted_lines(body, link, found)
        if redacted is None:
            continue
        message.set_content(redacted)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(message.as_bytes(policy=POLICY))
        os.replace(tmp, path)
        rewritten += 1
    return rewritten


def erase_email(email: str, actor: StaffUser | None = None, reason: str = "request") -> bool:
    """Erase the person with this email and commit; tell whether there was one."""
    lead = find_lead(email)
    if lead is None:
        return False
    erase_lead(lead, actor, reason)
    db.session.commit()
    return True


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """Return the same day and time ``months`` calendar months earlier (clamped to month end)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def clear_delivered_erasures() -> int:
    """Empty the payload (the email) of CRM erasures already delivered; return how many."""
    result = db.session.execute(
        update(OutboxEvent)
        .where(
            OutboxEvent.kind == Kind.CONTACT_ERASE,
            OutboxEvent.status.in_((outbox.DONE, outbox.CANCELLED)),
        )
        .values(payload={})
    )
    return cast(CursorResult, result).rowcount or 0  # an UPDATE's result is a CursorResult


def purge_expired(months: int, now: dt.datetime | None = None) -> int:
    """Erase every lead inactive for longer than ``months``; commit and return how many."""
    clear_delivered_erasures()
    cutoff = months_before(now or utcnow(), months)
    leads = db.session.scalars(
        select(Lead).where(Lead.erased_at.is_(None), Lead.last_activity_at < cutoff)
    ).all()
    for lead in leads:
        erase_lead(lead, None, "retention")
    db.session.commit()
    return len(leads)
