"""Views of the public site: thin wrappers over the content store."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import text

from gateway.content_app import get_store
from gateway.extensions import db
from gateway.i18n import current_lang, localized_route

bp = Blueprint("public", __name__)


@localized_route(bp, "/")
def home():
    """Show the home page: the regional value proposition."""
    page = get_store().get("pages", "home", current_lang())
    if page is None:
        abort(404)
    return render_template("public/page.html", page=page)


@bp.route("/healthz")
def healthz():
    """Report liveness and whether the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
