"""Attribution: where a visitor came from, captured on the first page of their session."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from flask import Request, request, session

from leads.capture.text import clean_line
from leads.fields import ATTRIBUTION_FIELDS, UTM_KEYS

SESSION_KEY = "attribution"
TRACKED_BLUEPRINTS = frozenset({"public", "capture"})


def attribution_from(args: Mapping[str, str], referrer: str | None, landing_page: str) -> dict:
    """Return the attribution of a first visit: utm parameters, referrer and landing page."""
    data = {key: clean_line(args.get(key), 200) for key in UTM_KEYS}
    data["referrer"] = clean_line(referrer, 500)
    data["landing_page"] = clean_line(landing_page, 500)
    return data


def landing_page_of(req: Request) -> str:
    """Return the path and query of a request, as the landing page to remember."""
    query = req.query_string.decode("latin-1")
    return f"{req.path}?{query}" if query else req.path


def is_attributable(args: Mapping[str, str], referrer: str | None, host: str) -> bool:
    """Tell whether a visit carries campaign parameters or comes from another site."""
    if any(args.get(key) for key in UTM_KEYS):
        return True
    return bool(referrer) and urlsplit(referrer).netloc not in ("", host)


def capture_first_visit() -> None:
    """Remember the attribution of the session's first campaign or referred page view.

    Direct visits set no cookie: nothing to attribute, and public pages stay cacheable.
    """
    if request.method != "GET" or request.blueprint not in TRACKED_BLUEPRINTS:
        return
    if SESSION_KEY in session or not is_attributable(request.args, request.referrer, request.host):
        return
    session[SESSION_KEY] = attribution_from(
        request.args, request.referrer, landing_page_of(request)
    )


def current_attribution() -> dict:
    """Return the attribution stored in the session (empty strings where unknown)."""
    stored = session.get(SESSION_KEY)
    stored = stored if isinstance(stored, dict) else {}
    return {
        key: clean_line(stored.get(key), 500 if key in ("referrer", "landing_page") else 200)
        for key in ATTRIBUTION_FIELDS
    }
