"""The plan's mails: the owner told of an investor's message, and a new plan link on request."""

from __future__ import annotations

from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from core.extensions import db
from leads.models import Lead, OutboxEvent
from leads.notify import messages
from leads.plan import token
from leads.plan.models import PlanMessage


def _lead(event: OutboxEvent) -> Lead:
    lead = db.session.get(Lead, event.lead_id or 0)
    if lead is None or lead.erased_at is not None or lead.email is None:
        raise messages.Skipped("the lead is gone or erased")
    return lead


def plan_message_notice(event: OutboxEvent) -> EmailMessage:
    """Tell the owner (else the organisation's or lead inbox) what the investor wrote."""
    lead = _lead(event)
    message = db.session.get(PlanMessage, (event.payload or {}).get("message_id") or 0)
    if message is None:
        raise messages.Skipped("the message is gone")
    owner = lead.owner
    if owner is not None and owner.active and owner.email:
        to = messages.address(owner.name, owner.email)
    else:
        to = messages.address("", messages.team_recipient(lead))
    who = lead.company or lead.full_name or "an investor"
    subject = f"Message from the plan page: {who}"
    with force_locale("en"):
        body = render_template(
            "leads/notify/plan_message.txt",
            lead=lead,
            message=message,
            staff_link=messages.staff_link(lead),
        )
    mail = messages.new_message(subject, to, body)
    mail["Reply-To"] = messages.address(lead.full_name, lead.email or "")
    return mail


def plan_link_mail(event: OutboxEvent) -> EmailMessage:
    """Send the investor their plan link, in their language (asked for at ``/plan/``)."""
    lead = _lead(event)
    lang = messages.lead_language(lead)
    link = token.link_for_mail(lead, lang)
    if not link:
        raise messages.Skipped("the lead has no plan")
    with force_locale(lang):
        subject = f"{_('Your plan')} · {current_app.config['SITE_NAME']}"
        body = render_template("leads/notify/plan_link.txt", lead=lead, plan_link=link)
    return messages.new_message(subject, messages.address(lead.full_name, lead.email or ""), body)
