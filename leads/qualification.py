"""Qualification of a new inquiry: response promise, score and routing, in one transaction."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from gateway.extensions import db
from leads import scoring
from leads.models import Inquiry, Lead, utcnow
from leads.stages import Stage


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """Return ``start`` moved forward by ``days`` working days (Monday to Friday)."""
    current = start
    while current.weekday() >= 5:  # an inquiry at the weekend counts from Monday morning
        current = (current + dt.timedelta(days=1)).replace(hour=9, minute=0, second=0)
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def on_inquiry(lead: Lead, inquiry: Inquiry) -> None:
    """Promise a response, score and route a lead after a new inquiry (the caller commits)."""
    from leads.staff import pipeline

    if inquiry not in lead.inquiries:
        lead.inquiries.append(inquiry)
    db.session.flush()  # ids for the audit lines and outbox events
    now = utcnow()
    lead.last_activity_at = now
    if lead.first_response_at is None and lead.response_due_at is None:
        days = current_app.config.get("RESPONSE_WORKING_DAYS", 2)
        lead.response_due_at = add_working_days(inquiry.created_at or now, days)
    scoring.apply_score(lead)
    if lead.organisation_id is None or (
        lead.stage == Stage.NEW and not pipeline.manually_routed(lead)
    ):
        pipeline.route(lead)
