"""What the roadshow team changes in HubSpot comes back: webhooks, the pull, conflict rules."""

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.extensions import db
from leads.common.access import Capability, can
from leads.crm import adapter, inbound, intake, relay
from leads.crm import status as crm_status
from leads.crm.settings import SCHEMA_KEY, setting
from leads.crm.webhooks import to_ms
from leads.lifecycle import outcomes, pipeline, referrals
from leads.lifecycle.audit import Action
from leads.models import (
    AuditEntry,
    Lead,
    Organisation,
    OutboxEvent,
    Referral,
    ReferralStatus,
    utcnow,
)
from leads.queue import outbox
from tests.support.inbound import (
    PATH,
    apply,
    deliver,
    deliver_queued,
    inbound_settings,
    synced_lead,
)
from tests.support.staff import login, make_user


@pytest.fixture
def app_overrides(hubspot_double, api_version):
    return inbound_settings(hubspot_double, api_version)


@pytest.fixture
def setup_done(app):
    return adapter.run_setup()


@pytest.fixture
def deal_lead(setup_done, make_lead):
    """A qualified lead of the Serbian IPA, with its contact and deal in the double."""
    serbia = db.session.scalar(select(Organisation.id).filter_by(slug="ipa-serbia"))
    return synced_lead(make_lead, stage="qualified", organisation_id=serbia)


def inbound_events():
    return list(
        db.session.scalars(select(OutboxEvent).where(OutboxEvent.channel == intake.CHANNEL))
    )


def crm_events_waiting():
    return db.session.scalar(
        select(func.count()).where(
            OutboxEvent.channel == "crm",
            OutboxEvent.status.in_((outbox.PENDING, outbox.FAILED)),
        )
    )


def audit_actions(lead):
    return [
        e.action
        for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.lead_id == lead.id).order_by(AuditEntry.id)
        )
    ]


def test_a_deal_moved_to_meeting_reaches_the_lead_through_a_webhook(
    app, client, hubspot_double, deal_lead
):
    hubspot_double.move_deal(deal_lead.crm_deal_id, "Meeting")
    before = len(hubspot_double.requests)

    response = deliver_queued(client, hubspot_double)

    assert response.status_code == 204
    db.session.refresh(deal_lead)
    assert deal_lead.stage == "qualified"  # stored, not applied in the request
    assert [e.status for e in inbound_events()] == [outbox.PENDING]

    report = apply()

    assert report.applied == 1
    db.session.refresh(deal_lead)
    assert deal_lead.stage == "meeting"
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == inbound.ACTION_STAGE)
    ).one()
    assert (entry.actor_id, entry.from_value, entry.to_value) == (None, "qualified", "meeting")
    assert "HubSpot" in entry.reason
    # Loop safety: nothing is queued for HubSpot, and the relay sends nothing.
    assert crm_events_waiting() == 0
    relay.sync()
    assert len(hubspot_double.requests) == before
    assert crm_status.status()["inbound_applied"] == 1


def test_with_webhooks_off_flask_crm_pull_brings_the_move(app, runner, hubspot_double, deal_lead):
    hubspot_double.move_deal(deal_lead.crm_deal_id, "Meeting")
    hubspot_double.take_webhook_events()  # never sent

    since = (utcnow() - dt.timedelta(hours=1)).isoformat(timespec="seconds")
    result = runner.invoke(args=["crm", "pull", "--since", since])

    assert result.exit_code == 0, result.output
    assert "applied 1" in result.output
    db.session.refresh(deal_lead)
    assert deal_lead.stage == "meeting"
    assert any(r.path.endswith("/search") for r in hubspot_double.requests)
    status = json.loads(runner.invoke(args=["crm", "status", "--json"]).output)
    assert status["last_pull"] is not None
    assert status["inbound_applied"] == 1
    # A second pull from the cursor reads the deal again (overlap) and changes nothing.
    again = runner.invoke(args=["crm", "pull"])
    assert again.exit_code == 0, again.output
    assert "applied 0" in again.output
    assert audit_actions(deal_lead).count(inbound.ACTION_STAGE) == 1


def test_a_duplicate_event_is_stored_once_and_a_stale_one_changes_nothing(
    app, client, hubspot_double, deal_lead
):
    newer_time = utcnow()
    hubspot_double.move_deal(deal_lead.crm_deal_id, "Site visit")
    (site_visit,) = hubspot_double.take_webhook_events()
    hubspot_double.move_deal(deal_lead.crm_deal_id, "Meeting")
    (meeting,) = hubspot_double.take_webhook_events()
    # HubSpot delivers the later change first, then retries it, then the older one.
    site_visit["occurredAt"] = to_ms(newer_time)
    meeting["occurredAt"] = to_ms(newer_time - dt.timedelta(minutes=1))

    assert deliver(client, [site_visit]).status_code == 204
    assert deliver(client, [dict(site_visit, attemptNumber=1)]).status_code == 204
    assert len(inbound_events()) == 1
    assert deliver(client, [meeting]).status_code == 204
    report = apply()

    db.session.refresh(deal_lead)
    assert deal_lead.stage == "site_visit"
    assert (report.applied, report.ignored) == (1, 1)
    stale = next(e for e in inbound_events() if e.status == outbox.IGNORED)
    assert "older than the change here" in stale.last_error
    assert audit_actions(deal_lead).count(inbound.ACTION_STAGE) == 1


def test_a_change_made_here_is_not_overwritten_by_an_older_hubspot_value(
    app, client, hubspot_double, deal_lead
):
    hubspot_double.move_deal(deal_lead.crm_deal_id, "Meeting")
    (event,) = hubspot_double.take_webhook_events()
    event["occurredAt"] = to_ms(utcnow() - dt.timedelta(seconds=30))
    pipeline.change_stage(deal_lead, "site_visit", None)  # not yet sent to HubSpot
    db.session.commit()

    deliver(client, [event])
    apply()

    db.session.refresh(deal_lead)
    assert deal_lead.stage == "site_visit"
    assert crm_events_waiting() == 1


def test_a_pulled_value_waits_for_a_local_change_not_yet_sent(
    app, runner, hubspot_double, deal_lead
):
    pipeline.change_stage(deal_lead, "site_visit", None)
    db.session.commit()
    hubspot_double.move_deal(deal_lead.crm_deal_id, "Meeting")  # e.g. a later edit of the deal

    runner.invoke(args=["crm", "pull", "--since", "2026-01-01"])

    db.session.refresh(deal_lead)
    assert deal_lead.stage == "site_visit"
    ignored = [e for e in inbound_events() if e.status == outbox.IGNORED]
    assert any("not yet sent" in e.last_error for e in ignored)


def test_the_echo_of_our_own_change_does_nothing(app, client, hubspot_double, deal_lead):
    pipeline.change_stage(deal_lead, "meeting", None)
    db.session.commit()
    relay.sync()
    # HubSpot reports the change the relay made, as a property change of the deal.
    stage_id = setting(SCHEMA_KEY)["stage_ids"]["meeting"]
    echo = hubspot_double.queue_event(
        "deal.propertyChange",
        deal_lead.crm_deal_id,
        propertyName="dealstage",
        propertyValue=stage_id,
        changeSource="INTEGRATION",
    )
    hubspot_double.take_webhook_events()
    entries = len(audit_actions(deal_lead))

    deliver(client, [echo])
    report = apply()

    assert report.ignored == 1
    assert len(audit_actions(deal_lead)) == entries
    assert crm_events_waiting() == 0


def test_a_close_in_hubspot_marks_the_outcome_to_complete(app, client, hubspot_double, deal_lead):
    hubspot_double.move_deal(deal_lead.crm_deal_id, "Lost")
    deliver_queued(client, hubspot_double)
    apply()

    db.session.refresh(deal_lead)
    assert (deal_lead.stage, deal_lead.close_reason) == ("lost", None)
    assert deal_lead.outcome_to_complete
    # Staff complete it here with what the gateway asks for: a reason alone is not enough for a
    # lost lead, which also names the location chosen instead (leads.lifecycle.outcomes).
    pipeline.change_stage(deal_lead, "lost", None, close_reason="budget")
    assert deal_lead.outcome_to_complete
    outcome = outcomes.Outcome(lost_to="bulgaria")
    pipeline.change_stage(deal_lead, "lost", None, close_reason="budget", outcome=outcome)
    assert not deal_lead.outcome_to_complete
    assert deal_lead.lost_to == "bulgaria"


def test_a_privacy_deletion_erases_the_person_without_a_delete_sent_back(
    app, client, hubspot_double, deal_lead
):
    email = deal_lead.email
    hubspot_double.privacy_delete_contact(deal_lead.crm_contact_id)
    deliver_queued(client, hubspot_double)
    apply()

    db.session.refresh(deal_lead)
    assert deal_lead.erased_at is not None
    assert deal_lead.email is None
    assert deal_lead.full_name == ""
    assert db.session.scalar(select(Lead).where(Lead.email == email)) is None
    erasures = db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.kind == "contact.erase")
    ).all()
    assert erasures == []
    relay.sync()
    assert hubspot_double.gdpr_deleted == []
    (event,) = inbound_events()
    assert event.status == outbox.DONE
    assert event.payload == {}


@pytest.mark.parametrize("erase_on_delete", [False, True])
def test_an_ordinary_contact_deletion_erases_only_when_configured(
    app, client, hubspot_double, deal_lead, erase_on_delete
):
    app.config["HUBSPOT_ERASE_ON_DELETE"] = erase_on_delete
    hubspot_double.delete_contact(deal_lead.crm_contact_id)
    deliver_queued(client, hubspot_double)
    apply()

    db.session.refresh(deal_lead)
    assert (deal_lead.erased_at is not None) is erase_on_delete
    assert deal_lead.crm_contact_id is None


def test_merged_contacts_re_point_the_leads_to_the_survivor(
    app, client, hubspot_double, setup_done, make_lead
):
    kept = synced_lead(make_lead)
    merged = synced_lead(make_lead)
    hubspot_double.merge_contacts(kept.crm_contact_id, merged.crm_contact_id)

    deliver_queued(client, hubspot_double)
    apply()

    db.session.refresh(merged)
    assert merged.crm_contact_id == kept.crm_contact_id
    assert inbound.ACTION_MERGED in audit_actions(merged)


def test_a_merge_is_also_found_by_the_pull(app, runner, hubspot_double, setup_done, make_lead):
    kept = synced_lead(make_lead)
    merged = synced_lead(make_lead)
    hubspot_double.merge_contacts(kept.crm_contact_id, merged.crm_contact_id)
    hubspot_double.take_webhook_events()

    runner.invoke(args=["crm", "pull", "--since", "2026-01-01"])

    db.session.refresh(merged)
    assert merged.crm_contact_id == kept.crm_contact_id


def test_a_deleted_deal_is_unlinked(app, client, hubspot_double, deal_lead):
    hubspot_double.delete_deal(deal_lead.crm_deal_id)
    deliver_queued(client, hubspot_double)
    apply()
    db.session.refresh(deal_lead)
    assert deal_lead.crm_deal_id is None
    assert deal_lead.stage == "qualified"


def test_owner_changes_match_staff_by_email_or_open_a_referral(
    app, client, hubspot_double, deal_lead
):
    serbian = make_user("ana@ipa-serbia.example", org="ipa-serbia", role="country")
    albanian = make_user("bora@ipa-albania.example", org="ipa-albania", role="country")
    stranger = hubspot_double.add_owner("nobody@example.org")

    hubspot_double.set_deal_owner(deal_lead.crm_deal_id, hubspot_double.add_owner(serbian.email))
    deliver_queued(client, hubspot_double)
    apply()
    db.session.refresh(deal_lead)
    assert deal_lead.owner_id == serbian.id
    assert inbound.ACTION_OWNER in audit_actions(deal_lead)

    # An owner whose organisation cannot see the lead: a referral to that organisation opens
    # (the shared pipeline's referral, which it accepts or declines), nothing moves yet.
    hubspot_double.set_deal_owner(deal_lead.crm_deal_id, hubspot_double.add_owner(albanian.email))
    deliver_queued(client, hubspot_double)
    report = apply()
    assert report.applied == 1
    db.session.refresh(deal_lead)
    assert deal_lead.owner_id == serbian.id
    assert deal_lead.organisation.slug == "ipa-serbia"
    (referral,) = deal_lead.referrals
    assert referral.status == ReferralStatus.PENDING
    assert referral.from_organisation.slug == "ipa-serbia"
    assert referral.to_organisation.slug == "ipa-albania"
    assert referral.created_by_id is None  # no person here made it: HubSpot did
    assert albanian.email in referral.message
    assert referrals.pending_for(albanian.organisation) == [referral]
    assert Action.REFERRAL_SENT in audit_actions(deal_lead)
    assert "referral.requested" not in audit_actions(deal_lead)  # the old audit-line mechanism
    assert can(albanian, deal_lead, Capability.ANSWER_REFERRAL)

    hubspot_double.set_deal_owner(deal_lead.crm_deal_id, stranger)
    deliver_queued(client, hubspot_double)
    report = apply()
    assert report.ignored == 1
    assert any(r.path.startswith("/crm/v3/owners/") for r in hubspot_double.requests)


def test_an_owner_set_while_a_referral_is_pending_is_recorded_for_staff_not_referred(
    app, client, hubspot_double, deal_lead
):
    serbian = make_user("ana@ipa-serbia.example", org="ipa-serbia", role="coordinator")
    albanian = make_user("bora@ipa-albania.example", org="ipa-albania", role="country")
    kosovar = make_user("dita@ipa-kosovo.example", org="ipa-kosovo", role="country")
    hubspot_double.set_deal_owner(deal_lead.crm_deal_id, hubspot_double.add_owner(albanian.email))
    deliver_queued(client, hubspot_double)
    apply()
    (first,) = db.session.scalars(select(Referral)).all()

    hubspot_double.set_deal_owner(deal_lead.crm_deal_id, hubspot_double.add_owner(kosovar.email))
    deliver_queued(client, hubspot_double)
    report = apply()
    assert report.applied == 1
    db.session.refresh(deal_lead)
    assert db.session.scalars(select(Referral)).all() == [first]  # no second referral
    assert first.to_organisation.slug == "ipa-albania"
    assert deal_lead.organisation.slug == "ipa-serbia"
    (line,) = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == inbound.ACTION_OWNER_NOT_TAKEN)
    ).all()
    assert line.lead_id == deal_lead.id
    assert line.actor_id is None
    assert line.to_value == kosovar.email
    assert "ipa-kosovo" in line.reason
    assert "a referral to ipa-albania is already pending" in line.reason

    # Staff see the referral in the lead's referrals and the owner change in its timeline;
    # the old "Referral requested" line is gone.
    login(client, serbian)
    page = client.get(f"/staff/leads/{deal_lead.id}/").get_data(as_text=True)
    referrals_section = page[page.index('<section id="referrals">') :]
    assert albanian.email in referrals_section.split("</section>")[0]
    assert inbound.ACTION_OWNER_NOT_TAKEN in page
    assert kosovar.email in page
    assert "Referral requested" not in page


def test_an_owner_set_for_a_lead_with_no_organisation_is_recorded_for_staff(
    app, client, hubspot_double, setup_done, make_lead
):
    albanian = make_user("bora@ipa-albania.example", org="ipa-albania", role="country")
    lead = synced_lead(make_lead, stage="qualified")
    assert lead.organisation_id is None
    assert lead.crm_deal_id

    hubspot_double.set_deal_owner(lead.crm_deal_id, hubspot_double.add_owner(albanian.email))
    deliver_queued(client, hubspot_double)
    apply()
    db.session.refresh(lead)
    assert lead.referrals == []
    assert lead.owner_id is None
    (line,) = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == inbound.ACTION_OWNER_NOT_TAKEN)
    ).all()
    assert line.lead_id == lead.id
    assert line.to_value == albanian.email
    assert "no owning organisation" in line.reason


def test_unknown_subscription_types_are_recorded_and_ignored(app, client, hubspot_double):
    events = [
        hubspot_double.queue_event("ticket.creation", "55"),
        hubspot_double.queue_event("deal.propertyChange", "56", propertyName="amount"),
    ]
    assert deliver(client, events).status_code == 204
    report = apply()
    assert report.ignored == 2
    reasons = sorted(e.last_error for e in inbound_events())
    assert "not handled" in reasons[1]
    assert "not synced back" in reasons[0]
    assert crm_status.status()["inbound_ignored"] == 2


@pytest.mark.parametrize(
    "spoil",
    [
        {"signature": "bm90IHRoZSBzaWduYXR1cmU="},
        {"timestamp_ms": to_ms(utcnow() - dt.timedelta(minutes=6))},
        {"v1_only": True},
    ],
)
def test_a_bad_signature_or_an_old_timestamp_is_401_and_changes_nothing(
    app, client, hubspot_double, deal_lead, spoil
):
    hubspot_double.move_deal(deal_lead.crm_deal_id, "Meeting")
    response = deliver_queued(client, hubspot_double, **spoil)
    assert response.status_code == 401
    assert response.get_data() == b""
    assert inbound_events() == []


def test_the_signature_is_checked_against_leads_url_not_what_the_app_sees(
    app, client, hubspot_double
):
    event = hubspot_double.queue_event("deal.creation", "57")
    from tests.hubspot_double.server import webhook_request

    body, headers = webhook_request(
        [event], uri=f"http://localhost{PATH}", secret="hubspot-client-secret"
    )
    assert client.post(PATH, data=body, headers=headers).status_code == 401
    assert deliver(client, [event]).status_code == 204


def test_without_a_client_secret_every_webhook_is_refused(app, client, hubspot_double):
    app.config["HUBSPOT_CLIENT_SECRET"] = None
    assert deliver(client, [hubspot_double.queue_event("deal.creation", "58")]).status_code == 401


def test_a_malformed_body_is_400_and_the_endpoint_takes_posts_only(app, client):
    from tests.hubspot_double.server import webhook_request

    body, headers = webhook_request([], uri="https://leads.example.org" + PATH, secret="x")
    app.config["HUBSPOT_CLIENT_SECRET"] = "x"
    assert client.post(PATH, data=body, headers=headers).status_code == 400
    assert client.get(PATH).status_code == 405
    assert inbound_events() == []


FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=20), children, max_size=5)
    ),
    max_leaves=20,
)
event_like = st.fixed_dictionaries(
    {},
    optional={
        "eventId": st.integers(-5, 10**20) | st.text(max_size=10),
        "objectId": st.integers(-5, 10**20) | st.text(max_size=10),
        "occurredAt": st.integers(-(10**16), 10**16) | st.floats(),
        "subscriptionType": st.sampled_from([*intake.HANDLED_TYPES, "object.propertyChange", "x"])
        | st.text(max_size=30),
        "propertyName": st.sampled_from(["dealstage", "hubspot_owner_id", "amount"]),
        "propertyValue": json_values,
        "mergedObjectIds": json_values,
        "objectTypeId": st.sampled_from(["0-1", "0-3", "0-2"]),
    },
)
bodies = (
    st.binary(max_size=300)
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.lists(event_like, max_size=5).map(lambda v: json.dumps(v).encode())
)


@FUZZ
@given(body=bodies)
def test_no_fuzzed_body_makes_a_server_error(app, client, body):
    from tests.hubspot_double.server import sign_v3
    from tests.support.inbound import LEADS_URL, SECRET

    stamp = str(to_ms(utcnow()))
    signature = sign_v3(SECRET, "POST", LEADS_URL + PATH, body, stamp)
    signed = client.post(
        PATH,
        data=body,
        headers={"X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": stamp},
    )
    assert signed.status_code in (204, 400)
    assert client.post(PATH, data=body).status_code == 401
    # And whatever was stored, the worker applies without failing.
    report = apply()
    assert report.failed == 0, report.errors


def test_the_sync_page_lists_inbound_failures_and_the_lead_page_the_outcome_to_complete(
    app, client, hubspot_double, deal_lead
):
    hubspot_double.move_deal(deal_lead.crm_deal_id, "Investment won")
    hubspot_double.set_deal_owner(deal_lead.crm_deal_id, "123")  # HubSpot knows no such owner
    hubspot_double.fail_next(5, status=503, path_contains="/owners/")
    deliver_queued(client, hubspot_double)
    app.config["HUBSPOT_MAX_ATTEMPTS"] = 1
    report = apply()
    assert (report.applied, report.failed) == (1, 1)
    login(client, make_user())

    page = client.get("/staff/sync/").get_data(as_text=True)
    assert intake.CHANNEL in page
    assert "503 INTERNAL_ERROR internal error" in page
    assert "1 failed" in page
    lead_page = client.get(f"/staff/leads/{deal_lead.id}/").get_data(as_text=True)
    assert "outcome to complete" in lead_page
    assert inbound.ACTION_STAGE in lead_page


def test_the_same_batch_delivered_twice_at_once_is_stored_once(app, hubspot_double):
    import threading

    from leads.crm import webhooks

    events = [hubspot_double.queue_event("deal.creation", str(60 + n)) for n in range(20)]
    batch = webhooks.parse_batch(json.dumps(events).encode())
    barrier = threading.Barrier(4)
    errors = []

    def deliver_once():
        with app.app_context():
            try:
                barrier.wait()
                intake.store_webhook_batch(batch)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=deliver_once) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(inbound_events()) == 20
