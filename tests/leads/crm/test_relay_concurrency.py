"""Batches in flight together fill HubSpot's limit; a batch that fails as a whole retries whole."""

import pytest
from sqlalchemy import select

from core.extensions import db
from leads.crm import adapter, relay
from leads.crm import status as crm_status
from leads.models import OutboxEvent
from leads.queue import outbox
from tests.support.crm import assert_delivered_once, crm_settings, make_due, queue_leads

LEADS = 250  # three batches of at most 100


@pytest.fixture
def app_overrides(hubspot_double, api_version):
    return crm_settings(hubspot_double, api_version, HUBSPOT_TIMEOUT=10.0, HUBSPOT_CONCURRENCY=3)


@pytest.fixture
def queued(app, make_lead):
    adapter.run_setup()
    return queue_leads(make_lead, LEADS)


def in_flight_at_once(double) -> int:
    """Return the most requests the double was answering at the same moment."""
    spans = [(r.at, r.at + double.delay) for r in double.requests]
    return max(sum(1 for a, b in spans if a <= start < b) for start, _ in spans)


def test_batches_in_flight_together_deliver_every_lead_once(app, hubspot_double, queued):
    hubspot_double.requests.clear()
    hubspot_double.delay = 0.1
    report = relay.run_round()
    assert report.claimed == LEADS
    assert report.done == LEADS
    assert in_flight_at_once(hubspot_double) >= 2
    assert_delivered_once(hubspot_double, queued)
    assert crm_status.status()["done"] == LEADS


def test_one_at_a_time_when_told(app, hubspot_double, queued):
    app.config["HUBSPOT_CONCURRENCY"] = 1
    hubspot_double.requests.clear()
    hubspot_double.delay = 0.05
    report = relay.run_round()
    assert report.claimed == 100
    assert in_flight_at_once(hubspot_double) == 1


def test_a_batch_that_fails_as_a_whole_waits_as_a_whole_and_pauses_the_channel(
    app, hubspot_double, queued
):
    hubspot_double.stop()
    report = relay.run_round()
    assert report.failed == LEADS
    assert report.paused_until is not None
    waiting = db.session.scalars(select(OutboxEvent)).all()
    # One retry time per batch, not one per event: the batch comes back whole.
    assert len({event.available_at for event in waiting}) <= 3
    assert all(event.attempts == 1 for event in waiting)

    hubspot_double.start()
    sent = len(hubspot_double.requests)
    later = relay.run_round()
    assert later.skipped.startswith("paused")
    assert later.paused_until == report.paused_until
    assert len(hubspot_double.requests) == sent  # nothing goes out while the channel waits

    make_due()
    relay.sync()
    assert_delivered_once(hubspot_double, queued)
    assert crm_status.status()["failed"] == 0


def test_the_wait_of_a_batch_doubles_per_attempt_up_to_the_cap():
    waits = [outbox.batch_backoff_seconds(n, base=2, cap=5) for n in (1, 2, 3, 4)]
    assert 1 <= waits[0] <= 2
    assert 2 <= waits[1] <= 4
    assert all(2.5 <= w <= 5 for w in waits[2:])  # never near zero: it pauses the channel
