"""The CRM relay delivers every lead once, with its company, deal, notes and associations."""

import json

import pytest
from sqlalchemy import select

from core.extensions import db
from leads.crm import adapter, relay, settings
from leads.crm import properties as p
from leads.crm import status as crm_status
from leads.crm.base import NullCRM
from leads.models import Inquiry, Lead, OutboxEvent, Setting, utcnow
from leads.queue import events, outbox
from leads.queue.events import Kind
from tests.support.crm import assert_delivered_once, crm_settings, make_due, queue_leads


@pytest.fixture
def app_overrides(hubspot_double, api_version):
    """Point the app's CRM settings at the double."""
    return crm_settings(hubspot_double, api_version, HUBSPOT_TIMEOUT=2.0, HUBSPOT_MAX_ATTEMPTS=3)


@pytest.fixture
def setup_done(app):
    """Run ``flask crm setup`` against the double."""
    return adapter.run_setup()


NOTHING_INBOUND = {
    "inbound_received": 0,
    "inbound_waiting": 0,
    "inbound_applied": 0,
    "inbound_ignored": 0,
    "inbound_failed": 0,
    "last_pull": None,
}


def test_sync_delivers_leads_with_company_deal_notes_and_associations(
    app, hubspot_double, setup_done, make_lead
):
    leads = queue_leads(make_lead, 3)
    qualified = make_lead(stage="qualified", score=70)
    events.enqueue_lead_upserted(qualified.id)
    db.session.commit()

    report = relay.sync()

    assert report.done == 4
    assert report.failed == report.dead == 0
    assert_delivered_once(hubspot_double, [*leads, qualified])
    (deal,) = hubspot_double.objects["deals"].values()
    assert deal["id"] == qualified.crm_deal_id
    assert deal["properties"][p.DEALSTAGE] == setup_done["stage_ids"]["qualified"]
    assert deal["properties"][p.PIPELINE] == setup_done["pipeline_id"]
    assert hubspot_double.associated("deals", deal["id"], "contacts") == {qualified.crm_contact_id}
    assert hubspot_double.associated("deals", deal["id"], "companies") == {qualified.crm_company_id}
    contact = hubspot_double.objects["contacts"][qualified.crm_contact_id]["properties"]
    assert contact[p.WBO_LEAD_ID] == str(qualified.id)
    assert contact[p.WBO_SCORE] == "70"
    assert contact[p.LIFECYCLE_STAGE] == "salesqualifiedlead"
    assert crm_status.status()["done"] == 4
    assert leads[0].crm_synced_at is not None


def test_stage_change_moves_the_same_deal_without_new_notes(
    app, hubspot_double, setup_done, make_lead
):
    (lead,) = queue_leads(make_lead, 1, stage="qualified")
    relay.sync()
    deal_id = lead.crm_deal_id
    lead.stage = "meeting"
    events.enqueue_lead_upserted(lead.id)
    db.session.commit()
    before = len(hubspot_double.requests)

    relay.sync()

    assert lead.crm_deal_id == deal_id
    assert len(hubspot_double.objects["deals"]) == 1
    deal = hubspot_double.objects["deals"][deal_id]
    assert deal["properties"][p.DEALSTAGE] == setup_done["stage_ids"]["meeting"]
    assert len(hubspot_double.objects["notes"]) == 1
    paths = [r.path for r in hubspot_double.requests[before:]]
    assert not any("associat" in path or "/notes/" in path for path in paths)


def test_lost_after_qualified_closes_the_deal_but_never_opens_one(
    app, hubspot_double, setup_done, make_lead
):
    qualified, never = queue_leads(make_lead, 2, stage="qualified")
    never.stage = "lost"
    db.session.commit()
    relay.sync()
    assert never.crm_deal_id is None
    qualified.stage = "lost"
    events.enqueue_lead_upserted(qualified.id)
    db.session.commit()
    relay.sync()
    deal = hubspot_double.objects["deals"][qualified.crm_deal_id]
    assert deal["properties"][p.DEALSTAGE] == setup_done["stage_ids"]["lost"]
    assert len(hubspot_double.objects["deals"]) == 1


def test_without_a_token_events_wait_safely(app, make_lead):
    queue_leads(make_lead, 2)
    report = relay.run_once(NullCRM())
    assert "not configured" in report.skipped
    assert crm_status.status()["pending"] == 2


def test_without_setup_events_wait(app, hubspot_double, make_lead):
    queue_leads(make_lead, 2)
    report = relay.run_once()
    assert "flask crm setup" in report.skipped
    assert crm_status.status()["pending"] == 2
    assert hubspot_double.requests == []


def test_hubspot_down_for_the_whole_first_run_then_back(app, hubspot_double, setup_done, make_lead):
    leads = queue_leads(make_lead, 30, stage="qualified")
    hubspot_double.stop()

    report = relay.sync()

    assert report.failed == 30
    assert report.done == 0
    assert crm_status.status()["failed"] == 30
    assert all(lead.crm_contact_id is None for lead in leads)

    hubspot_double.start()
    make_due()
    report = relay.sync()

    assert report.done == 30
    assert_delivered_once(hubspot_double, leads)
    assert len(hubspot_double.objects["deals"]) == 30
    assert crm_status.status() | {"last_success": None} == {
        "pending": 0,
        "in_flight": 0,
        "failed": 0,
        "dead": 0,
        "done": 30,
        "last_success": None,
        **NOTHING_INBOUND,
    }


def test_failure_midway_through_a_batch_is_retried_without_duplicates(
    app, hubspot_double, setup_done, make_lead
):
    leads = queue_leads(make_lead, 20, stage="qualified")
    hubspot_double.fail_next(1, status=502, path_contains="/associat")

    relay.sync()
    assert crm_status.status()["failed"] == 20
    make_due()
    relay.sync()

    assert crm_status.status()["done"] == 20
    assert_delivered_once(hubspot_double, leads)
    assert len(hubspot_double.objects["deals"]) == 20


def test_slow_answers_time_out_and_the_retry_does_not_double(
    app, hubspot_double, setup_done, make_lead
):
    leads = queue_leads(make_lead, 5)
    hubspot_double.slow_next(1, delay=3.0, path_contains="/notes/")

    relay.sync()
    make_due()
    relay.sync()

    assert crm_status.status()["done"] == 5
    assert_delivered_once(hubspot_double, leads)


def test_rejected_input_goes_dead_with_message_others_arrive(
    app, hubspot_double, setup_done, make_lead
):
    good, bad = queue_leads(make_lead, 2)
    hubspot_double.reject(bad.email, f"Email address {bad.email} is invalid")

    report = relay.sync()

    assert report.done == 1
    assert report.dead == 1
    assert_delivered_once(hubspot_double, [good])
    (problem,) = outbox.problem_events(channel="crm")
    assert problem.lead_id == bad.id
    assert problem.status == outbox.DEAD
    assert f"{bad.email} is invalid" in problem.last_error
    assert "correlation id" in problem.last_error


def test_server_errors_retry_then_dead_then_staff_retry_delivers(
    app, hubspot_double, setup_done, make_lead
):
    (lead,) = queue_leads(make_lead, 1)
    for _attempt in range(3):
        hubspot_double.fail_next(1, status=500)
        relay.sync()
        make_due()
    (problem,) = outbox.problem_events(channel="crm")
    assert problem.status == outbox.DEAD
    assert problem.attempts == 3
    assert "500" in problem.last_error

    outbox.retry(problem)  # what the staff area's retry button does
    db.session.commit()
    relay.sync()

    assert outbox.problem_events(channel="crm") == []
    assert_delivered_once(hubspot_double, [lead])


def test_daily_limit_pauses_the_relay_until_reset(app, hubspot_double, setup_done, make_lead):
    leads = queue_leads(make_lead, 3)
    hubspot_double.daily_limit_reached = True

    report = relay.sync()

    assert report.paused_until is not None
    assert report.paused_until > utcnow()
    assert crm_status.paused_until() == report.paused_until
    assert crm_status.status()["pending"] == 3
    events = db.session.scalars(select(OutboxEvent)).all()
    assert all(e.attempts == 0 for e in events)
    sent = len(hubspot_double.requests)
    assert "paused" in relay.run_once().skipped
    assert len(hubspot_double.requests) == sent

    # Midnight passes and HubSpot's counter resets.
    hubspot_double.daily_limit_reached = False
    db.session.get(Setting, settings.PAUSE_KEY).value = {"until": "2000-01-01T00:00:00"}
    db.session.commit()
    relay.sync()
    assert_delivered_once(hubspot_double, leads)


def test_erasure_deletes_the_contact_and_cancels_pending_events(
    app, hubspot_double, setup_done, make_lead
):
    from leads.privacy.erase import erase_email

    (lead,) = queue_leads(make_lead, 1)
    relay.sync()
    email = lead.email
    events.enqueue_lead_upserted(lead.id)
    db.session.commit()
    assert erase_email(email)

    relay.sync()

    assert hubspot_double.find("contacts", "email", email) == []
    assert hubspot_double.gdpr_deleted == [email]
    statuses = sorted(e.status for e in db.session.scalars(select(OutboxEvent)))
    assert statuses == ["cancelled", "done", "done"]
    erase = db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.kind == Kind.CONTACT_ERASE)
    ).one()
    assert erase.payload == {}


def test_erasure_of_a_contact_known_by_email_only(app, hubspot_double, setup_done, make_lead):
    (lead,) = queue_leads(make_lead, 1)
    relay.sync()
    email = lead.email
    events.enqueue_erasure(None, email, contact_id="999999")  # a stale id, then the address
    db.session.commit()
    relay.sync()
    assert hubspot_double.gdpr_deleted == [email]
    assert crm_status.status()["done"] == 2


def test_a_thousand_leads_take_a_few_dozen_calls(app, hubspot_double, setup_done, make_lead):
    leads = queue_leads(make_lead, 1000)
    before = len(hubspot_double.requests)

    report = relay.sync()

    calls = len(hubspot_double.requests) - before
    assert report.done == 1000
    assert calls <= 60, calls
    assert len(hubspot_double.objects["contacts"]) == 1000
    assert len(hubspot_double.objects["notes"]) == 1000
    db.session.expire_all()
    assert db.session.scalar(select(Lead).where(Lead.crm_contact_id.is_(None))) is None
    assert db.session.scalar(select(Inquiry).where(Inquiry.crm_note_id.is_(None))) is None
    assert hubspot_double.peak(10.0) <= 100
    print(f"\n1,000 new leads: {calls} API calls, peak {hubspot_double.peak(10.0)} per 10 s")
    del leads


def test_cli_setup_sync_status(app, runner, hubspot_double, make_lead):
    queue_leads(make_lead, 2)
    result = runner.invoke(args=["crm", "status", "--json"])
    assert json.loads(result.output) == {
        "pending": 2,
        "in_flight": 0,
        "failed": 0,
        "dead": 0,
        "done": 0,
        "last_success": None,
        **NOTHING_INBOUND,
    }
    result = runner.invoke(args=["crm", "setup"])
    assert result.exit_code == 0, result.output
    assert "stage qualified" in result.output
    again = runner.invoke(args=["crm", "setup"])
    assert again.output == result.output

    result = runner.invoke(args=["crm", "sync"])
    assert result.exit_code == 0, result.output
    assert "done 2" in result.output

    status = json.loads(runner.invoke(args=["crm", "status", "--json"]).output)
    assert status["done"] == 2
    assert status["pending"] == 0
    assert status["last_success"] is not None
    text = runner.invoke(args=["crm", "status"]).output
    assert "configured\tyes" in text
    assert "done\t2" in text


def test_without_a_token_the_app_uses_the_null_crm(app, make_lead, runner):
    app.config["HUBSPOT_ACCESS_TOKEN"] = None
    app.extensions.pop("crm", None)
    queue_leads(make_lead, 1)
    assert not adapter.get_crm().configured
    result = runner.invoke(args=["crm", "sync"])
    assert "not configured" in result.output
    assert "configured\tno" in runner.invoke(args=["crm", "status"]).output
    assert crm_status.status()["pending"] == 1


def test_captured_leads_arrive_with_every_inquiry_as_a_note(app, runner, hubspot_double):
    from leads.capture.service import ConsentProof, Submission, record_submission

    def submit(email, message, company="Novak GmbH"):
        return record_submission(
            Submission(
                kind="inquiry",
                email=email,
                consent=ConsentProof("answer_inquiry", "2026-11-01", "a" * 64, "contact", "/"),
                lead={"full_name": "Jan Novak", "company": company, "interest": "bpo"},
                inquiry={"sector": "bpo", "message": message},
                countries=("serbia", "albania"),
                answers={"message": message},
                attribution={"utm_campaign": "vienna-roadshow"},
            )
        )

    first = submit("jan@novak-gmbh.at", "We plan a 40-seat service desk.")
    again = submit("JAN@novak-gmbh.at", "Could we meet in Vienna?")
    other = submit("eva@example.se", "Looking at Kosovo for a dev team.", company="Eva AB")
    assert again.lead_id == first.lead_id

    assert runner.invoke(args=["crm", "setup"]).exit_code == 0
    result = runner.invoke(args=["crm", "sync"])
    assert result.exit_code == 0, result.output

    leads = [db.session.get(Lead, first.lead_id), db.session.get(Lead, other.lead_id)]
    assert_delivered_once(hubspot_double, leads)
    assert len(hubspot_double.objects["contacts"]) == 2
    contact = hubspot_double.objects["contacts"][leads[0].crm_contact_id]["properties"]
    assert contact[p.WBO_COUNTRIES] == "albania;serbia"
    assert contact[p.WBO_CAMPAIGN] == "vienna-roadshow"
    bodies = sorted(n["properties"][p.NOTE_BODY] for n in hubspot_double.objects["notes"].values())
    assert any("40-seat service desk" in b for b in bodies)
    assert any("meet in Vienna" in b for b in bodies)
    crm_events = db.session.scalars(select(OutboxEvent).where(OutboxEvent.channel == "crm")).all()
    assert {e.status for e in crm_events} == {outbox.DONE}
    mail_events = db.session.scalars(select(OutboxEvent).where(OutboxEvent.channel == "mail"))
    assert {e.status for e in mail_events} == {outbox.PENDING}
