"""The mail relay: claim ``mail`` events from the outbox and send them.

The investor's own mail (``INVESTOR_FIRST``: the first reply, the report, the estimate) is
claimed before staff mail, and ``send_all`` (``flask mail send``) drains the queue batch after
batch. With ``MAIL_SERVER`` set, messages go out over SMTP; without it (development) each
message is written as an ``.eml`` file into ``MAIL_FOLDER``. A failed send is retried with
backoff by the outbox; an unsendable message (no address, refused recipient) is dead-lettered.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import smtplib
import tempfile
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

from flask import current_app, url_for

from core.extensions import db
from gateway.content_app import get_store
from leads.capture import content
from leads.models import Inquiry, Lead, Notify, OutboxEvent, StaffUser, utcnow
from leads.notify import digest, messages, signing
from leads.queue import outbox
from leads.queue.events import INVESTOR_FIRST, STAFF_NOTICES, Channel, Kind
from leads.queue.worker import BatchResult

log = logging.getLogger(__name__)

REPORT_RECHECK = dt.timedelta(hours=6)


class Deferred(Exception):
    """Nothing to send yet (the report is not published): look again later."""


Skipped = messages.Skipped


def notice_recipient(event: OutboxEvent, lead: Lead) -> StaffUser:
    """Return the staff member a notice is for, or raise Skipped (their setting says no)."""
    staff = db.session.get(StaffUser, (event.payload or {}).get("staff_id") or 0)
    if staff is None or not staff.active:
        raise Skipped("the staff account no longer exists or is closed")
    if not staff.email:
        raise Skipped("the staff member has no email address")
    if staff.notify != Notify.EACH:
        raise Skipped(f"the staff member's notice setting is {staff.notify!r}")
    if event.kind == Kind.OWNER_NOTICE and lead.owner_id != staff.id:
        raise Skipped("the lead has another owner by now")
    return staff


def deliver(message: EmailMessage, name: str) -> None:
    """Send a message over SMTP, or write it to MAIL_FOLDER when no server is configured.

    What goes out is exactly the bytes ``messages.serialise`` checked, DKIM-signed when a key
    is configured (``signing``).
    """
    config = current_app.config
    data, recipients = messages.serialise(message)
    key = signing.configured_key(config)
    if key is not None:
        data = signing.sign(data, key)
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
        ) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.sendmail(message["From"].addresses[0].addr_spec, recipients, data)
        return
    folder = Path(config["MAIL_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a reader never sees half a message.
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, folder / f"{name}.eml")


def report_download_url() -> str:
    """Return the absolute, signed download address of the regional report."""
    with current_app.test_request_context(base_url=current_app.config["LEADS_URL"]):
        return url_for("capture.report_download", token=content.report_token(), _external=True)


def build(event: OutboxEvent, lead: Lead, inquiry: Inquiry | None) -> EmailMessage:
    """Return the message an event asks for (raise Deferred when it must wait).

    Only the staff notices do without their inquiry (``process`` cancels any other event whose
    inquiry is gone).
    """
    if event.kind == Kind.OWNER_NOTICE:
        return messages.owner_notice(lead, inquiry, notice_recipient(event, lead))
    if event.kind == Kind.SHARED_NOTICE:
        return messages.shared_notice(lead, inquiry, notice_recipient(event, lead))
    if event.kind == Kind.REPORT_DELIVERY:
        if content.report_file() is not None:
            return messages.report_mail(lead, report_download_url())
        if event.payload.get("promised"):
            raise Deferred
        return messages.report_mail(lead, None)
    if inquiry is None:
        raise messages.UnsendableError(f"the inquiry of a {event.kind!r} mail is gone")
    if event.kind == Kind.TEAM_NOTIFICATION:
        return messages.team_notification(lead, inquiry)
    if event.kind == Kind.ACKNOWLEDGEMENT:
        return messages.acknowledgement(lead, inquiry, _event_title(lead, inquiry))
    if event.kind == Kind.ESTIMATE_DELIVERY:
        return messages.estimate_mail(lead, inquiry)
    raise messages.UnsendableError(f"unknown mail kind {event.kind!r}")


def _event_title(lead: Lead, inquiry: Inquiry) -> str:
    """Return the title of the event an inquiry is about, in the lead's language ("" if none)."""
    if not inquiry.event_slug:
        return ""
    entry = get_store().get("events", inquiry.event_slug, messages.lead_language(lead))
    return entry.meta.title if entry else inquiry.event_slug


def _defer(event: OutboxEvent, note: str) -> None:
    event.status, event.lease_until = outbox.PENDING, None
    event.available_at = utcnow() + REPORT_RECHECK
    event.last_error = note


def _cancel(event: OutboxEvent, result: BatchResult, why: str) -> None:
    event.status, event.lease_until = outbox.CANCELLED, None
    event.last_error = why
    result.cancelled += 1


# Messages built from their own records rather than from a lead's inquiry. A feature adds its
# own with register() (follow-up: the owners' digests and the check-ins), so the relay names none.
STANDALONE: dict[str, Callable[[OutboxEvent], EmailMessage]] = {
    Kind.STAFF_DIGEST: digest.digest_message,
}


def register(kind: str, build_message: Callable[[OutboxEvent], EmailMessage]) -> None:
    """Build mail events of ``kind`` with ``build_message(event)`` from now on."""
    STANDALONE[kind] = build_message


def process(event: OutboxEvent, result: BatchResult) -> None:
    """Build and send one claimed event, recording the outcome on it (the caller commits)."""
    standalone = STANDALONE.get(event.kind)
    if standalone is not None:
        if _send(event, result, lambda: standalone(event)):
            outbox.mark_done([event])
            result.sent += 1
        return
    lead = db.session.get(Lead, event.lead_id) if event.lead_id else None
    inquiry = db.session.get(Inquiry, (event.payload or {}).get("inquiry_id") or 0)
    if lead is None or lead.email is None or (inquiry is None and event.kind not in STAFF_NOTICES):
        _cancel(event, result, "lead or inquiry no longer exists (erased?)")
        return
    if not _send(event, result, lambda: build(event, lead, inquiry)):
        return
    if event.kind == Kind.REPORT_DELIVERY and content.report_file() is None:
        # The promise is sent; the report itself follows once the file is published.
        event.payload = {**event.payload, "promised": True}
        _defer(event, "waiting for the report to be published")
        result.deferred += 1
        result.sent += 1
        return
    outbox.mark_done([event])
    result.sent += 1


def _send(event: OutboxEvent, result: BatchResult, make) -> bool:
    """Build a message and deliver it; record failures. True when sent (not yet marked)."""
    try:
        message = make()
        deliver(message, f"{event.id:06d}-{event.kind}")
    except Skipped as exc:
        _cancel(event, result, f"skipped: {exc}")
        return False
    except Deferred:
        _defer(event, "waiting for the report to be published")
        result.deferred += 1
        return False
    except (messages.UnsendableError, smtplib.SMTPRecipientsRefused) as exc:
        outbox.mark_dead(event, f"{type(exc).__name__}: {exc}")
        result.dead += 1
        result.errors.append(f"event {event.id}: {type(exc).__name__}")
        return False
    except (smtplib.SMTPException, OSError) as exc:
        outbox.mark_failed(event, f"{type(exc).__name__}: {exc}")
        result.failed += 1
        result.errors.append(f"event {event.id}: {type(exc).__name__}")
        return False
    return True


def send_pending(
    *, worker: str = "mail-relay", limit: int = 50, due_before: dt.datetime | None = None
) -> BatchResult:
    """Claim one batch of due mail, the investor's mail first, and send it; return what happened."""
    result = BatchResult()
    claimed = outbox.claim_batch(
        Channel.MAIL, worker, limit=limit, first_kinds=INVESTOR_FIRST, due_before=due_before
    )
    result.claimed = len(claimed)
    for event in claimed:
        try:
            process(event, result)
        except Exception as exc:
            db.session.rollback()
            event = db.session.get(OutboxEvent, event.id) or event
            outbox.mark_failed(event, f"{type(exc).__name__}: {exc}")
            result.failed += 1
            result.errors.append(f"event {event.id}: {type(exc).__name__}")
            log.exception("mail event %s failed", event.id)
        db.session.commit()
    return result


def send_all(*, worker: str = "mail-relay", limit: int = 50) -> BatchResult:
    """Send every mail due when the run starts, batch after batch, until none is left.

    What fails is retried by a later run (its next attempt is due after this run started).
    """
    started = utcnow()
    total = BatchResult()
    while True:
        result = send_pending(worker=worker, limit=limit, due_before=started)
        total.add(result)
        if not result.claimed:
            return total
