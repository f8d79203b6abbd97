"""The retry policy of HubSpot requests: which answers are sent again, and when.

A 429 of the ten-second window is retried by urllib3 (every method: every batch call is a POST),
with backoff, ``Retry-After`` respected and each resend paced through the rate limiter; a 429 of
the daily limit is never retried (nothing succeeds before midnight UTC). Other failures are not
retried here: the relay retries whole batches with its own backoff.
"""

from __future__ import annotations

import json

from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from leads.crm.ratelimit import RATE_HEADER_DAILY_REMAINING, RateLimiter, int_header


def error_body(data) -> dict:
    """Return HubSpot's error answer as a dict (a plain-text answer as its ``message``)."""
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            return {"message": data[:500]}
    return data if isinstance(data, dict) else {}


def is_daily_limit(status: int, body, headers) -> bool:
    """Say whether a 429 answer means the daily limit rather than the ten-second window."""
    if status != 429:
        return False
    if error_body(body).get("policyName") == "DAILY":
        return True
    return int_header(headers or {}, RATE_HEADER_DAILY_REMAINING) == 0


class HubSpotRetry(Retry):
    """Retry 429 answers when the limiter lets the resend go; never retry a daily 429."""

    def __init__(self, *args, limiter: RateLimiter | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limiter = limiter

    def new(self, **kw):
        """Return a copy that keeps the limiter."""
        retry = super().new(**kw)
        retry.limiter = self.limiter
        return retry

    def increment(
        self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None
    ):
        """Count a retry, refusing daily-limit answers and pacing resends through the limiter."""
        if response is not None and response.status == 429:
            if is_daily_limit(429, response.data, response.headers):
                raise MaxRetryError(_pool, url, ResponseError("daily limit reached"))
            if self.limiter is not None:
                self.limiter.observe(response.headers, throttled=True)
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def sleep(self, response=None) -> None:
        """Wait the backoff, then for the limiter: the resend takes its slot as it leaves."""
        super().sleep(response)
        if self.limiter is not None:
            self.limiter.acquire()


def retry_policy(retries: int, limiter: RateLimiter) -> HubSpotRetry:
    """Return the retry of every HubSpot request: 429s only, up to ``retries`` resends."""
    return HubSpotRetry(
        total=retries,
        connect=1,
        read=0,
        other=0,
        status=retries,
        status_forcelist=(429,),
        allowed_methods=None,
        backoff_factor=0.5,
        respect_retry_after_header=True,
        raise_on_status=False,
        limiter=limiter,
    )
