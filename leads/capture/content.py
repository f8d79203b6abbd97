"""What the lead forms read from the content store: privacy notice, events, the report file."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from core.locales import DEFAULT_LANG
from gateway.content.schemas import PageDoc
from gateway.content_app import get_store

log = logging.getLogger(__name__)

_REPORT_SALT = "wbo-report-download"


@dataclass(frozen=True)
class Notice:
    """The privacy notice as shown: its version id and the SHA-256 of its text."""

    version: str
    sha256: str


def privacy_notice(lang: str) -> Notice:
    """Return the version and text hash of the privacy notice shown in ``lang``."""
    store = get_store()
    entry = store.get("pages", "privacy", lang)
    if entry is not None and not entry.translated:
        entry = store.get("pages", "privacy", DEFAULT_LANG)
    if entry is None:
        # Never lose a lead over a content problem; the record says the notice was missing.
        log.error("privacy notice content/pages/privacy.md is missing")
        return Notice("missing", hashlib.sha256(b"").hexdigest())
    body = store.body(entry)
    version = cast(PageDoc, entry.meta).version
    return Notice(version or "unversioned", hashlib.sha256(body.encode()).hexdigest())


def today() -> dt.date:
    """Return today's date (a seam for tests)."""
    return dt.date.today()


def meeting_refusal(event) -> str | None:
    """Return why an event takes no meeting requests ("past", "no_meetings"), or None."""
    if event.meta.ends < today():
        return "past"
    if not event.meta.meetings:
        return "no_meetings"
    return None


def roadshows_open(lang: str) -> list:
    """Return the upcoming events that take meeting requests, soonest first."""
    return [e for e in get_store().all("events", lang) if meeting_refusal(e) is None]


def report_file() -> Path | None:
    """Return the regional report file if it is configured and present, else None."""
    name = current_app.config.get("REPORT_FILE") or ""
    if not name:
        return None
    candidates = [Path(name)] if Path(name).is_absolute() else []
    for folder in (current_app.config["CONTENT_DIR"], current_app.static_folder):
        if folder and not Path(name).is_absolute():
            candidates.append(Path(folder) / name)
    for path in candidates:
        if path.is_file():
            return path
    return None


def report_token() -> str:
    """Return a signed, time-limited token that unlocks the report download."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_REPORT_SALT).dumps(1)


def report_token_valid(token: str) -> bool:
    """Tell whether a report download token is genuine and not older than REPORT_LINK_DAYS."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_REPORT_SALT)
    try:
        serializer.loads(token, max_age=current_app.config["REPORT_LINK_DAYS"] * 86400)
    except BadData:
        return False
    return True
