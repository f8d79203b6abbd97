"""The inbound runner: claims events of the ``crm_inbound`` queue and applies them, oldest first.

Each event is applied by the one code path for webhooks and the pull
(``leads.crm.inbound.apply_payload``) and committed on its own, so one bad event stops no other.
Every event ends ``done`` (applied), ``ignored`` (with the reason), ``failed`` (retried) or
``dead`` (with the reason, on the sync page).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import current_app

from core.extensions import db
from leads.crm.adapter import get_crm
from leads.crm.base import CRM, CRMError
from leads.crm.inbound import Context, apply_payload
from leads.crm.intake import CHANNEL
from leads.crm.settings import SCHEMA_KEY, setting
from leads.models import OutboxEvent
from leads.queue import outbox
from leads.queue.worker import BatchResult, worker_name

log = logging.getLogger(__name__)


@dataclass
class ApplyReport:
    """What one ``apply_pending`` did."""

    claimed: int = 0
    applied: int = 0
    ignored: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _context(crm: CRM) -> Context:
    schema = setting(SCHEMA_KEY) or {}
    stage_by_id = {str(v): k for k, v in (schema.get("stage_ids") or {}).items()}
    return Context(
        crm=crm,
        stage_by_id=stage_by_id,
        erase_on_delete=bool(current_app.config.get("HUBSPOT_ERASE_ON_DELETE")),
    )


def _event(event_id: int) -> OutboxEvent:
    """Return a claimed event: it cannot have gone, the claim holds its lease."""
    event = db.session.get(OutboxEvent, event_id)
    if event is None:
        raise LookupError(f"claimed inbound event {event_id} is gone")
    return event


def apply_pending(crm: CRM | None = None, *, limit: int = 100) -> ApplyReport:
    """Claim a batch of inbound events and apply them oldest first, one commit each."""
    config = current_app.config
    events = outbox.claim_batch(
        CHANNEL,
        worker_name(),
        limit=limit,
        lease_seconds=int(config.get("HUBSPOT_LEASE_SECONDS", 300)),
    )
    report = ApplyReport(claimed=len(events))
    if not events:
        return report
    ctx = _context(crm or get_crm())
    order = sorted(events, key=lambda e: (int((e.payload or {}).get("occurred_at") or 0), e.id))
    for event_id in [e.id for e in order]:
        event = _event(event_id)
        try:
            outcome = apply_payload(dict(event.payload or {}), ctx)
        except CRMError as exc:
            db.session.rollback()
            event = _event(event_id)
            message = exc.describe()
            if exc.retryable:
                outbox.mark_failed(event, message, max_attempts=int(config["HUBSPOT_MAX_ATTEMPTS"]))
            else:
                outbox.mark_dead(event, message)
            report.failed += 1
            report.errors.append(message)
        except Exception as exc:  # a bad event must not stop the others
            log.exception("inbound CRM event %s could not be applied", event_id)
            db.session.rollback()
            event = _event(event_id)
            outbox.mark_dead(event, f"could not be applied: {type(exc).__name__}")
            report.failed += 1
            report.errors.append(type(exc).__name__)
        else:
            event = _event(event_id)
            if event.status == outbox.CANCELLED:  # its lead was erased by this very event
                event.status = outbox.IN_FLIGHT
            event.lead_id = outcome.lead_id
            if outcome.forget:
                event.payload = {}
            if outcome.applied:
                outbox.mark_done([event])
                event.last_error = outcome.reason[:2000]
                report.applied += 1
            else:
                outbox.mark_ignored(event, outcome.reason)
                report.ignored += 1
        db.session.commit()
    return report


def apply_all(crm: CRM | None = None) -> ApplyReport:
    """Apply every inbound event due now, batch after batch."""
    total = ApplyReport()
    while True:
        report = apply_pending(crm)
        for name in ("claimed", "applied", "ignored", "failed"):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        total.errors += report.errors
        if report.claimed < 100:
            return total


def apply_body(crm: CRM | None = None) -> BatchResult:
    """One round of the CRM worker: apply a batch of changes from HubSpot."""
    report = apply_pending(crm)
    return BatchResult(
        claimed=report.claimed,
        done=report.applied + report.ignored,
        failed=report.failed,
        errors=report.errors,
    )
