"""The one worker loop: run a batch body until stopped, sleeping when there is nothing to do.

Every background worker (the CRM relay, the mail relay, and the ones to come: inbound HubSpot
events, a periodic pull, daily reminders) is a *body*: a function that does one batch, commits,
and returns a ``BatchResult``. ``run_loop`` calls it again and again; SIGTERM or SIGINT sets the
stop flag, the batch in flight finishes, and the loop exits. A body that raises is logged and
rolled back; the worker lives on. Several bodies may share one loop (one process, taking turns).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from core.extensions import db
from leads.models import utcnow

log = logging.getLogger(__name__)

COUNTS = ("claimed", "done", "sent", "deferred", "cancelled", "failed", "dead", "held")


@dataclass
class BatchResult:
    """What one batch (or, added up, one run) did, by outcome."""

    claimed: int = 0
    done: int = 0
    sent: int = 0  # mail: messages sent (a report promise is sent, yet its event waits)
    deferred: int = 0
    cancelled: int = 0
    failed: int = 0
    dead: int = 0
    held: int = 0  # put back without counting an attempt (auth, rate limit, daily limit)
    skipped: str = ""  # why nothing was claimed (not configured, paused, ...)
    paused_until: dt.datetime | None = None
    errors: list[str] = field(default_factory=list)

    def add(self, other: BatchResult) -> None:
        """Add another batch's outcome to this total."""
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors
        self.skipped = self.skipped or other.skipped
        self.paused_until = other.paused_until

    @property
    def idle(self) -> bool:
        """Tell whether the worker should sleep before the next batch."""
        return not self.claimed or bool(self.held) or bool(self.skipped)


class StopFlag:
    """Set by SIGTERM or SIGINT: a worker finishes the batch in flight, then exits."""

    def __init__(self, name: str = "worker"):
        self.name = name
        self.event = threading.Event()

    def install(self) -> None:
        """Catch SIGTERM and SIGINT (only possible in the main thread)."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._set)
            signal.signal(signal.SIGINT, self._set)

    def _set(self, signum, frame) -> None:
        log.info("%s: stopping after the batch in flight", self.name)
        self.event.set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``, waking early when stopped; tell whether stopped."""
        return self.event.wait(seconds)

    def __bool__(self) -> bool:
        return self.event.is_set()


def worker_name() -> str:
    """Return this process's name for outbox claims: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"[:40]


Body = Callable[[], BatchResult]


def run_loop(
    name: str,
    bodies: Body | Sequence[Body],
    *,
    idle_seconds: float,
    stop: StopFlag | None = None,
    on_result: Callable[[BatchResult], None] | None = None,
) -> None:
    """Run the bodies in turn until stopped; sleep ``idle_seconds`` when none had work."""
    bodies = [bodies] if callable(bodies) else list(bodies)
    if stop is None:
        stop = StopFlag(name)
        stop.install()
    log.info("%s started (%s)", name, worker_name())
    while not stop:
        results = []
        for body in bodies:
            if stop:
                break
            try:
                result = body()
            except Exception:  # a database hiccup must not end the worker
                log.exception("%s: batch failed", name)
                db.session.rollback()
                result = BatchResult(skipped="error")
            db.session.remove()
            if on_result is not None:
                on_result(result)
            results.append(result)
        if stop or not results:
            continue
        paused = [r.paused_until for r in results if r.paused_until is not None]
        if paused and len(paused) == len(results):
            wait = (min(paused) - utcnow()).total_seconds()
            stop.wait(max(1.0, min(wait, 600.0)))
        elif all(r.idle for r in results):
            stop.wait(idle_seconds)
    log.info("%s stopped", name)
