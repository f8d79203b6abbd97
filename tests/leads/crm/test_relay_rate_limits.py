"""Under HubSpot's rate limits the relay loses nothing and stays under its own limit."""

import pytest
from sqlalchemy import select

from core.extensions import db
from leads.crm import adapter, relay
from leads.crm import status as crm_status
from leads.models import OutboxEvent
from leads.queue import outbox
from tests.hubspot_double import HubSpotDouble
from tests.support.crm import TOKEN, assert_delivered_once, crm_settings, make_due, queue_leads

LIMIT, WINDOW = 20, 2.0


@pytest.fixture
def hubspot_double():
    """A double that enforces a ten-secondly limit of LIMIT requests per WINDOW seconds."""
    double = HubSpotDouble(TOKEN, rate_limit=LIMIT, window=WINDOW).start()
    yield double
    double.stop()
    assert double.violations == [], "\n".join(double.violations)


@pytest.fixture
def app_overrides(hubspot_double, api_version):
    """Point the app's CRM settings at the double, with the account's limit."""
    return crm_settings(
        hubspot_double, api_version, HUBSPOT_RATE_LIMIT=LIMIT, HUBSPOT_RATE_WINDOW=WINDOW
    )


@pytest.mark.slow
def test_a_429_storm_loses_nothing_and_the_relay_stays_under_the_limit(
    app, hubspot_double, make_lead
):
    adapter.run_setup()
    leads = queue_leads(make_lead, 250, stage="qualified")
    hubspot_double.storm(10)

    for _round in range(20):
        relay.sync()
        if crm_status.status()["done"] == 250:
            break
        make_due()

    events = db.session.scalars(select(OutboxEvent)).all()
    assert {e.status for e in events} == {outbox.DONE}
    assert all(e.attempts == 0 for e in events)  # rate limits spend no attempts
    assert_delivered_once(hubspot_double, leads)
    rate_limited = [r for r in hubspot_double.requests if r.status == 429]
    assert len(rate_limited) == 10  # only the storm: the relay never ran into the limit
    assert hubspot_double.peak(WINDOW) <= LIMIT
    print(f"\npeak {hubspot_double.peak(WINDOW)} requests per {WINDOW:g} s (limit {LIMIT})")
