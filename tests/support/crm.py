"""Fixtures and helpers for the CRM tests: the HubSpot double, adapters pointed at it, and
checks that each lead arrived exactly once."""

import datetime as dt

import pytest
from sqlalchemy import update

from core.extensions import db
from leads.crm import payloads as pl
from leads.crm import properties as p
from leads.crm import relay
from leads.crm.endpoints import API_VERSIONS
from leads.crm.hubspot import HubSpotCRM
from leads.crm.snapshot import snapshot_of
from leads.models import OutboxEvent, utcnow
from leads.queue import events, outbox
from tests.hubspot_double import HubSpotDouble

TOKEN = "test-token"


def crm_settings(double, api_version: str, **extra) -> dict:
    """Return app settings that point the CRM at the double (plus ``extra``)."""
    return {
        "HUBSPOT_ACCESS_TOKEN": TOKEN,
        "HUBSPOT_BASE_URL": double.url,
        "HUBSPOT_API_VERSION": api_version,
        **extra,
    }


@pytest.fixture
def hubspot_double():
    """Run a HubSpot double on a free loopback port; fail on any departure from the specs."""
    double = HubSpotDouble(TOKEN).start()
    yield double
    double.stop()
    assert double.violations == [], "\n".join(double.violations)


@pytest.fixture(params=API_VERSIONS)
def api_version(request):
    """Run the test once per HubSpot API version."""
    return request.param


@pytest.fixture
def make_crm(hubspot_double, api_version):
    """Build HubSpotCRM adapters pointed at the double."""

    def make(**overrides):
        options = {
            "base_url": hubspot_double.url,
            "api_version": api_version,
            "timeout": (1.0, 2.0),
        }
        options.update(overrides)
        return HubSpotCRM(TOKEN, **options)

    return make


def queue_leads(make_lead, n, **overrides):
    """Create ``n`` leads and queue each for the CRM, in one transaction."""
    leads = [make_lead(commit=False, **overrides) for _ in range(n)]
    db.session.flush()
    for lead in leads:
        events.enqueue_lead_upserted(lead.id)
    db.session.commit()
    return leads


def make_due():
    """Let time pass: every waiting event is due now, and the relay's pause is over."""
    relay.channel_pause().end()
    db.session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.status.in_((outbox.FAILED, outbox.PENDING)))
        .values(available_at=utcnow() - dt.timedelta(seconds=1))
    )
    db.session.commit()


def assert_delivered_once(double, leads):
    """Every lead is in the double exactly once, with its company, note and associations."""
    for lead in leads:
        db.session.refresh(lead)
        contacts = double.find("contacts", "email", lead.email)
        assert len(contacts) == 1, lead.email
        assert lead.crm_contact_id == contacts[0]["id"]
        key = pl.company_key(snapshot_of(lead))
        companies = double.find("companies", p.WBO_COMPANY_KEY, key)
        assert len(companies) == 1, key
        assert lead.crm_company_id == companies[0]["id"]
        assert double.associated("contacts", lead.crm_contact_id, "companies") == {
            lead.crm_company_id
        }
        for inquiry in lead.inquiries:
            notes = double.find("notes", p.WBO_NOTE_REF, f"wbo-inquiry-{inquiry.id}")
            assert len(notes) == 1
            assert inquiry.crm_note_id == notes[0]["id"]
            assert double.associated("notes", inquiry.crm_note_id, "contacts") == {
                lead.crm_contact_id
            }
    assert len(double.objects["notes"]) == sum(len(lead.inquiries) for lead in leads)
