"""The search client reads every change once: paging, the 10,000-result ceiling, its rate limit."""

import datetime as dt
import time

import pytest

from leads.crm import properties as p
from leads.crm.base import CRMError

SINCE = dt.datetime(2026, 11, 1)


def add_deals(double, count, *, start=dt.datetime(2026, 11, 2), step=dt.timedelta(seconds=1)):
    """Put deals straight into the double, modified one after another from ``start``."""
    ids = []
    with double.lock:
        for n in range(count):
            deal_id = str(50_000 + len(double.objects["deals"]))
            stamp = (start + n * step).strftime("%Y-%m-%dT%H:%M:%S.000Z")
            double.objects["deals"][deal_id] = {
                "id": deal_id,
                "properties": {"dealstage": "1", "hs_lastmodifieddate": stamp},
                "createdAt": stamp,
                "updatedAt": stamp,
            }
            ids.append(deal_id)
    return ids


def read_all(crm, object_type=p.DEALS):
    return [o for page in crm.changed_since(object_type, SINCE, (p.DEALSTAGE,)) for o in page]


def search_bodies(double):
    return [r.body for r in double.requests if r.path.endswith("/search")]


def test_pages_oldest_first_with_the_filters_hubspot_documents(make_crm, hubspot_double):
    ids = add_deals(hubspot_double, 25)
    add_deals(hubspot_double, 3, start=dt.datetime(2026, 10, 1))  # before the cursor

    seen = read_all(make_crm(search_page_size=10))

    assert [o["id"] for o in seen] == ids
    first = search_bodies(hubspot_double)[0]
    assert first["filterGroups"][0]["filters"] == [
        {
            "propertyName": "hs_lastmodifieddate",
            "operator": "GTE",
            "value": str(int(SINCE.replace(tzinfo=dt.UTC).timestamp() * 1000)),
        }
    ]
    assert first["sorts"] == [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}]
    assert [b["after"] for b in search_bodies(hubspot_double)] == ["0", "10", "20"]


def test_contacts_filter_on_their_own_modified_property(make_crm, hubspot_double):
    list(make_crm().changed_since(p.CONTACTS, SINCE, (p.MERGED_IDS,)))
    (body,) = search_bodies(hubspot_double)
    assert body["filterGroups"][0]["filters"][0]["propertyName"] == "lastmodifieddate"


def test_the_window_narrows_before_the_ceiling_and_every_deal_comes(make_crm, hubspot_double):
    hubspot_double.search_ceiling = 30
    ids = add_deals(hubspot_double, 75)

    seen = read_all(make_crm(search_page_size=10, search_ceiling=30))

    assert {o["id"] for o in seen} == set(ids)
    bodies = search_bodies(hubspot_double)
    assert all(int(b["after"]) + b["limit"] <= 30 for b in bodies)
    assert sum(b["after"] == "0" for b in bodies) >= 3  # the window moved on twice or more
    assert all(r.status == 200 for r in hubspot_double.requests)


def test_a_full_window_of_one_millisecond_does_not_loop_forever(make_crm, hubspot_double):
    hubspot_double.search_ceiling = 20
    add_deals(hubspot_double, 25, step=dt.timedelta(0))
    later = add_deals(hubspot_double, 5, start=dt.datetime(2026, 11, 3))

    seen = read_all(make_crm(search_page_size=10, search_ceiling=20))

    assert set(later) <= {o["id"] for o in seen}


def test_the_double_refuses_to_page_past_10000_results(make_crm, hubspot_double):
    assert make_crm().search_ceiling == hubspot_double.search_ceiling == 10_000
    crm = make_crm()
    path = crm._path("search", object_type=p.DEALS)
    body = {"filterGroups": [], "sorts": [], "properties": [], "limit": 10, "after": "10000"}
    with pytest.raises(CRMError) as caught:
        crm.request("POST", path, body, limiter=crm.search_limiter)
    assert caught.value.status == 400


def test_searches_stay_within_the_search_limit_of_five_a_second(make_crm, hubspot_double):
    add_deals(hubspot_double, 12)
    started = time.monotonic()

    seen = read_all(make_crm(search_page_size=1, search_rate_limit=4))

    assert len(seen) == 12
    assert hubspot_double.search_peak(1.0) <= 4
    assert not any(r.status == 429 for r in hubspot_double.requests)
    assert time.monotonic() - started >= 2.0


def test_a_search_429_is_waited_out(make_crm, hubspot_double):
    hubspot_double.search_rate_limit = 2
    add_deals(hubspot_double, 6)

    seen = read_all(make_crm(search_page_size=1, search_rate_limit=50))

    assert len(seen) == 6
    assert any(r.status == 429 for r in hubspot_double.requests)
