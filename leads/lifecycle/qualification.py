"""What happens to a lead when an inquiry arrives: response deadline, score and routing.

``on_inquiry`` runs inside the capture transaction, so whatever it sets is stored atomically with
the inquiry itself.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from core.extensions import db
from leads.lifecycle import audit, pipeline, scoring
from leads.lifecycle.audit import Action
from leads.lifecycle.stages import Stage
from leads.models import Inquiry, Lead

WEEKEND = (5, 6)  # Saturday, Sunday


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """Return ``start`` moved forward by ``days`` working days (Monday to Friday)."""
    moment = start
    remaining = days
    while remaining > 0:
        moment += dt.timedelta(days=1)
        if moment.weekday() not in WEEKEND:
            remaining -= 1
    return moment


def response_due(received: dt.datetime) -> dt.datetime:
    """Return when an inquiry received at ``received`` (naive UTC) must have had an answer.

    Working days are the region's (Monday to Friday in ``BABEL_DEFAULT_TIMEZONE``, Central
    European Time): an inquiry sent on Friday at 23:30 UTC arrives on Saturday in Belgrade.
    The result is naive UTC, stored once on the lead and shown from there to the investor
    (first reply, thank-you page) and to staff.
    """
    region = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local = received.replace(tzinfo=dt.UTC).astimezone(region).replace(tzinfo=None)
    due = add_working_days(local, current_app.config["RESPONSE_WORKING_DAYS"])
    return due.replace(tzinfo=region).astimezone(dt.UTC).replace(tzinfo=None)


def link_expansion(lead: Lead) -> Lead | None:
    """Link a lead to a won investment of the same company domain: an expansion (aftercare)."""
    if lead.expansion_of_id is not None or not lead.company_domain:
        return lead.expansion_of
    won = db.session.scalar(
        select(Lead)
        .where(
            Lead.company_domain == lead.company_domain,
            Lead.id != lead.id,
            Lead.stage == Stage.WON.value,
            Lead.erased_at.is_(None),
        )
        .order_by(Lead.created_at)
        .limit(1)
    )
    if won is None:
        return None
    lead.expansion_of_id = won.id
    audit.record(
        lead, None, Action.EXPANSION, to_value=f"lead #{won.id}", reason=lead.company_domain
    )
    return won


def on_inquiry(lead: Lead, inquiry: Inquiry) -> None:
    """Update a lead for a new inquiry: response deadline, score and routing."""
    if inquiry not in lead.inquiries:
        lead.inquiries.append(inquiry)
    db.session.flush()  # ids and defaults for the audit lines and the scoring facts
    due = response_due(inquiry.created_at)
    earlier = lead.response_due_at
    # A still-open deadline from an earlier inquiry stays: the investor is waiting since then.
    if earlier is not None and earlier > inquiry.created_at:
        due = min(earlier, due)
    lead.response_due_at = due
    lead.last_activity_at = max(lead.last_activity_at or inquiry.created_at, inquiry.created_at)
    link_expansion(lead)
    scoring.apply_score(lead)
    # Route new leads, and re-route while still new unless staff moved the lead by hand.
    if lead.organisation_id is None or (
        lead.stage == Stage.NEW and not pipeline.manually_routed(lead)
    ):
        pipeline.route(lead)
