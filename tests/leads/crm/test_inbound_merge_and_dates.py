"""A privacy deletion after a HubSpot merge erases every lead of the person; dates are bounded."""

import pytest
from sqlalchemy import select

from core.extensions import db
from leads.crm import adapter as crm_adapter
from leads.crm import intake
from leads.crm.webhooks import parse_hubspot_time
from leads.models import Lead, OutboxEvent
from tests.support.inbound import apply, deliver, deliver_queued, inbound_settings, synced_lead


@pytest.fixture
def app_overrides(hubspot_double, api_version):
    return inbound_settings(hubspot_double, api_version)


@pytest.fixture
def setup_done(app):
    return crm_adapter.run_setup()


def _mails_of(lead_id: int) -> list[dict]:
    return [
        e.payload
        for e in db.session.scalars(select(OutboxEvent).where(OutboxEvent.lead_id == lead_id))
    ]


def _assert_erased(lead: Lead, address: str) -> None:
    db.session.refresh(lead)
    assert lead.erased_at is not None, lead.id
    assert lead.email is None
    assert lead.full_name == ""
    assert lead.company == ""
    assert db.session.scalar(select(Lead).where(Lead.email == address)) is None
    assert all(payload == {} for payload in _mails_of(lead.id))


@pytest.mark.parametrize("merge_applied_first", [True, False])
def test_a_privacy_deletion_after_a_merge_erases_every_lead_of_the_merge(
    app, client, hubspot_double, setup_done, make_lead, merge_applied_first
):
    kept = synced_lead(make_lead)  # contact "7001"
    merged = synced_lead(make_lead)  # contact "7002", merged into 7001
    third = synced_lead(make_lead, email="third@example.de")
    other = synced_lead(make_lead, email="someone.else@example.de")
    hubspot_double.merge_contacts(kept.crm_contact_id, merged.crm_contact_id)
    hubspot_double.merge_contacts(kept.crm_contact_id, third.crm_contact_id)
    addresses = {lead.id: lead.email for lead in (kept, merged, third)}
    if merge_applied_first:
        deliver_queued(client, hubspot_double)
        apply()
        db.session.refresh(merged)
        assert merged.crm_contact_id == kept.crm_contact_id
    hubspot_double.privacy_delete_contact(kept.crm_contact_id)

    assert deliver_queued(client, hubspot_double).status_code == 204
    report = apply()

    assert report.failed == 0, report.errors
    for lead in (kept, merged, third):
        _assert_erased(lead, addresses[lead.id])
    db.session.refresh(other)
    assert other.erased_at is None
    assert other.email == "someone.else@example.de"
    assert hubspot_double.gdpr_deleted == []


def test_an_ordinary_deletion_after_a_merge_unlinks_every_lead(
    app, client, hubspot_double, setup_done, make_lead
):
    kept = synced_lead(make_lead)
    merged = synced_lead(make_lead)
    hubspot_double.merge_contacts(kept.crm_contact_id, merged.crm_contact_id)
    hubspot_double.delete_contact(kept.crm_contact_id)
    deliver_queued(client, hubspot_double)
    apply()
    for lead in (kept, merged):
        db.session.refresh(lead)
        assert lead.crm_contact_id is None
        assert lead.erased_at is None


# 9999-12-31, 0001-01-01, 1999-12-31 and 2101-01-01 in milliseconds since the epoch.
EXTREME_MS = [253402300799000, -62135596800000, 946684799000, 4133980800000]


@pytest.mark.parametrize("occurred_ms", EXTREME_MS)
def test_a_webhook_with_an_impossible_time_is_refused_and_stores_nothing(
    app, client, hubspot_double, setup_done, make_lead, occurred_ms
):
    serbia_lead = synced_lead(make_lead, stage="qualified")
    hubspot_double.move_deal(serbia_lead.crm_deal_id, "Meeting")
    events = hubspot_double.take_webhook_events()
    for event in events:
        event["occurredAt"] = occurred_ms
    response = deliver(client, events)
    assert response.status_code == 400
    assert "occurredAt" in response.get_data(as_text=True)
    stored = db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.channel == intake.CHANNEL)
    ).all()
    assert stored == []
    assert apply().failed == 0


@pytest.mark.parametrize(
    "value", ["9999-12-31T00:00:00Z", "0001-01-01T00:00:00Z", "253402300799000"]
)
def test_pulled_times_outside_the_range_are_ignored(value):
    assert parse_hubspot_time(value) is None
    assert parse_hubspot_time("2026-05-01T10:00:00Z") is not None
