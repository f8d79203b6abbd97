"""The lead list and the lead page: filters, CSV, pipeline, notes, owners, CRM state, export."""

import csv
import datetime as dt
import io
import json

import pytest
from sqlalchemy import select

from core.extensions import db
from leads.common.csvcell import safe_cell
from leads.lifecycle import pipeline
from leads.models import AuditEntry, Inquiry, Lead, Note, Organisation, OutboxEvent, utcnow
from leads.queue import outbox
from tests.support.staff import (
    EXECUTABLE_SCRIPT,
    count_queries,
    csrf_token,
    login,
    make_user,
)


def org(slug):
    return db.session.scalar(select(Organisation).filter_by(slug=slug))


@pytest.fixture
def coordinator(app, client):
    user = make_user()
    login(client, user)
    return user


def post(client, path, data, lead):
    token = csrf_token(client, f"/staff/leads/{lead.id}/")
    return client.post(path, data={"csrf_token": token, **data})


def rows(response):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


# The list ------------------------------------------------------------------------------------


def test_filters_narrow_the_list(app, client, coordinator, make_lead):
    serbia = make_lead(
        full_name="Anna Serb",
        countries=("serbia",),
        interest="ict",
        score=70,
        source="meeting",
        campaign="berlin-2026",
    )
    albania = make_lead(full_name="Bert Alb", countries=("albania",), interest="bpo", score=20)
    both = make_lead(full_name="Carl Both", countries=("albania", "kosovo"), interest="both")
    serbia.organisation_id = org("ipa-serbia").id
    db.session.commit()

    def names(query):
        return {r["full_name"] for r in rows(client.get(f"/staff/leads/export.csv?{query}"))}

    assert names("") == {"Anna Serb", "Bert Alb", "Carl Both"}
    assert names("country=albania") == {"Bert Alb", "Carl Both"}
    assert names("sector=bpo") == {"Bert Alb"}
    assert names("source=meeting") == {"Anna Serb"}
    assert names("campaign=berlin-2026") == {"Anna Serb"}
    assert names("score_min=50") == {"Anna Serb"}
    assert names("score_min=10&score_max=30") == {"Bert Alb"}
    assert names("organisation=ipa-serbia") == {"Anna Serb"}
    assert names("stage=new") == {"Anna Serb", "Bert Alb", "Carl Both"}
    assert names("stage=qualified") == set()
    assert names(f"q={albania.email.upper()}") == {"Bert Alb"}
    assert names("q=carl") == {"Carl Both"}
    assert names("q=Example+GmbH") == {"Anna Serb", "Bert Alb", "Carl Both"}
    bad = client.get("/staff/leads/export.csv?stage=bogus&score_min=abc")
    assert bad.status_code == 302  # a bad filter is never exported as "everything"
    assert "stage-error" in client.get(bad.headers["Location"]).get_data(as_text=True)
    assert both.id


def test_date_owner_overdue_and_high_value_filters(app, client, coordinator, make_lead):
    old = make_lead(full_name="Old", created_at=dt.datetime(2026, 1, 10, 12))
    late = make_lead(full_name="Late", response_due_at=utcnow() - dt.timedelta(hours=1))
    answered = make_lead(
        full_name="Answered",
        response_due_at=utcnow() - dt.timedelta(hours=1),
        first_response_at=utcnow(),
        high_value=True,
    )
    late.organisation_id = coordinator.organisation_id
    late.owner_id = coordinator.id
    db.session.commit()

    def names(query):
        return {r["full_name"] for r in rows(client.get(f"/staff/leads/export.csv?{query}"))}

    assert names("created_from=2026-01-01&created_to=2026-01-10") == {"Old"}
    assert "Old" not in names("created_from=2026-01-11")
    assert names("overdue=y") == {"Late"}
    assert names("high_value=y") == {"Answered"}
    assert names(f"owner={coordinator.id}") == {"Late"}
    assert names("owner=none") == {"Old", "Answered"}
    assert old.id
    assert answered.id


def test_overdue_leads_are_highlighted(app, client, coordinator, make_lead):
    make_lead(full_name="Late", response_due_at=utcnow() - dt.timedelta(hours=1))
    make_lead(full_name="On time", response_due_at=utcnow() + dt.timedelta(days=1))
    page = client.get("/staff/leads/").get_data(as_text=True)
    assert page.count('<tr class="overdue">') == 1
    assert "overdue" in page.split("Late")[1].split("</tr>")[0]


def test_sorting_and_pagination(app, client, coordinator, make_lead):
    for score in range(60):
        make_lead(full_name=f"Lead {score:02d}", score=score)
    first = client.get("/staff/leads/?sort=-score").get_data(as_text=True)
    assert "Lead 59" in first
    assert "Lead 10" in first
    assert "Lead 09" not in first
    assert "Page 1 of 2" in first
    second = client.get("/staff/leads/?sort=-score&page=2").get_data(as_text=True)
    assert "Lead 09" in second
    assert "Lead 10" not in second
    ascending = rows(client.get("/staff/leads/export.csv?sort=score"))
    assert [int(r["score"]) for r in ascending] == list(range(60))
    by_name = rows(client.get("/staff/leads/export.csv?sort=-name"))
    assert by_name[0]["full_name"] == "Lead 59"
    assert client.get("/staff/leads/?sort=evil;drop").status_code == 200


def test_the_list_runs_a_constant_number_of_queries(app, client, coordinator, make_lead):
    def seed(n):
        for _ in range(n):
            lead = make_lead(countries=("serbia", "kosovo"))
            lead.organisation_id = coordinator.organisation_id
            lead.owner_id = coordinator.id
        db.session.commit()

    def queries(path):
        db.session.expire_all()
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    seed(5)
    few, few_csv = queries("/staff/leads/"), queries("/staff/leads/export.csv")
    seed(45)
    assert queries("/staff/leads/") == few
    assert queries("/staff/leads/export.csv") == few_csv


def test_csv_export_is_safe_against_formula_injection(app, client, coordinator, make_lead):
    make_lead(
        full_name='=HYPERLINK("http://evil")',
        company="+cmd|' /C calc'!A0",
        job_title="@SUM(1)",
        phone="-2+3",
        campaign="\tx",
    )
    response = client.get("/staff/leads/export.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    (row,) = rows(response)
    assert row["full_name"] == '\'=HYPERLINK("http://evil")'
    assert row["company"] == "'+cmd|' /C calc'!A0"
    assert row["job_title"] == "'@SUM(1)"
    assert row["campaign"] == "'\tx"


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@a", "\t1", "\r1"])
def test_safe_cell_prefixes_every_formula_trigger(text):
    assert safe_cell(text) == "'" + text
    assert safe_cell("plain") == "plain"
    assert safe_cell(-5) == -5


# The lead page -------------------------------------------------------------------------------


def test_the_lead_page_shows_inquiries_consent_attribution_and_score(
    app, client, coordinator, make_lead
):
    lead = make_lead(
        job_title="CEO",
        inquiry={"headcount_band": "250+", "utm_campaign": "li-q3", "event_slug": "berlin-2026"},
    )
    lead.inquiries.append(Inquiry(kind="meeting", answers={"message": "Can we meet in Berlin?"}))
    db.session.commit()
    page = client.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)
    assert "We are looking for a nearshore delivery centre." in page
    assert "Can we meet in Berlin?" in page
    assert "li-q3" in page
    assert "berlin-2026" in page
    assert "Consent history" in page
    assert "checkbox" in page
    assert "Planned headcount" in page
    assert "headcount: 250+" in page
    assert "Meeting request" in page
    assert "asked for a meeting" in page
    assert "high value" in page
    assert "CRM not configured" in page
    assert "one country of interest: serbia" in page


def test_a_stage_change_is_audited_and_queued_for_the_crm(app, client, coordinator, make_lead):
    lead = make_lead()
    response = post(
        client,
        f"/staff/leads/{lead.id}/stage",
        {"stage": "contacted", "reason": "called them"},
        lead,
    )
    assert response.status_code == 302
    db.session.refresh(lead)
    assert lead.stage == "contacted"
    entry = db.session.scalars(select(AuditEntry).filter_by(lead_id=lead.id, action="stage")).one()
    assert (entry.actor_id, entry.from_value, entry.to_value) == (
        coordinator.id,
        "new",
        "contacted",
    )
    assert entry.reason == "called them"
    assert entry.created_at
    event = db.session.scalars(select(OutboxEvent).filter_by(kind="lead.stage_changed")).one()
    assert (event.channel, event.lead_id, event.status) == ("crm", lead.id, "pending")
    assert event.payload == {}  # the relay sends the lead's stage as it is when it runs
    assert "called them" in client.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)


def test_lost_and_disqualified_need_a_close_reason(app, client, coordinator, make_lead):
    lead = make_lead()
    refused = post(client, f"/staff/leads/{lead.id}/stage", {"stage": "lost"}, lead)
    assert refused.status_code == 400
    assert "Choose why the lead is closed." in refused.get_data(as_text=True)
    db.session.refresh(lead)
    assert lead.stage == "new"
    assert db.session.scalar(select(OutboxEvent).filter_by(kind="lead.stage_changed")) is None
    ok = post(
        client,
        f"/staff/leads/{lead.id}/stage",
        {"stage": "disqualified", "close_reason": "spam"},
        lead,
    )
    assert ok.status_code == 302
    db.session.refresh(lead)
    assert (lead.stage, lead.close_reason) == ("disqualified", "spam")


def test_the_pipeline_refuses_unknown_stages_and_reasons(app, make_lead):
    lead = make_lead()
    with pytest.raises(pipeline.PipelineError):
        pipeline.change_stage(lead, "teleported", None)
    with pytest.raises(pipeline.PipelineError):
        pipeline.change_stage(lead, "lost", None, close_reason="bored")
    with pytest.raises(pipeline.PipelineError):
        pipeline.change_stage(lead, "new", None)


def test_the_first_staff_action_records_the_response_time(app, client, coordinator, make_lead):
    lead = make_lead(response_due_at=utcnow() + dt.timedelta(days=2))
    client.get(f"/staff/leads/{lead.id}/")
    db.session.refresh(lead)
    assert lead.first_response_at is None  # looking is not answering
    post(client, f"/staff/leads/{lead.id}/notes", {"body": "Sent our deck."}, lead)
    db.session.refresh(lead)
    first = lead.first_response_at
    assert first is not None
    post(client, f"/staff/leads/{lead.id}/stage", {"stage": "contacted"}, lead)
    db.session.refresh(lead)
    assert lead.first_response_at == first


def test_notes_appear_on_the_timeline(app, client, coordinator, make_lead):
    lead = make_lead()
    post(client, f"/staff/leads/{lead.id}/notes", {"body": "Prefers calls <b>after 3</b>."}, lead)
    note = db.session.scalars(select(Note).filter_by(lead_id=lead.id)).one()
    assert note.author_id == coordinator.id
    page = client.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)
    assert "Prefers calls &lt;b&gt;after 3&lt;/b&gt;." in page
    empty = post(client, f"/staff/leads/{lead.id}/notes", {"body": ""}, lead)
    assert empty.status_code == 400


def test_owner_and_organisation_can_be_reassigned(app, client, coordinator, make_lead):
    lead = make_lead()
    lead.organisation_id = org("ipa-serbia").id
    db.session.commit()
    colleague = make_user("sr@example.org", "ipa-serbia", "country")
    response = post(
        client,
        f"/staff/leads/{lead.id}/assign",
        {"organisation": org("ipa-serbia").id, "owner": colleague.id},
        lead,
    )
    assert response.status_code == 302
    db.session.refresh(lead)
    assert lead.owner_id == colleague.id
    moved = post(
        client,
        f"/staff/leads/{lead.id}/assign",
        {"organisation": org("ipa-kosovo").id, "owner": 0, "reason": "wants Kosovo"},
        lead,
    )
    assert moved.status_code == 302
    db.session.refresh(lead)
    assert lead.organisation.slug == "ipa-kosovo"
    assert lead.owner_id is None  # the Serbian owner cannot own a Kosovo lead
    actions = [e.action for e in db.session.scalars(select(AuditEntry).filter_by(lead_id=lead.id))]
    # Nobody at the Kosovo agency takes new leads: the move is flagged, not given to anyone.
    assert actions == ["owner", "organisation", "owner.none_available"]


def test_an_owner_from_another_organisation_is_refused(app, client, coordinator, make_lead):
    lead = make_lead()
    lead.organisation_id = org("ipa-serbia").id
    db.session.commit()
    stranger = make_user("al@example.org", "ipa-albania", "country")
    response = post(
        client,
        f"/staff/leads/{lead.id}/assign",
        {"organisation": org("ipa-serbia").id, "owner": stranger.id},
        lead,
    )
    assert response.status_code == 400
    db.session.refresh(lead)
    assert lead.owner_id is None


def test_failed_crm_events_can_be_retried(app, client, coordinator, make_lead):
    lead = make_lead()
    event = outbox.enqueue("crm", "lead.upserted", lead_id=lead.id)
    db.session.commit()
    outbox.mark_dead(event, "HubSpot said 400: bad property")
    db.session.commit()
    page = client.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)
    assert "HubSpot said 400: bad property" in page
    assert "Retry" in page
    response = post(client, f"/staff/leads/{lead.id}/events/{event.id}/retry", {}, lead)
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.status == "pending"


def test_events_of_another_lead_cannot_be_retried_through_this_one(
    app, client, coordinator, make_lead
):
    lead, other = make_lead(), make_lead()
    event = outbox.enqueue("crm", "lead.upserted", lead_id=other.id)
    db.session.commit()
    outbox.mark_dead(event, "x")
    db.session.commit()
    before = (outbox.DEAD, event.attempts, event.available_at, event.last_error)
    response = post(client, f"/staff/leads/{lead.id}/events/{event.id}/retry", {}, lead)
    assert response.status_code == 404
    db.session.expire_all()
    event = db.session.get(OutboxEvent, event.id)
    assert (event.status, event.attempts, event.available_at, event.last_error) == before


@pytest.mark.parametrize("app_overrides", [{"HUBSPOT_ACCESS_TOKEN": "test-token"}])
def test_no_crm_warning_when_configured(app, client, coordinator, make_lead):
    lead = make_lead()
    assert "CRM not configured" not in client.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)


def test_json_export_holds_everything_about_the_person(app, client, coordinator, make_lead):
    lead = make_lead(phone="+49 30 1234")
    response = client.get(f"/staff/leads/{lead.id}/export.json")
    assert response.mimetype == "application/json"
    document = json.loads(response.get_data(as_text=True))
    assert document["lead"]["email"] == lead.email
    assert document["lead"]["phone"] == "+49 30 1234"
    assert document["inquiries"][0]["answers"]["project_type"] == "delivery_centre"
    assert document["consent_records"][0]["granted"] is True
    assert db.session.scalar(select(AuditEntry).filter_by(action="exported")) is not None


def test_every_staff_page_works_without_javascript(app, client, coordinator, make_lead):
    lead = make_lead()
    for path in (
        "/staff/",
        "/staff/leads/",
        f"/staff/leads/{lead.id}/",
        f"/staff/leads/{lead.id}/erase",
        "/staff/account/",
    ):
        page = client.get(path).get_data(as_text=True)
        assert not EXECUTABLE_SCRIPT.search(page), path
        assert " style=" not in page, path
        assert "<form" in page, path
    assert Lead


def test_staff_pages_name_countries_sectors_and_sources(app, client, coordinator, make_lead):
    lead = make_lead(countries=("north-macedonia",), hq_country="SE", interest="bpo")
    lead.organisation = org("ipa-north-macedonia")
    db.session.commit()
    page = client.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)
    assert "North Macedonia" in page
    assert "Sweden" in page
    assert "BPO and customer experience" in page
    assert "Inquiry form" in page
    listing = client.get("/staff/leads/").get_data(as_text=True)
    assert "North Macedonia" in listing
    assert "north-macedonia</td>" not in listing
    assert lead.organisation.name in listing
    dashboard = client.get("/staff/").get_data(as_text=True)
    assert "Sweden" in dashboard
    assert "BPO and customer experience" in dashboard
