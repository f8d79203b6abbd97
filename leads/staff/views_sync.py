"""The sync page: the CRM and mail queues, and every failed or dead event with its reason."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from leads.common.access import lead_visibility
from leads.crm import adapter
from leads.crm import status as crm_status
from leads.models import Lead, OutboxEvent
from leads.queue import outbox
from leads.queue.events import Channel
from leads.staff.blueprint import bp
from leads.staff.forms import ButtonForm

CHANNELS = tuple(Channel)
STATUS_COLUMNS = ("pending", "in_flight", "failed", "dead", "done", "ignored")


@bp.route("/sync/")
def sync_status():
    """Show queue counts and the failed or dead events of leads the user may see.

    A country user's counts are their organisation's leads only (never the region's).
    """
    visible = OutboxEvent.lead_id.in_(select(Lead.id).where(lead_visibility(current_user.user)))
    if current_user.sees_all_leads:
        visible = visible | OutboxEvent.lead_id.is_(None)
    return render_template(
        "leads/staff/sync.html",
        counts={channel: outbox.status_counts(channel, visible) for channel in CHANNELS},
        columns=STATUS_COLUMNS,
        crm=crm_status.status(visible),
        crm_configured=adapter.configured(),
        problems=outbox.problem_events(where=visible),
        retryable=(outbox.FAILED, outbox.DEAD),
        button_form=ButtonForm(),
    )
