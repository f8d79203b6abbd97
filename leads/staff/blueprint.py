"""The staff blueprint and its guards: login on every URL, lead access on every lead view."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from core.extensions import db
from leads.common.access import ENDPOINT_CAPABILITY, Capability, capabilities
from leads.models import Lead

bp = Blueprint(
    "staff",
    __name__,
    url_prefix="/staff",
    template_folder="../templates",
)
# Not a blueprint static folder: Frozen-Flask would copy it into the static public site.
STATIC_DIR = Path(__file__).parent / "static"

# The only staff endpoints open without a full login (the sign-in steps and the stylesheet).
OPEN_ENDPOINTS = frozenset(
    {"staff.login", "staff.login_code", "staff.login_enrol", "staff.stylesheet"}
)
SEEN_KEY = "staff_seen"


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(c in target for c in "\r\n\\"):
        return None
    return target


def idle_seconds() -> int:
    """Return after how many idle seconds a staff session ends."""
    return int(current_app.permanent_session_lifetime.total_seconds())


@bp.before_request
def guard():
    """Require a signed-in user on every staff URL and end idle sessions.

    A URL with a lead id must be a ``lead_view``, which checks access to that lead; any other
    is refused to everyone.
    """
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    now = time.time()
    if current_user.is_authenticated:
        seen = session.get(SEEN_KEY, 0)
        if now - seen > idle_seconds():
            logout_user()
            session.clear()
            flash(_("You were signed out after a period of inactivity."), "info")
        else:
            session[SEEN_KEY] = now
    if not current_user.is_authenticated:
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("staff.login", next=safe_next(target)))
    lead_id = (request.view_args or {}).get("lead_id")
    if lead_id is not None:
        view = current_app.view_functions.get(request.endpoint)
        if getattr(view, "lead_capability", None) is None:
            lead_access(lead_id, None)  # not a lead view: refused (404 or 403) to everyone
    return None


def lead_access(lead_id: int, capability: Capability | None) -> Lead:
    """Return the lead if the user has ``capability`` on it; else abort with 404 or 403.

    No such lead, or no relation to it, is a 404 (the lead does not exist for the user); a
    relation without the capability is a 403.
    """
    lead = db.session.get(Lead, lead_id)
    granted = capabilities(current_user, lead) if lead is not None else frozenset()
    if lead is None or not granted:
        abort(404)  # not theirs to see: as if it did not exist
    if capability not in granted:
        abort(403)
    return lead


def lead_view(capability: Capability, *, allow_erased: bool = False) -> Callable:
    """Run a lead view only for a user with ``capability`` on its lead; pass it the lead.

    The checks are those of ``leads.common.access`` (``lead_access``), before the view runs,
    so a refused request changes nothing. A view that changes the lead answers 409 for an
    erased one; ``allow_erased`` views (reading, exporting) run on it too.
    ``capability`` must be the one ``access.ENDPOINT_CAPABILITY`` gives the view's endpoint
    (the one table, shown in docs/staff.md), or the view is not defined.
    """

    def decorate(view: Callable) -> Callable:
        endpoint = f"{bp.name}.{view.__name__}"
        if ENDPOINT_CAPABILITY.get(endpoint) != capability:
            raise LookupError(f"{endpoint} needs {capability!r} in access.ENDPOINT_CAPABILITY")

        @wraps(view)
        def checked(lead_id: int, **kwargs):
            lead = lead_access(lead_id, capability)
            if lead.erased_at is not None and not allow_erased:
                abort(409)
            return view(lead, **kwargs)

        checked.lead_capability = capability  # type: ignore[attr-defined]  # read by guard()
        return checked

    return decorate


@bp.route("/assets/staff.css")
def stylesheet():
    """Serve the staff area's stylesheet."""
    return send_from_directory(STATIC_DIR, "staff.css", mimetype="text/css", max_age=3600)


@bp.after_request
def no_store(response):
    """Keep staff pages (personal data) out of shared and browser caches."""
    if request.endpoint != "staff.stylesheet":
        response.headers["Cache-Control"] = "no-store"
    return response
