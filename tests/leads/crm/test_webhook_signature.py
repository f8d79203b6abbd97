"""HubSpot's v3 webhook signature: checked as HubSpot documents it, refused otherwise."""

import datetime as dt

import pytest

from leads.crm import webhooks
from tests.hubspot_double.server import sign_v3, webhook_request

SECRET = "s3cret"
URI = "https://leads.example.org/crm/hubspot/webhook"
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
NOW_MS = int(NOW.timestamp() * 1000)


def check(body, headers, *, secret=SECRET, uri=URI, now=NOW):
    return webhooks.verify(secret, "POST", uri, body, headers, now=now)


def test_a_batch_signed_as_hubspot_signs_it_passes():
    body, headers = webhook_request([{"eventId": 1}], uri=URI, secret=SECRET, timestamp_ms=NOW_MS)
    assert check(body, headers)
    # Four minutes later it is still fresh.
    assert check(body, headers, now=NOW + dt.timedelta(minutes=4))


@pytest.mark.parametrize(
    "spoil",
    [
        {"timestamp_ms": NOW_MS - 5 * 60 * 1000 - 1},  # older than five minutes
        {"timestamp_ms": NOW_MS + 6 * 60 * 1000},  # from the future
        {"signature": "AAAA"},
        {"v1_only": True},  # no timestamp: replayable forever
    ],
)
def test_stale_wrong_or_old_style_signatures_are_refused(spoil):
    body, headers = webhook_request(
        [{"eventId": 1}], uri=URI, secret=SECRET, **({"timestamp_ms": NOW_MS} | spoil)
    )
    assert not check(body, headers)


def test_the_signature_covers_method_uri_body_and_timestamp():
    body, headers = webhook_request([{"eventId": 1}], uri=URI, secret=SECRET, timestamp_ms=NOW_MS)
    assert not check(body + b" ", headers)
    assert not check(body, headers, uri="http://localhost/crm/hubspot/webhook")
    assert not check(body, headers, secret="another")
    assert not webhooks.verify(SECRET, "PUT", URI, body, headers, now=NOW)
    assert not check(body, headers | {webhooks.TIMESTAMP_HEADER: str(NOW_MS - 1)})


def test_no_secret_refuses_everything():
    body, headers = webhook_request([{"eventId": 1}], uri=URI, secret="", timestamp_ms=NOW_MS)
    assert not check(body, headers, secret=None)
    assert not check(body, headers, secret="")


def test_escapes_hubspot_decodes_before_signing_are_decoded():
    uri = "https://leads.example.org/crm/hubspot/webhook?a=b%3Ac"
    signed = sign_v3(
        SECRET, "POST", "https://leads.example.org/crm/hubspot/webhook?a=b:c", b"[]", "1"
    )
    assert webhooks.sign(SECRET, "POST", uri, b"[]", "1") == signed


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "not JSON"),
        (b"{", "not JSON"),
        (b"\xff", "not JSON"),
        (b"{}", "array"),
        (b"[]", "array"),
        (b"[1]", "object"),
        (b'[{"eventId": 1, "objectId": 2, "occurredAt": 3}]', "subscriptionType"),
        (b'[{"eventId": "x", "objectId": 2, "occurredAt": 3, "subscriptionType": "a"}]', "eventId"),
        (
            b'[{"eventId": 1, "objectId": 2, "occurredAt": 1e30, "subscriptionType": "a"}]',
            "occurredAt",
        ),
        (
            b'[{"eventId": 1, "objectId": true, "occurredAt": 3, "subscriptionType": "a"}]',
            "objectId",
        ),
    ],
)
def test_malformed_batches_are_named(body, message):
    with pytest.raises(webhooks.BadBatch, match=message):
        webhooks.parse_batch(body)


def test_a_batch_holds_at_most_100_events():
    event = (
        '{"eventId": 1, "objectId": 2, "occurredAt": 1780000000000, '
        '"subscriptionType": "deal.creation"}'
    )
    assert len(webhooks.parse_batch(f"[{','.join([event] * 100)}]".encode())) == 100
    with pytest.raises(webhooks.BadBatch, match="at most 100"):
        webhooks.parse_batch(f"[{','.join([event] * 101)}]".encode())
