"""The client-side rate limiter every HubSpot request passes, and HubSpot's rate-limit headers.

HubSpot allows a number of requests per ten-second window (and the search API a few a second);
the limiter keeps this process within it and pauses when HubSpot's answers say the window is
spent. Resends pass it too (``leads.crm.retry``), so a retry never bursts past the limit.
"""

from __future__ import annotations

import collections
import threading
import time

RATE_HEADER_REMAINING = "X-HubSpot-RateLimit-Remaining"
RATE_HEADER_INTERVAL = "X-HubSpot-RateLimit-Interval-Milliseconds"
RATE_HEADER_DAILY_REMAINING = "X-HubSpot-RateLimit-Daily-Remaining"


def header(headers, name: str) -> str | None:
    """Return a header's value, whatever the case of its name, or None."""
    if not headers:
        return None
    value = headers.get(name)
    if value is None:
        lowered = {str(k).lower(): v for k, v in dict(headers).items()}
        value = lowered.get(name.lower())
    return value


def int_header(headers, name: str) -> int | None:
    """Return a header's value as a whole number, or None."""
    value = header(headers, name)
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class RateLimiter:
    """Allow at most ``max_requests`` in any ``window`` seconds, and pause when HubSpot says so."""

    def __init__(
        self, max_requests: int, window: float = 10.0, *, clock=time.monotonic, sleep=None
    ):
        self.max_requests = max(1, int(max_requests))
        # A margin: HubSpot counts arrivals and we count departures, which a busy process or
        # network can bunch up by a few hundred milliseconds.
        self.window = float(window) + max(0.05 * float(window), 0.5)
        self._clock = clock
        self._sleep = sleep or time.sleep
        self._sent: collections.deque[float] = collections.deque()
        self._blocked_until = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until one more request may leave."""
        while True:
            with self._lock:
                now = self._clock()
                while self._sent and self._sent[0] <= now - self.window:
                    self._sent.popleft()
                if now < self._blocked_until:
                    wait = self._blocked_until - now
                elif len(self._sent) < self.max_requests:
                    self._sent.append(now)
                    return
                else:
                    wait = self._sent[0] + self.window - now
            self._sleep(max(wait, 0.001))

    def pause(self, seconds: float) -> None:
        """Let no request leave for ``seconds``."""
        with self._lock:
            self._blocked_until = max(self._blocked_until, self._clock() + seconds)

    def observe(self, headers, *, throttled: bool = False) -> None:
        """Read HubSpot's rate-limit headers and pause when the account's window is spent."""
        if not headers:
            return
        remaining = int_header(headers, RATE_HEADER_REMAINING)
        interval = int_header(headers, RATE_HEADER_INTERVAL)
        window = (interval / 1000.0) if interval else self.window
        if throttled:
            retry_after = int_header(headers, "Retry-After")
            self.pause(retry_after if retry_after is not None else window / 10)
        elif remaining is not None and remaining <= 0:
            self.pause(window / 10)
