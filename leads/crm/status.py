"""How the CRM sync stands: the queues both ways, the last success and pull, the daily-limit pause.

Read models only, except the pause, which the relay sets here when HubSpot's daily limit is spent
and which this module reads back for the relay and the status reports.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, true

from core.extensions import db
from leads.crm import pull
from leads.crm.intake import CHANNEL as INBOUND_CHANNEL
from leads.crm.settings import PAUSE_KEY, setting, store_setting
from leads.models import OutboxEvent, utcnow
from leads.queue import outbox
from leads.queue.events import Channel


def pause(until: dt.datetime, reason: str) -> None:
    """Hold the relay until ``until`` (naive UTC): HubSpot's daily limit is spent."""
    store_setting(PAUSE_KEY, {"until": until.isoformat(), "reason": reason})


def paused_until() -> dt.datetime | None:
    """Return when the relay may send again after HubSpot's daily limit, if it is paused."""
    value = setting(PAUSE_KEY)
    if not value:
        return None
    until = dt.datetime.fromisoformat(value["until"])
    return until if until > utcnow() else None


def inbound_status(where=None) -> dict:
    """Return the inbound counts: received, applied, ignored, failed (and waiting)."""
    counts = outbox.status_counts(INBOUND_CHANNEL, where)
    return {
        "inbound_received": sum(counts.values()),
        "inbound_waiting": counts[outbox.PENDING] + counts[outbox.IN_FLIGHT],
        "inbound_applied": counts[outbox.DONE],
        "inbound_ignored": counts[outbox.IGNORED],
        "inbound_failed": counts[outbox.FAILED] + counts[outbox.DEAD],
    }


def status(where=None) -> dict:
    """Return the CRM queues: outbound counts and last_success, inbound counts and last_pull.

    ``where`` narrows it to some events (a country user's organisation's leads).
    """
    counts = outbox.status_counts(Channel.CRM, where)
    last = db.session.scalar(
        select(func.max(OutboxEvent.done_at)).where(
            OutboxEvent.channel == Channel.CRM,
            OutboxEvent.status == outbox.DONE,
            true() if where is None else where,
        )
    )
    return {
        "pending": counts[outbox.PENDING],
        "in_flight": counts[outbox.IN_FLIGHT],
        "failed": counts[outbox.FAILED],
        "dead": counts[outbox.DEAD],
        "done": counts[outbox.DONE],
        "last_success": last.replace(tzinfo=dt.UTC).isoformat() if last else None,
        **inbound_status(where),
        "last_pull": pull.last_pull(),
    }
