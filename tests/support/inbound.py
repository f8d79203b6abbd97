"""Helpers for the tests of changes coming back from HubSpot: signed deliveries, synced leads."""

from __future__ import annotations

from core.extensions import db
from leads.crm import inbound_runner, relay
from leads.queue import events
from tests.hubspot_double.server import webhook_request
from tests.support.crm import crm_settings

SECRET = "hubspot-client-secret"
LEADS_URL = "https://leads.example.org"
PATH = "/crm/hubspot/webhook"


def inbound_settings(double, api_version: str, **extra) -> dict:
    """App settings: the CRM at the double, webhooks signed with SECRET for LEADS_URL."""
    return crm_settings(
        double,
        api_version,
        HUBSPOT_CLIENT_SECRET=SECRET,
        LEADS_URL=LEADS_URL,
        HUBSPOT_TIMEOUT=2.0,
        **extra,
    )


def deliver(client, events: list[dict], **options):
    """Post a webhook batch as HubSpot does (``options`` spoil it: see ``webhook_request``)."""
    body, headers = webhook_request(events, uri=LEADS_URL + PATH, secret=SECRET, **options)
    return client.post(PATH, data=body, headers=headers)


def deliver_queued(client, double, **options):
    """Send every webhook event the double has queued, in one batch."""
    return deliver(client, double.take_webhook_events(), **options)


def synced_lead(make_lead, **overrides):
    """Create a lead and send it to the CRM (a qualified lead gets a deal)."""
    lead = make_lead(**overrides)
    events.enqueue_lead_upserted(lead.id)
    db.session.commit()
    relay.sync()
    db.session.refresh(lead)
    return lead


def apply():
    """Run the worker's inbound step once over everything due."""
    return inbound_runner.apply_all()
