"""HubSpot webhooks: the v3 request signature and the batch body, as pure functions.

HubSpot signs every webhook request with ``X-HubSpot-Signature-v3``: the base64 HMAC-SHA256,
keyed with the app's client secret, of ``method + URI + body + timestamp``, where the timestamp
(milliseconds since the epoch) is the ``X-HubSpot-Request-Timestamp`` header and the URI is the
one HubSpot called, with a few percent-escapes decoded. Requests older than five minutes are
refused, and so are requests that carry only the older v1/v2 signatures (no timestamp: they can
be replayed forever).

A batch is a JSON array of up to 100 events; ``parse_batch`` checks its shape and nothing else:
which subscription types the gateway acts on is decided when the events are applied.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass

from core.numbers import is_ascii_digits
from leads.lifecycle.outcomes import DATE_MAX, DATE_MIN, date_in_range

SIGNATURE_HEADER = "X-HubSpot-Signature-v3"
TIMESTAMP_HEADER = "X-HubSpot-Request-Timestamp"
MAX_AGE_MS = 5 * 60 * 1000
MAX_EVENTS = 100
# HubSpot decodes these escapes in the URI before signing (its request-validation guide).
URI_DECODES = {
    "%3A": ":",
    "%2F": "/",
    "%3F": "?",
    "%40": "@",
    "%21": "!",
    "%24": "$",
    "%27": "'",
    "%28": "(",
    "%29": ")",
    "%2A": "*",
    "%2C": ",",
    "%3B": ";",
}


class BadBatch(ValueError):
    """A webhook body that is not HubSpot's batch of events."""


def _decoded_uri(uri: str) -> str:
    for escape, char in URI_DECODES.items():
        uri = uri.replace(escape, char).replace(escape.lower(), char)
    return uri


def sign(secret: str, method: str, uri: str, body: bytes, timestamp: str) -> str:
    """Return the v3 signature HubSpot sends for a request."""
    source = method.upper().encode() + _decoded_uri(uri).encode() + body + timestamp.encode()
    digest = hmac.new(secret.encode(), source, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify(
    secret: str | None,
    method: str,
    uri: str,
    body: bytes,
    headers,
    *,
    now: dt.datetime | None = None,
) -> bool:
    """Tell whether a request carries a valid, fresh v3 signature (no secret: never)."""
    if not secret:
        return False
    signature = headers.get(SIGNATURE_HEADER)
    timestamp = headers.get(TIMESTAMP_HEADER)
    if not signature or not is_ascii_digits(timestamp, 16):  # "²" is a digit to isdigit
        return False
    now_ms = int((now or dt.datetime.now(dt.UTC)).timestamp() * 1000)
    if abs(now_ms - int(timestamp)) > MAX_AGE_MS:
        return False
    expected = sign(secret, method, uri, body, timestamp)
    return hmac.compare_digest(expected.encode(), signature.strip().encode("utf-8", "replace"))


@dataclass(frozen=True)
class Event:
    """One webhook event as HubSpot sends it; ``raw`` keeps every field for the record."""

    event_id: str
    subscription_type: str
    object_id: str
    occurred_at: dt.datetime
    raw: dict


def _text_id(value, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BadBatch(f"{name} must be a number")
    text = str(value).strip()
    if not is_ascii_digits(text, 30):
        raise BadBatch(f"{name} must be a number")
    return text


def from_ms(value) -> dt.datetime:
    """Return a naive UTC datetime from HubSpot's milliseconds since the epoch."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadBatch("occurredAt must be milliseconds since the epoch")
    try:
        moment = dt.datetime.fromtimestamp(value / 1000, dt.UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise BadBatch("occurredAt is out of range") from exc
    if not date_in_range(moment.date()):
        raise BadBatch(f"occurredAt must be between {DATE_MIN} and {DATE_MAX}")
    return moment.replace(tzinfo=None)


def to_ms(moment: dt.datetime) -> int:
    """Return milliseconds since the epoch of a naive UTC datetime."""
    return int(moment.replace(tzinfo=dt.UTC).timestamp() * 1000)


def parse_batch(body: bytes) -> list[Event]:
    """Parse a webhook body into events; raise BadBatch for anything else."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadBatch("the body is not JSON") from exc
    if not isinstance(data, list) or not data:
        raise BadBatch("the body must be a non-empty JSON array of events")
    if len(data) > MAX_EVENTS:
        raise BadBatch(f"a batch holds at most {MAX_EVENTS} events")
    events = []
    for item in data:
        if not isinstance(item, dict):
            raise BadBatch("every event must be a JSON object")
        kind = item.get("subscriptionType")
        if not isinstance(kind, str) or not kind.strip() or len(kind) > 100:
            raise BadBatch("subscriptionType must be a string")
        events.append(
            Event(
                event_id=_text_id(item.get("eventId"), "eventId"),
                subscription_type=kind.strip(),
                object_id=_text_id(item.get("objectId"), "objectId"),
                occurred_at=from_ms(item.get("occurredAt")),
                raw=item,
            )
        )
    return events


def parse_hubspot_time(value) -> dt.datetime | None:
    """Return a naive UTC datetime from HubSpot's ISO 8601 or milliseconds value."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        if is_ascii_digits(text):
            moment = dt.datetime.fromtimestamp(int(text) / 1000, dt.UTC)
        else:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment if date_in_range(moment.date()) else None
