"""The staff blueprint and its guard: login everywhere, and lead access checked once."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from core.extensions import db
from leads.common.access import ENDPOINT_CAPABILITY, capabilities
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
    """Require a signed-in user on every staff URL, end idle sessions, check lead access.

    Lead URLs follow ``leads.common.access``: no relation to the lead is a 404, a relation
    without the URL's capability a 403 (before the view runs, so nothing changes).
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
        lead = db.session.get(Lead, lead_id)
        granted = capabilities(current_user, lead) if lead is not None else frozenset()
        if not granted:
            abort(404)  # not theirs to see: as if it did not exist
        if ENDPOINT_CAPABILITY.get(request.endpoint) not in granted:
            abort(403)
        g.lead = lead
        g.lead_capabilities = granted
    return None


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
