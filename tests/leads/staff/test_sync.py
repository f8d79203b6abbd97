"""The sync page: queue counts, failed and dead events with reasons, retry, access by lead."""

from sqlalchemy import select

from core.extensions import db
from leads.models import Organisation, OutboxEvent
from leads.queue import outbox
from tests.support.staff import csrf_token, login, make_user


def failed_event(lead, error, channel="crm"):
    event = outbox.enqueue(channel, "lead.upserted", lead_id=lead.id)
    db.session.flush()
    outbox.mark_dead(event, error)
    db.session.commit()
    return event


def org_id(slug):
    return db.session.scalar(select(Organisation.id).filter_by(slug=slug))


def test_coordinators_see_every_problem_with_its_reason_and_can_retry(app, client, make_lead):
    lead = make_lead()
    event = failed_event(lead, "HubSpot 400: Email address is invalid (correlation id abc)")
    login(client, make_user())

    page = client.get("/staff/sync/").get_data(as_text=True)
    assert "Email address is invalid (correlation id abc)" in page
    assert f"/staff/leads/{lead.id}/" in page
    assert "CRM not configured" in page

    token = csrf_token(client, "/staff/sync/")
    response = client.post(
        f"/staff/leads/{lead.id}/events/{event.id}/retry",
        data={"csrf_token": token, "back": "sync"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff/sync/")
    assert db.session.get(OutboxEvent, event.id).status == outbox.PENDING
    assert "Nothing has failed." in client.get("/staff/sync/").get_data(as_text=True)


def test_country_users_see_only_their_organisations_problems(app, client, make_lead):
    mine = make_lead(organisation_id=org_id("ipa-serbia"))
    theirs = make_lead(organisation_id=org_id("ipa-albania"))
    failed_event(mine, "timeout talking to HubSpot (mine)")
    other = failed_event(theirs, "timeout talking to HubSpot (theirs)")
    login(client, make_user("rs@example.org", org="ipa-serbia", role="country"))

    page = client.get("/staff/sync/").get_data(as_text=True)
    assert "(mine)" in page
    assert "(theirs)" not in page

    token = csrf_token(client, "/staff/sync/")
    response = client.post(
        f"/staff/leads/{theirs.id}/events/{other.id}/retry", data={"csrf_token": token}
    )
    assert response.status_code == 404
    assert db.session.get(OutboxEvent, other.id).status == outbox.DEAD


def test_the_sync_page_needs_a_login(client):
    response = client.get("/staff/sync/")
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]
