"""What the plan page changes: a message from the investor, a new link asked for, staff's steps."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete, select

from core.extensions import db
from leads.capture.text import normalise_email
from leads.models import Lead, StaffUser, utcnow
from leads.plan import token
from leads.plan.models import PlanMessage, PlanStep
from leads.queue import events

log = logging.getLogger(__name__)


def post_message(lead: Lead, body: str) -> PlanMessage:
    """Store the investor's message on the lead's timeline and queue the owner's notice."""
    message = PlanMessage(lead_id=lead.id, body=body, created_at=utcnow())
    db.session.add(message)
    lead.last_activity_at = message.created_at
    token.touch(lead)
    db.session.flush()
    events.enqueue_plan_message(lead.id, message.id)
    log.info("plan message stored for lead %s", lead.id)
    return message


def request_link(address: str) -> bool:
    """Queue a mail with the plan link if the address is a lead's with a plan; tell if queued.

    The caller answers the same either way: whether an address is known is not told.
    """
    if not address:
        return False
    lead = db.session.scalar(select(Lead).where(Lead.email == normalise_email(address)))
    if lead is None or lead.erased_at is not None or not token.has_plan(lead):
        return False
    events.enqueue_plan_link(lead.id)
    log.info("new plan link queued for lead %s", lead.id)
    return True


def add_step(lead: Lead, author: StaffUser, text: str, due_on: dt.date | None) -> PlanStep:
    """Add a next step agreed with the investor to their plan (caller commits)."""
    step = PlanStep(lead_id=lead.id, text=text, due_on=due_on, author_id=author.id)
    db.session.add(step)
    return step


def step_of(lead: Lead, step_id: int) -> PlanStep | None:
    """Return one of the lead's agreed steps (None when it is another lead's or gone)."""
    step = db.session.get(PlanStep, step_id)
    return step if step is not None and step.lead_id == lead.id else None


def erase_plan(lead_id: int) -> None:
    """Remove the plan's messages and agreed steps of an erased lead (caller commits)."""
    db.session.execute(delete(PlanMessage).where(PlanMessage.lead_id == lead_id))
    db.session.execute(delete(PlanStep).where(PlanStep.lead_id == lead_id))


def export_plan(lead: Lead) -> dict:
    """Return the plan as plain data for the person's export: link state, steps, messages."""
    steps = db.session.scalars(
        select(PlanStep).where(PlanStep.lead_id == lead.id).order_by(PlanStep.id)
    )
    messages = db.session.scalars(
        select(PlanMessage).where(PlanMessage.lead_id == lead.id).order_by(PlanMessage.id)
    )
    active = token.active_since(lead)
    return {
        "link_version": lead.plan_version,
        "link_active_since": active.isoformat() if active else None,
        "link_expires": (active + token.LIFETIME).isoformat() if active else None,
        "next_steps": [
            {
                "id": step.id,
                "text": step.text,
                "due_on": step.due_on.isoformat() if step.due_on else None,
                "done": step.done,
                "created_at": step.created_at.isoformat(),
            }
            for step in steps
        ],
        "messages": [
            {"id": m.id, "created_at": m.created_at.isoformat(), "body": m.body} for m in messages
        ],
    }
