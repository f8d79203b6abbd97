"""Bot defences of the lead forms: a honeypot field and a signed render time.

The render time travels in a hidden field signed with the app's secret (itsdangerous HMAC) and,
as a fallback for clients that post only the documented fields, in the signed session cookie.
A post that comes back sooner than ``FORM_MIN_SECONDS`` after the form was rendered, or with the
honeypot filled in, is treated as automated: the sender sees the normal thank-you page and
nothing is stored.
"""

from __future__ import annotations

import logging
import time

from flask import current_app, session
from itsdangerous import BadSignature, Signer

log = logging.getLogger("leads.capture.spam")

HONEYPOT_FIELD = "homepage"
RENDERED_FIELD = "rendered_at"
_SESSION_KEY = "form_rendered"
_SALT = "wbo-form-render-time"


def clock() -> float:
    """Return the time a post is checked against its render time (a seam for tests)."""
    return time.time()


def _signer() -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt=_SALT)


def sign_render_time(form: str, at: float | None = None) -> str:
    """Return a signed token saying ``form`` was rendered at ``at`` (now by default)."""
    millis = int((time.time() if at is None else at) * 1000)
    return _signer().sign(f"{form}:{millis}").decode()


def read_render_time(form: str, token: str | None) -> float | None:
    """Return the render time carried by a token for ``form``; None if absent or forged."""
    if not token:
        return None
    try:
        value = _signer().unsign(token).decode()
    except (BadSignature, UnicodeError):
        return None
    name, _, millis = value.rpartition(":")
    if name != form or not millis.isdigit():
        return None
    return int(millis) / 1000


def remember_render(form: str, token: str) -> None:
    """Keep the render token in the session too (for posts without the hidden field)."""
    rendered = dict(session.get(_SESSION_KEY) or {})
    rendered[form] = token
    session[_SESSION_KEY] = rendered


def bot_reason(form: str, data, now: float | None = None) -> str | None:
    """Return why a post looks automated ("honeypot", "too_fast", "no_render_time"), or None."""
    if (data.get(HONEYPOT_FIELD) or "").strip():
        return "honeypot"
    rendered = read_render_time(form, data.get(RENDERED_FIELD))
    if rendered is None:
        rendered = read_render_time(form, (session.get(_SESSION_KEY) or {}).get(form))
    if rendered is None:
        return "no_render_time"
    now = clock() if now is None else now
    if now - rendered < current_app.config["FORM_MIN_SECONDS"]:
        return "too_fast"
    return None


def log_dropped(form: str, reason: str) -> None:
    """Count a dropped automated post in the log, without any personal data."""
    log.info("automated submission dropped: form=%s reason=%s", form, reason)
