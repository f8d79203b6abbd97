"""CRM payloads are pure functions of a lead snapshot."""

import datetime as dt

import pytest

from leads.crm import payloads as pl
from leads.crm import properties as p


def snapshot(**overrides):
    values = {
        "lead_id": 7,
        "email": "ana.petrovic@acme-software.de",
        "full_name": "Ana Maria Petrovic",
        "company": "Acme Software GmbH",
        "website": "https://www.Acme-Software.de/en/",
        "job_title": "CTO",
        "country": "Germany",
        "countries": ("serbia", "albania"),
        "sector": "ict",
        "source": "roadshow",
        "campaign": "berlin-2026",
        "score": 42,
        "stage": "new",
    }
    values.update(overrides)
    return pl.LeadSnapshot(**values)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.Acme.de/path?q=1", "acme.de"),
        ("acme.de", "acme.de"),
        ("WWW.ACME.DE.", "acme.de"),
        ("someone@Acme.de", "acme.de"),
        ("http://user@acme.de:8080/x", "acme.de"),
        ("", ""),
        ("not a domain", ""),
    ],
)
def test_normalise_domain(raw, expected):
    assert pl.normalise_domain(raw) == expected


def test_contact_input_is_keyed_by_email_and_traced():
    item = pl.contact_input(snapshot())
    assert item["id"] == "ana.petrovic@acme-software.de"
    assert item["idProperty"] == "email"
    assert item["objectWriteTraceId"] == "lead-7"
    props = item["properties"]
    assert props[p.FIRSTNAME] == "Ana Maria"
    assert props[p.LASTNAME] == "Petrovic"
    assert props[p.WBO_COUNTRIES] == "serbia;albania"
    assert props[p.WBO_SCORE] == "42"
    assert props[p.LIFECYCLE_STAGE] == "lead"
    assert props[p.LEAD_STATUS] == "NEW"
    assert all(isinstance(v, str) and v for v in props.values())
    assert all(k.startswith("wbo_") or k in p.__dict__.values() for k in props)


def test_lost_lead_keeps_lifecycle_stage_and_says_so_in_status():
    props = pl.contact_input(snapshot(stage="disqualified"))["properties"]
    assert p.LIFECYCLE_STAGE not in props
    assert props[p.LEAD_STATUS] == "UNQUALIFIED"


def test_company_keyed_by_normalised_domain():
    item = pl.company_input(snapshot())
    assert item["id"] == item["properties"][p.WBO_COMPANY_KEY] == "acme-software.de"
    assert item["idProperty"] == p.WBO_COMPANY_KEY


def test_free_mail_without_website_has_no_company():
    assert pl.company_input(snapshot(website="", email="ana@gmail.com")) is None
    item = pl.company_input(snapshot(website="", email="ana@acme.de"))
    assert item["id"] == "acme.de"


def test_deal_only_from_qualified_on():
    stage_ids = {s: f"id-{s}" for s in p.DEAL_STAGE_LABELS}
    assert pl.deal_input(snapshot(stage="contacted"), "pl", stage_ids) is None
    deal = pl.deal_input(snapshot(stage="meeting"), "pl", stage_ids)
    assert deal["id"] == "wbo-lead-7"
    assert deal["idProperty"] == p.WBO_LEAD_REF
    assert deal["properties"][p.DEALSTAGE] == "id-meeting"
    assert deal["properties"][p.PIPELINE] == "pl"
    # A lead that was never qualified gets no deal for being lost; one that had a deal does.
    assert pl.deal_input(snapshot(stage="lost"), "pl", stage_ids) is None
    closed = pl.deal_input(snapshot(stage="lost", has_deal=True), "pl", stage_ids)
    assert closed["properties"][p.DEALSTAGE] == "id-lost"


def test_note_keyed_by_inquiry():
    inquiry = pl.Inquiry(id=3, text="We plan 40 seats.", created_at=dt.datetime(2026, 5, 1, 9))
    item = pl.note_input(inquiry)
    assert item["id"] == "wbo-inquiry-3"
    assert item["properties"][p.NOTE_BODY] == "We plan 40 seats."
    assert item["properties"][p.TIMESTAMP] == "2026-05-01T09:00:00.000Z"


def test_chunks_of_at_most_100():
    assert [len(c) for c in pl.chunks(list(range(250)))] == [100, 100, 50]


def test_every_custom_property_is_prefixed_and_keys_are_unique():
    specs = p.custom_properties()
    names = [s.name for group in specs.values() for s in group]
    assert all(n.startswith("wbo_") for n in names)
    unique = {s.name for group in specs.values() for s in group if s.unique}
    assert unique == {p.WBO_COMPANY_KEY, p.WBO_LEAD_REF, p.WBO_NOTE_REF}
