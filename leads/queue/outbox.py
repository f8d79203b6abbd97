"""The transactional outbox: events written with the change, relayed later by workers.

``enqueue`` adds an event to the caller's transaction. Workers ``claim_batch`` due events with a
lease: on PostgreSQL the claim skips rows another worker holds (``FOR UPDATE SKIP LOCKED``); on
SQLite the single UPDATE is atomic. A killed worker's lease expires and the events return.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Table,
    and_,
    case,
    func,
    or_,
    select,
    true,
    update,
)

from core.extensions import db
from leads.models import OutboxEvent, utcnow

log = logging.getLogger(__name__)

PENDING, IN_FLIGHT, FAILED, DEAD, DONE, CANCELLED, IGNORED = (
    "pending",
    "in_flight",
    "failed",
    "dead",
    "done",
    "cancelled",
    "ignored",  # inbound events recorded but not acted on (unknown, stale, an echo)
)
STATUSES = (PENDING, IN_FLIGHT, FAILED, DEAD, DONE, CANCELLED, IGNORED)


def enqueue(
    channel: str,
    kind: str,
    *,
    lead_id: int | None = None,
    payload: dict | None = None,
    dedupe_key: str | None = None,
) -> OutboxEvent:
    """Add an event to the current transaction (the caller commits)."""
    event = OutboxEvent(
        channel=channel,
        kind=kind,
        lead_id=lead_id,
        payload=payload or {},
        dedupe_key=dedupe_key,
        status=PENDING,
        attempts=0,
        available_at=utcnow(),
    )
    db.session.add(event)
    return event


def claim_batch(
    channel: str,
    worker: str,
    *,
    limit: int = 100,
    lease_seconds: int = 300,
    first_kinds: Sequence[str] = (),
    due_before: dt.datetime | None = None,
) -> list[OutboxEvent]:
    """Claim up to ``limit`` due events of a channel for ``worker`` and commit the claim.

    Events of ``first_kinds`` are claimed before any other (oldest first within each group):
    the investor's first reply never waits behind staff mail. ``due_before`` leaves out events
    that became due later (a run that drains the queue does not retry what it failed itself).
    """
    now = utcnow()
    token = f"{worker}:{uuid.uuid4().hex[:12]}"
    table = cast(Table, OutboxEvent.__table__)  # a model declared by name maps a Table
    due = or_(
        and_(table.c.status.in_((PENDING, FAILED)), table.c.available_at <= (due_before or now)),
        and_(table.c.status == IN_FLIGHT, table.c.lease_until < now),
    )
    order: list[ColumnElement[Any]] = [table.c.id]
    if first_kinds:
        order.insert(0, case((table.c.kind.in_(list(first_kinds)), 0), else_=1))
    candidates = (
        select(table.c.id)
        .where(table.c.channel == channel, due)
        .order_by(*order)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = db.session.execute(
        update(table)
        .where(table.c.id.in_(candidates))
        .values(
            status=IN_FLIGHT,
            claimed_by=token,
            lease_until=now + dt.timedelta(seconds=lease_seconds),
        )
        .returning(table.c.id)
    )
    ids = [row[0] for row in claimed]
    db.session.commit()
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.id.in_(ids), OutboxEvent.claimed_by == token)
            .order_by(*order)  # sent in the order claimed: first kinds first
        )
    )


def backoff_seconds(attempts: int, *, base: float = 30, cap: float = 3600) -> float:
    """Return the wait before retry number ``attempts``: exponential with full jitter."""
    return random.uniform(0, min(cap, base * 2 ** max(attempts - 1, 0)))


def mark_done(events: Sequence[OutboxEvent]) -> None:
    """Mark events delivered (the caller commits)."""
    now = utcnow()
    for event in events:
        event.status, event.done_at, event.lease_until, event.last_error = DONE, now, None, ""


def mark_ignored(event: OutboxEvent, reason: str) -> None:
    """Record an event that was handled by doing nothing, and why (the caller commits)."""
    mark_done([event])
    event.status, event.last_error = IGNORED, reason[:2000]


def batch_backoff_seconds(attempts: int, *, base: float = 30, cap: float = 3600) -> float:
    """Return the wait before a whole batch tries again: exponential, jitter in its upper half.

    Unlike an event's own backoff it is never near zero: it also pauses the channel, and a
    service that is down needs the time.
    """
    wait = min(cap, base * 2 ** max(attempts - 1, 0))
    return random.uniform(wait / 2, wait)


def mark_failed(
    event: OutboxEvent, error: str, *, max_attempts: int = 8, retry_at: dt.datetime | None = None
) -> None:
    """Record a failed attempt: retry later with backoff (or at ``retry_at``, shared by a batch
    that failed as a whole), or dead after ``max_attempts``."""
    event.attempts += 1
    event.last_error = error[:2000]
    event.lease_until = None
    if event.attempts >= max_attempts:
        event.status = DEAD
    else:
        event.status = FAILED
        if retry_at is None:
            retry_at = utcnow() + dt.timedelta(seconds=backoff_seconds(event.attempts))
        event.available_at = retry_at


def mark_dead(event: OutboxEvent, error: str) -> None:
    """Give up on an event that cannot succeed (e.g. a validation error)."""
    event.attempts += 1
    event.status, event.last_error, event.lease_until = DEAD, error[:2000], None


def retry(event: OutboxEvent) -> None:
    """Put a failed or dead event back in the queue now."""
    event.status, event.available_at, event.lease_until = PENDING, utcnow(), None


def cancel_for_lead(lead_id: int, channel: str | None = None, kinds: tuple[str, ...] = ()) -> int:
    """Cancel every undelivered event of a lead (of a channel, of some kinds); return how many."""
    table = cast(Table, OutboxEvent.__table__)  # a model declared by name maps a Table
    conditions = [table.c.lead_id == lead_id, table.c.status.in_((PENDING, FAILED, IN_FLIGHT))]
    if channel:
        conditions.append(table.c.channel == channel)
    if kinds:
        conditions.append(table.c.kind.in_(kinds))
    result = db.session.execute(update(table).where(*conditions).values(status=CANCELLED))
    return cast(CursorResult, result).rowcount or 0  # an UPDATE's result is a CursorResult


def status_counts(channel: str, where: ColumnElement[bool] | None = None) -> dict[str, int]:
    """Return how many events of a channel are in each status (optionally filtered)."""
    rows = db.session.execute(
        select(OutboxEvent.status, func.count())
        .where(OutboxEvent.channel == channel, true() if where is None else where)
        .group_by(OutboxEvent.status)
    ).all()
    return dict.fromkeys(STATUSES, 0) | dict(rows)


def problem_events(
    *, channel: str | None = None, where: ColumnElement[bool] | None = None, limit: int = 100
) -> list[OutboxEvent]:
    """Return failed and dead events, newest first (optionally of one channel, filtered)."""
    query = select(OutboxEvent).where(
        OutboxEvent.status.in_((FAILED, DEAD)), true() if where is None else where
    )
    if channel:
        query = query.where(OutboxEvent.channel == channel)
    return list(db.session.scalars(query.order_by(OutboxEvent.id.desc()).limit(limit)))
