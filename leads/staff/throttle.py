"""Sign-in throttling per account *and* source, with growing delays and no lockout.

Failed sign-ins are counted per pair of (typed email, client address), whether the account
exists or not, so the answer never tells which accounts exist. The first few failures cost
nothing; after that each attempt from that pair must wait twice as long as the last
(``FREE_FAILURES``, ``MAX_DELAY``). An attacker slows only themselves: the account's owner,
signing in from their own address, is not held up, and a successful sign-in clears the pair.

Counters live in the rate-limit store (``RATELIMIT_STORAGE_URI``: Redis when several processes
serve; ``memory://`` holds per process only).
"""

from __future__ import annotations

import hashlib
import time
from typing import cast

from flask import current_app
from limits.storage import Storage, storage_from_string

from leads.capture.text import normalise_email

FREE_FAILURES = 5  # failed attempts per account and source before delays start
WINDOW_SECONDS = 15 * 60  # failures older than this are forgotten
MAX_DELAY = 15 * 60  # the longest wait between two attempts


def _storage() -> Storage:
    extensions = current_app.extensions
    storage = extensions.get("login_throttle")
    if storage is None:
        # A synchronous URI (not "async+…") gives a synchronous storage.
        storage = extensions["login_throttle"] = cast(
            Storage, storage_from_string(current_app.config["RATELIMIT_STORAGE_URI"])
        )
    return storage


def _key(email: str, source: str) -> str:
    digest = hashlib.sha256(f"{normalise_email(email)}|{source}".encode()).hexdigest()[:32]
    return f"wbo-login:{digest}"


def delay_for(failures: int) -> int:
    """Return the seconds to wait after this many failures (0 while still free)."""
    if failures < FREE_FAILURES:
        return 0
    return min(2 ** (failures - FREE_FAILURES + 1), MAX_DELAY)


def wait_seconds(email: str, source: str) -> int:
    """Return how long this account and source must still wait before the next attempt."""
    storage = _storage()
    key = _key(email, source)
    if not storage.get(f"{key}:wait"):
        return 0
    return max(1, round(storage.get_expiry(f"{key}:wait") - time.time()))


def record_failure(email: str, source: str) -> int:
    """Count a failed attempt; return the seconds the next attempt must wait."""
    storage = _storage()
    key = _key(email, source)
    failures = storage.incr(key, WINDOW_SECONDS)
    delay = delay_for(failures)
    if delay:
        storage.clear(f"{key}:wait")
        storage.incr(f"{key}:wait", delay)
    return delay


def clear(email: str, source: str) -> None:
    """Forget the failures of an account and source (after a successful sign-in)."""
    storage = _storage()
    key = _key(email, source)
    storage.clear(key)
    storage.clear(f"{key}:wait")
