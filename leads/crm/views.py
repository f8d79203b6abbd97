"""``POST /crm/hubspot/webhook``: HubSpot's webhook batches, verified, stored, answered at once.

The view checks the v3 signature against the URI HubSpot called (``LEADS_URL`` + path, not what
the app sees behind a proxy), stores the batch in the inbound queue in one transaction and
answers 204. Nothing is applied here: the worker does that. A bad or missing signature, a stale
timestamp or an unset ``HUBSPOT_CLIENT_SECRET`` is a bare 401; a malformed body a 400; a
database that cannot take the batch a 503, which HubSpot retries.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, request
from sqlalchemy.exc import SQLAlchemyError

from core.extensions import csrf, db, limiter
from leads.crm import intake, webhooks

log = logging.getLogger(__name__)

bp = Blueprint("crm", __name__)
WEBHOOK_PATH = "/crm/hubspot/webhook"


def webhook_rate_limit() -> str:
    """Return the webhook endpoint's rate limit (``HUBSPOT_WEBHOOK_RATE_LIMIT``)."""
    return current_app.config["HUBSPOT_WEBHOOK_RATE_LIMIT"]


def called_uri() -> str:
    """Return the URI HubSpot signed: the public ``LEADS_URL`` plus the path and query."""
    uri = current_app.config["LEADS_URL"].rstrip("/") + request.path
    query = request.query_string.decode("utf-8", "replace")
    return f"{uri}?{query}" if query else uri


@bp.route(WEBHOOK_PATH, methods=["POST"])
@csrf.exempt
@limiter.limit(webhook_rate_limit)
def hubspot_webhook() -> Response:
    """Verify, store and acknowledge one webhook batch."""
    body = request.get_data(cache=False)
    secret = current_app.config.get("HUBSPOT_CLIENT_SECRET")
    if not webhooks.verify(secret, request.method, called_uri(), body, request.headers):
        return Response(status=401)
    try:
        events = webhooks.parse_batch(body)
    except webhooks.BadBatch as exc:
        return Response(str(exc), status=400, mimetype="text/plain")
    try:
        new = intake.store_webhook_batch(events)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("HubSpot webhook batch could not be stored")
        return Response(status=503, headers={"Retry-After": "30"})
    log.info("HubSpot webhook: %d events, %d new", len(events), new)
    return Response(status=204)
