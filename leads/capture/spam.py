"""Bot defences of the lead forms: a honeypot field and a signed render time.

The render time travels in a hidden field signed with the app's secret (itsdangerous HMAC) and,
as a fallback for clients that post only the documented fields, in the signed session cookie.
A post with the honeypot filled in, or with no render time at all, is treated as automated: the
sender sees the normal thank-you page and nothing is stored. A post that comes back sooner than
``FORM_MIN_SECONDS`` after the form was first rendered (``too_fast``) may be a person (browser
autofill, a returning visitor): it is not stored at once but shown again with everything typed
and a note asking to check it and send it again; the form keeps its first render time, so the
second send is stored. A bot that posts once stores nothing.

The token is tied to the visitor's session (a random nonce kept in the session) and is good for
``FORM_MAX_SECONDS``: a token copied into other sessions, or one older than that, only brings
the form back with everything typed (``render_expired``), so it cannot be replayed.
"""

from __future__ import annotations

import logging
import secrets
import time

from flask import current_app, session
from itsdangerous import BadSignature, Signer

log = logging.getLogger("leads.capture.spam")

HONEYPOT_FIELD = "homepage"
RENDERED_FIELD = "rendered_at"
_SESSION_KEY = "form_rendered"
_NONCE_KEY = "form_nonce"
_SALT = "wbo-form-render-time"
RENDER_EXPIRED = "expired"
TOO_FAST = "too_fast"


def clock() -> float:
    """Return the time a post is checked against its render time (a seam for tests)."""
    return time.time()


def _signer() -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt=_SALT)


def _session_nonce() -> str:
    """Return this session's nonce, creating it on the first form rendered."""
    nonce = session.get(_NONCE_KEY)
    if not isinstance(nonce, str) or not nonce:
        nonce = session[_NONCE_KEY] = secrets.token_urlsafe(12)
    return nonce


def sign_render_time(form: str, at: float | None = None) -> str:
    """Return a signed token: ``form`` was rendered at ``at`` (now) in this session."""
    millis = int((time.time() if at is None else at) * 1000)
    return _signer().sign(f"{form}:{millis}:{_session_nonce()}").decode()


def read_render_time(form: str, token: str | None) -> tuple[float, str] | None:
    """Return (render time, session nonce) of a token for ``form``; None if absent or forged."""
    if not token:
        return None
    try:
        value = _signer().unsign(token).decode()
    except (BadSignature, UnicodeError):
        return None
    parts = value.rsplit(":", 2)  # a form name may hold ":" itself
    if len(parts) != 3:
        return None
    name, millis, nonce = parts
    if name != form or not millis.isdigit() or not nonce:
        return None
    return int(millis) / 1000, nonce


def remember_render(form: str, token: str) -> None:
    """Keep the render token in the session too (for posts without the hidden field)."""
    rendered = dict(session.get(_SESSION_KEY) or {})
    rendered[form] = token
    session[_SESSION_KEY] = rendered


def bot_reason(form: str, data, now: float | None = None) -> str | None:
    """Return why a post cannot be stored, or None.

    "honeypot" and "no_render_time" look automated (dropped, thank-you shown); ``TOO_FAST``
    (sooner than ``FORM_MIN_SECONDS``) brings the form back with what was typed and a note, to
    be sent again; ``RENDER_EXPIRED`` ("expired": older than ``FORM_MAX_SECONDS``, or rendered
    in another session) brings the form back with what was typed.
    """
    if (data.get(HONEYPOT_FIELD) or "").strip():
        return "honeypot"
    nonce = session.get(_NONCE_KEY)
    candidates = [
        read_render_time(form, data.get(RENDERED_FIELD)),
        read_render_time(form, (session.get(_SESSION_KEY) or {}).get(form)),
    ]
    signed = [c for c in candidates if c is not None]
    if not signed:
        return "no_render_time"
    ours = [rendered for rendered, token_nonce in signed if nonce and token_nonce == nonce]
    if not ours:
        return RENDER_EXPIRED  # a token from another session: a replay, or a lost cookie
    rendered = ours[0]
    now = clock() if now is None else now
    if now - rendered > current_app.config["FORM_MAX_SECONDS"]:
        return RENDER_EXPIRED
    if now - rendered < current_app.config["FORM_MIN_SECONDS"]:
        return TOO_FAST
    return None


def log_dropped(form: str, reason: str) -> None:
    """Count a dropped automated post in the log, without any personal data."""
    log.info("automated submission dropped: form=%s reason=%s", form, reason)


def log_held(form: str) -> None:
    """Count a post sent back for being quick (a person sends it again, a bot does not)."""
    log.info("quick submission sent back to be sent again: form=%s reason=%s", form, TOO_FAST)
