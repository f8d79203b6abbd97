"""The CRM relay: claims the outbox's CRM events and pushes them to the CRM in batches.

What one batch sends is ``leads.crm.batch``; this module decides when batches run: claims,
holds and back-offs, the channel pause after a batch failed as a whole, several batches in
flight within the rate limit, and the CRM worker's loop.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from flask import current_app

from core.extensions import db
from leads.crm import inbound_runner, pull
from leads.crm.adapter import get_crm
from leads.crm.base import CRM, CRMError, DailyLimitReached
from leads.crm.batch import HOLD_CATEGORIES, HOLD_SECONDS, Batch
from leads.crm.settings import SCHEMA_KEY, setting
from leads.crm.status import pause, paused_until
from leads.models import OutboxEvent, utcnow
from leads.queue import outbox
from leads.queue.events import Channel
from leads.queue.worker import BatchResult, StopFlag, run_loop, worker_name

log = logging.getLogger(__name__)


class ChannelPause:
    """This worker's pause after a batch failed as a whole (HubSpot down or timing out).

    The failed batch waits for the same moment, so after an outage the backlog goes out in
    full batches instead of one lead at a time; until then no other batch is sent.
    """

    def __init__(self) -> None:
        self.until: dt.datetime | None = None
        self.reason = ""
        self._lock = threading.Lock()

    def start(self, until: dt.datetime, reason: str) -> None:
        """Pause until ``until`` (a later pause wins)."""
        with self._lock:
            if self.until is None or until > self.until:
                self.until, self.reason = until, reason

    def end(self) -> None:
        """Lift the pause (time has passed, or an operator retries now)."""
        with self._lock:
            self.until, self.reason = None, ""

    def active(self) -> dt.datetime | None:
        """Return when the pause ends, if it has not yet."""
        until = self.until
        return until if until is not None and until > utcnow() else None


def channel_pause() -> ChannelPause:
    """Return this app's CRM channel pause (one per worker process)."""
    return current_app.extensions.setdefault("crm_pause", ChannelPause())


def _hold(events: list[OutboxEvent], seconds: float) -> None:
    """Put claimed events back without counting an attempt."""
    until = utcnow() + dt.timedelta(seconds=seconds)
    for event in events:
        event.status, event.lease_until, event.available_at = outbox.PENDING, None, until


def _why_waiting(crm: CRM) -> BatchResult | None:
    """Return why no batch may run now (no CRM, a pause, no schema), or None."""
    if not crm.configured:
        return BatchResult(skipped="CRM is not configured: events wait in the outbox")
    until = paused_until()
    if until is not None:
        return BatchResult(skipped="paused: HubSpot's daily limit", paused_until=until)
    until = channel_pause().active()
    if until is not None:
        return BatchResult(skipped=f"paused: {channel_pause().reason}", paused_until=until)
    if not setting(SCHEMA_KEY):
        return BatchResult(skipped="run `flask crm setup` first: events wait in the outbox")
    return None


def run_once(crm: CRM | None = None, *, limit: int = 100) -> BatchResult:
    """Claim one batch of due CRM events, send it, and record each event's outcome."""
    crm = crm or get_crm()
    config = current_app.config
    waiting = _why_waiting(crm)
    if waiting is not None:
        return waiting
    schema = setting(SCHEMA_KEY) or {}
    events = outbox.claim_batch(
        Channel.CRM,
        worker_name(),
        limit=limit,
        lease_seconds=int(config["HUBSPOT_LEASE_SECONDS"]),
    )
    if not events:
        return BatchResult()
    batch = Batch(crm, schema, events, int(config["HUBSPOT_MAX_ATTEMPTS"]))
    try:
        batch.run()
    except DailyLimitReached as exc:
        db.session.rollback()
        _hold([e for e in events if e.status == outbox.IN_FLIGHT], 0)
        reset = exc.reset_at.astimezone(dt.UTC).replace(tzinfo=None)
        pause(reset, exc.describe())
        batch.report.paused_until = reset
        batch.report.held = len(events)
        log.warning("HubSpot's daily limit is spent; CRM sync paused until %s", reset)
    except CRMError as exc:
        # The whole batch failed (HubSpot down, a timeout, a rejected request). Forget what
        # this batch learnt: the retry upserts the same records again and links them afresh.
        db.session.rollback()
        if exc.category in HOLD_CATEGORIES:
            _hold(events, HOLD_SECONDS.get(exc.category, 30))
            batch.report.held = len(events)
            batch.report.errors.append(exc.describe())
            log.warning("CRM sync held: %s", exc.describe())
        elif exc.retryable:
            batch.report = _back_off(events, exc)
        else:
            batch.report = BatchResult(claimed=len(events))
            for event in events:
                batch.fail(event, exc)
    db.session.commit()
    return batch.report


def _back_off(events: list[OutboxEvent], error: CRMError) -> BatchResult:
    """Retry a batch that failed as a whole, as a whole: one wait for all, the channel paused.

    Nothing is wrong with the events themselves, so they keep together; giving each its own
    jittered wait would bring the backlog back in fragments of a few leads, each paying a
    full batch's calls, exactly when there is most to catch up.
    """
    config = current_app.config
    attempts = max(event.attempts for event in events) + 1
    wait = outbox.batch_backoff_seconds(
        attempts,
        base=float(config["HUBSPOT_BACKOFF_SECONDS"]),
        cap=float(config["HUBSPOT_BACKOFF_MAX_SECONDS"]),
    )
    retry_at = utcnow() + dt.timedelta(seconds=wait)
    message = error.describe()
    report = BatchResult(claimed=len(events), errors=[message], paused_until=retry_at)
    for event in events:
        outbox.mark_failed(
            event, message, max_attempts=int(config["HUBSPOT_MAX_ATTEMPTS"]), retry_at=retry_at
        )
        if event.status == outbox.DEAD:
            report.dead += 1
        else:
            report.failed += 1
    channel_pause().start(retry_at, message)
    log.warning("CRM batch failed as a whole (%s); retrying it in %.0f s", message, wait)
    return report


def concurrency() -> int:
    """Return how many batches to send at once (``HUBSPOT_CONCURRENCY``; 1 on in-memory SQLite,
    whose one connection threads cannot share)."""
    engine = db.engine
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        return 1
    return max(1, int(current_app.config["HUBSPOT_CONCURRENCY"]))


def run_round(crm: CRM | None = None) -> BatchResult:
    """Send up to ``concurrency()`` batches at once and return their total.

    At 150 ms a call, one batch at a time reaches about two thirds of HubSpot's limit; batches
    in flight together fill it. Each runs in its own thread and database session; all share
    the client's rate limiter, so together they stay within the limit. Claims never overlap
    (see ``outbox.claim_batch``) and every write is an upsert, so there are no duplicates.
    """
    crm = crm or get_crm()
    workers = concurrency()
    if workers == 1:
        return run_once(crm)
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy method

    def one() -> BatchResult:
        with app.app_context():
            return run_once(crm)

    with ThreadPoolExecutor(workers, thread_name_prefix="crm-batch") as pool:
        futures = [pool.submit(one) for _ in range(workers)]
        results = [future.result() for future in futures]
    total = BatchResult()
    for result in results:
        total.add(result)
    paused = [result.paused_until for result in results if result.paused_until is not None]
    total.paused_until = max(paused, default=None)
    if any(result.claimed for result in results):
        total.skipped = ""  # some batches found work: not idle
    return total


def sync(crm: CRM | None = None, *, max_batches: int | None = None) -> BatchResult:
    """Relay every due CRM event once, batch after batch, and return the totals."""
    total = BatchResult()
    batches = 0
    while max_batches is None or batches < max_batches:
        report = run_round(crm) if max_batches is None else run_once(crm)
        batches += 1
        total.add(report)
        if report.idle:
            break
    return total


def run_forever(
    crm: CRM | None = None, *, idle_seconds: float | None = None, stop: StopFlag | None = None
) -> None:
    """Run the CRM worker until stopped: relay events, apply HubSpot's changes, pull when due."""
    crm = crm or get_crm()
    idle = current_app.config["HUBSPOT_IDLE_SECONDS"] if idle_seconds is None else idle_seconds
    run_loop(
        "CRM worker",
        [
            lambda: run_round(crm),
            lambda: inbound_runner.apply_body(crm),
            lambda: pull.pull_body(crm),
        ],
        idle_seconds=float(idle),
        stop=stop,
    )
