"""The HubSpot adapter against the local double, in both API versions."""

import datetime as dt
import re
import time

import pytest

from leads.crm import payloads as pl
from leads.crm import properties as p
from leads.crm.base import DAILY_LIMIT, NETWORK, CRMError, DailyLimitReached
from leads.crm.ratelimit import RateLimiter
from tests.support.apps import ROOT


def contact(i, **extra):
    return pl.contact_input(pl.LeadSnapshot(lead_id=i, email=f"p{i}@acme.de", **extra))


def test_setup_creates_schema_once_and_reads_stage_ids_back(make_crm, hubspot_double):
    crm = make_crm()
    first = crm.ensure_schema()
    second = crm.ensure_schema()
    assert first == second
    assert set(first.stage_ids) == set(p.DEAL_STAGE_LABELS)
    assert hubspot_double.properties["companies"][p.WBO_COMPANY_KEY]["hasUniqueValue"]
    assert hubspot_double.properties["deals"][p.WBO_LEAD_REF]["hasUniqueValue"]
    labels = [pl_["label"] for pl_ in hubspot_double.pipelines]
    assert labels.count(p.PIPELINE_LABEL) == 1
    assert any(r.status == 409 for r in hubspot_double.requests)


def test_upsert_twice_updates_the_same_contact(make_crm, hubspot_double):
    crm = make_crm()
    crm.ensure_schema()
    first = crm.upsert_contacts([contact(1, full_name="Ana Test")])
    second = crm.upsert_contacts([contact(1, full_name="Ana Changed")])
    assert first.ids == second.ids == {"lead-1": first.ids["lead-1"]}
    (found,) = hubspot_double.find("contacts", "email", "p1@acme.de")
    assert found["properties"]["lastname"] == "Changed"


def test_partial_failure_maps_each_error_to_its_input(make_crm, hubspot_double):
    hubspot_double.reject("p2@acme.de", "Email address p2@acme.de is invalid")
    crm = make_crm()
    crm.ensure_schema()
    result = crm.upsert_contacts([contact(1), contact(2), contact(3)])
    assert set(result.ids) == {"lead-1", "lead-3"}
    assert set(result.errors) == {"lead-2"}
    assert "p2@acme.de is invalid" in result.errors["lead-2"].message
    assert not result.errors["lead-2"].retryable


def test_server_error_is_retryable_and_carries_correlation_id(make_crm, hubspot_double):
    hubspot_double.fail_next(1, status=503)
    with pytest.raises(CRMError) as caught:
        make_crm().upsert_contacts([contact(1)])
    assert caught.value.status == 503
    assert caught.value.retryable
    assert re.fullmatch(r"[0-9a-f-]{36}", caught.value.correlation_id)
    assert caught.value.correlation_id in caught.value.describe()


def test_validation_error_is_not_retryable(make_crm, hubspot_double):
    with pytest.raises(CRMError) as caught:
        make_crm().upsert_companies(
            [
                {
                    "id": "acme.de",
                    "idProperty": "wbo_company_key",
                    "objectWriteTraceId": "c",
                    "properties": {},
                }
            ]
        )
    assert caught.value.status == 400
    assert not caught.value.retryable


def test_slow_answer_times_out_and_the_retry_finds_the_same_record(make_crm, hubspot_double):
    crm = make_crm(timeout=(1.0, 0.3))
    crm.ensure_schema()
    hubspot_double.slow_next(1, delay=1.0)
    with pytest.raises(CRMError) as caught:
        crm.upsert_contacts([contact(1)])
    assert caught.value.category == NETWORK
    assert caught.value.retryable
    again = crm.upsert_contacts([contact(1)])
    assert len(hubspot_double.find("contacts", "email", "p1@acme.de")) == 1
    assert again.ids["lead-1"] == hubspot_double.find("contacts", "email", "p1@acme.de")[0]["id"]


def test_ten_secondly_429_is_retried_by_the_client(make_crm, hubspot_double):
    crm = make_crm()
    crm.ensure_schema()
    sent = len(hubspot_double.requests)
    hubspot_double.storm(2)
    result = crm.upsert_contacts([contact(1)])
    assert "lead-1" in result.ids
    assert [r.status for r in hubspot_double.requests[sent:]] == [429, 429, 200]


def test_daily_429_is_not_retried_and_pauses_until_reset(make_crm, hubspot_double):
    hubspot_double.daily_limit_reached = True
    with pytest.raises(DailyLimitReached) as caught:
        make_crm().upsert_contacts([contact(1)])
    assert caught.value.category == DAILY_LIMIT
    assert caught.value.reset_at > dt.datetime.now(dt.UTC)
    assert len(hubspot_double.requests) == 1


def test_unreachable_hubspot_is_a_retryable_network_error(make_crm, hubspot_double):
    hubspot_double.stop()
    with pytest.raises(CRMError) as caught:
        make_crm().upsert_contacts([contact(1)])
    assert caught.value.category == NETWORK
    assert caught.value.retryable
    hubspot_double.start()


def test_gdpr_delete_by_email_and_unknown_contact_is_fine(make_crm, hubspot_double):
    crm = make_crm()
    crm.ensure_schema()
    crm.upsert_contacts([contact(1)])
    crm.erase_contact("p1@acme.de")
    crm.erase_contact("p1@acme.de")
    assert hubspot_double.find("contacts", "email", "p1@acme.de") == []
    assert hubspot_double.gdpr_deleted == ["p1@acme.de"]
    ids = crm.upsert_contacts([contact(2)]).ids
    crm.erase_contact(contact_id=ids["lead-2"])
    assert hubspot_double.gdpr_deleted == ["p1@acme.de", "p2@acme.de"]


def test_one_connection_pool_for_all_calls(make_crm, hubspot_double):
    crm = make_crm()
    client = crm._api_client
    crm.ensure_schema()
    crm.upsert_contacts([contact(1)])
    assert crm._api_client is client
    assert len(client.rest_client.pool_manager.pools) == 1


def test_limiter_never_lets_more_than_the_limit_through_in_a_window():
    now = [0.0]
    sent = []

    def sleep(seconds):
        now[0] += seconds

    limiter = RateLimiter(100, 10.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(350):
        limiter.acquire()
        sent.append(now[0])
        now[0] += 0.001
    worst = max(sum(1 for t in sent if s <= t < s + 10.0) for s in sent)
    assert worst <= 100
    assert sent[-1] < 40


def test_limiter_pauses_when_hubspot_says_the_window_is_spent():
    now = [0.0]
    limiter = RateLimiter(
        100, 10.0, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s)
    )
    limiter.observe(
        {"X-HubSpot-RateLimit-Remaining": "0", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"}
    )
    limiter.acquire()
    assert now[0] >= 1.0


def test_only_the_adapter_imports_the_sdk():
    offenders = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in (".venv", "tests") or rel.as_posix() == "leads/crm/hubspot.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import hubspot|from hubspot\b)", text, re.M):
            offenders.append(rel.as_posix())
    assert offenders == []


def test_wall_clock_limiter_holds_against_the_double(make_crm, hubspot_double):
    crm = make_crm(rate_limit=5, rate_window=1.0)
    hubspot_double.requests.clear()
    start = time.monotonic()
    for i in range(12):
        crm.upsert_contacts([contact(i)])
    assert time.monotonic() - start >= 2.0
    assert hubspot_double.peak(1.0) <= 5
