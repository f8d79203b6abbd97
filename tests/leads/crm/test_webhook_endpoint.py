"""The webhook endpoint is rate-limited and answers a full batch quickly."""

import time

import pytest

from tests.hubspot_double.server import webhook_request
from tests.support.inbound import LEADS_URL, PATH, SECRET


@pytest.fixture
def app_overrides():
    return {
        "HUBSPOT_CLIENT_SECRET": SECRET,
        "LEADS_URL": LEADS_URL,
        "RATELIMIT_ENABLED": True,
        "HUBSPOT_WEBHOOK_RATE_LIMIT": "3 per minute",
    }


def batch(first_id, size=100):
    return [
        {
            "eventId": first_id + n,
            "subscriptionId": 1,
            "portalId": 1,
            "appId": 1,
            "occurredAt": int(time.time() * 1000),
            "subscriptionType": "deal.propertyChange",
            "attemptNumber": 0,
            "objectId": 1000 + n,
            "propertyName": "dealstage",
            "propertyValue": "1",
        }
        for n in range(size)
    ]


def post(client, events):
    body, headers = webhook_request(events, uri=LEADS_URL + PATH, secret=SECRET)
    return client.post(PATH, data=body, headers=headers)


def test_a_full_batch_is_stored_at_once_and_the_endpoint_is_rate_limited(app, client):
    started = time.perf_counter()
    assert post(client, batch(1)).status_code == 204
    elapsed = time.perf_counter() - started
    assert elapsed < 3.0, elapsed  # HubSpot gives up on an endpoint after 5 seconds
    print(f"\n100-event webhook batch stored and answered in {elapsed * 1000:.0f} ms")
    assert post(client, batch(101)).status_code == 204
    assert post(client, batch(201)).status_code == 204
    assert post(client, batch(301)).status_code == 429
