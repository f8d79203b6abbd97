"""The lead forms' blueprint: one post budget, no caching, and the pages of refused posts."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from core.extensions import limiter
from core.i18n import current_lang
from gateway.content.urls import localise_path

bp = Blueprint("capture", __name__, template_folder="../templates")


def form_rate_limit() -> str:
    """Return the rate limit of the form posts (``FORM_RATE_LIMIT``)."""
    return current_app.config["FORM_RATE_LIMIT"]


# One budget per address across all lead forms: a spammer cannot rotate between them.
limit_posts = limiter.shared_limit(form_rate_limit, scope="lead-forms", methods=["POST"])


@bp.after_request
def _not_stored_by_caches(response):
    """Form pages carry a CSRF token and set the session cookie: no cache may keep them."""
    response.headers["Cache-Control"] = "no-store, private"
    return response


@bp.context_processor
def _form_helpers() -> dict:
    return {"privacy_url": privacy_url}


def privacy_url() -> str:
    """Return the address of the privacy notice in the current language."""
    if "public.privacy" in current_app.view_functions:
        return url_for("public.privacy")
    return localise_path("/privacy/", current_lang())


@bp.errorhandler(CSRFError)
def csrf_refused(error: CSRFError):
    """Refuse a post without a valid security token, with a way back to the form."""
    return render_template("leads/capture/error.html", error="csrf", back=request.path), 400


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    """Explain that the form was larger than we accept."""
    limit_kb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 1024
    page = render_template(
        "leads/capture/error.html", error="too_large", limit_kb=limit_kb, back=request.path
    )
    return page, 413


@bp.errorhandler(429)
def too_many(error):
    """Ask the sender to wait: too many posts from their address."""
    page = render_template("leads/capture/error.html", error="rate_limited", back=request.path)
    response = current_app.make_response((page, 429))
    retry_after = getattr(error, "retry_after", None)
    if retry_after and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(retry_after)
    return response
