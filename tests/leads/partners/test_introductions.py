"""Chapters make introductions on the lead page; nothing about the investor goes to a partner
before the investor's consent to that is on record."""

import datetime as dt
import json

import pytest
from sqlalchemy import select

from core.extensions import db
from leads import choices
from leads.crm import payloads as pl
from leads.crm.snapshot import pending_steps, snapshot_of
from leads.lifecycle.audit import Action
from leads.models import AuditEntry, Lead, OutboxEvent
from leads.partners import service
from leads.partners.models import Introduction, IntroStatus
from leads.privacy.consent import withdraw_consent
from tests.support.capture import later, submit  # noqa: F401
from tests.support.staff import login, make_user, post_form

pytestmark = pytest.mark.usefixtures("later")
DAY = dt.date(2026, 12, 1)


def request_intro(client, *, share=False, partner="speeex-education", email="karin@example.se"):
    data = {
        "full_name": "Karin Lindqvist",
        "email": email,
        "company": "Nordic CX AB",
        "partners": [partner],
        "need": "30 German-speaking agents.",
        "consent": "y",
    }
    if share:
        data["share"] = "y"
    response = submit(client, "/partners/introduce/", data)
    assert response.status_code == 303
    db.session.remove()
    return db.session.scalar(select(Lead).where(Lead.email == email))


def step(client, lead, status, partner="speeex-education", on=DAY):
    return post_form(
        client,
        f"/staff/leads/{lead.id}/introductions",
        {"partner": partner, "status": status, "happened_on": on.isoformat()},
    )


def chapter_user(org="absl-kosovo"):
    return make_user(f"chapter@{org}.example.org", org, "country")


def test_without_consent_no_introduction_is_recorded_and_no_text_for_partners(client):
    lead = request_intro(client)
    login(client, chapter_user())
    html = client.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)
    assert "nothing about them may be passed on" in html
    assert "Need, in the investor&#39;s words" not in html
    response = step(client, lead, "introduced")
    assert response.status_code == 400
    assert "has not agreed that their details go to partners" in response.get_data(as_text=True)
    db.session.remove()
    intro = db.session.scalar(select(Introduction))
    assert intro.status == "requested"
    assert intro.steps == []
    assert db.session.scalar(select(OutboxEvent).filter_by(kind="lead.introduction")) is None
    with pytest.raises(service.NoConsent):
        service.partner_brief(db.session.get(Lead, lead.id))


def test_recorded_agreement_then_introduced_meeting_and_contract(client):
    lead = request_intro(client)
    user = chapter_user()
    login(client, user)
    response = post_form(
        client,
        f"/staff/leads/{lead.id}/introductions/consent",
        {"channel": "email"},
        token_from=f"/staff/leads/{lead.id}/",
    )
    assert response.status_code == 302
    assert step(client, lead, "introduced").status_code == 302
    html = client.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)
    assert "Investor: Karin Lindqvist" in html
    assert "Company: Nordic CX AB" in html
    assert step(client, lead, "meeting_held", on=DAY + dt.timedelta(days=7)).status_code == 302
    assert step(client, lead, "contract_signed", on=DAY + dt.timedelta(days=30)).status_code == 302
    assert step(client, lead, "no_fit").status_code == 400  # it already ended
    db.session.remove()
    intro = db.session.scalar(select(Introduction))
    assert intro.status == "contract_signed"
    assert intro.introduced_on == DAY
    assert intro.organisation.slug == "absl-kosovo"
    assert [s.status for s in intro.steps] == ["introduced", "meeting_held", "contract_signed"]
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    for action in (
        Action.INTRO_CONSENT,
        Action.INTRODUCED,
        Action.INTRO_MEETING_HELD,
        Action.INTRO_CONTRACT_SIGNED,
    ):
        assert action.value in actions
    queued = list(db.session.scalars(select(OutboxEvent).filter_by(kind="lead.introduction")))
    assert len(queued) == 3
    assert all(e.channel == "crm" for e in queued)
    lead = db.session.get(Lead, lead.id)
    consent = [c for c in lead.consents if c.purpose == choices.SHARE_WITH_PARTNERS]
    assert consent[0].method == "recorded by staff: given by email"


def test_consent_given_on_the_form_allows_the_introduction_until_withdrawn(client):
    lead = request_intro(client, share=True)
    login(client, chapter_user())
    lead = db.session.get(Lead, lead.id)
    assert service.may_share(lead)
    withdraw_consent(lead, form="test", method="test")
    db.session.commit()
    assert step(client, lead, "introduced").status_code == 400
    with pytest.raises(service.NoConsent):
        service.partner_brief(db.session.get(Lead, lead.id))


def test_the_chapter_may_introduce_a_partner_the_investor_did_not_name(client):
    lead = request_intro(client, share=True)
    login(client, chapter_user())
    assert (
        step(client, lead, "introduced", partner="stikk-kosovo-ict-association").status_code == 302
    )
    db.session.remove()
    slugs = {i.partner_slug: i.status for i in db.session.scalars(select(Introduction))}
    assert slugs == {"speeex-education": "requested", "stikk-kosovo-ict-association": "introduced"}


def test_only_the_owning_chapter_and_coordinators_record_introductions(client):
    lead = request_intro(client, share=True)
    agency = make_user("agency@example.org", "ipa-kosovo", "country")  # informed: reads only
    login(client, agency)
    assert client.get(f"/staff/leads/{lead.id}/").status_code == 200
    assert step(client, lead, "introduced").status_code == 403
    other = make_user("serbia@example.org", "absl-serbia", "country")
    elsewhere = client.application.test_client()
    login(elsewhere, other)
    assert step(elsewhere, lead, "introduced").status_code == 404
    db.session.remove()
    assert db.session.scalar(select(Introduction)).status == "requested"


def test_each_step_becomes_a_note_on_the_contact_without_a_deal(client):
    lead = request_intro(client, share=True)
    login(client, chapter_user())
    step(client, lead, "introduced")
    db.session.remove()
    lead = db.session.get(Lead, lead.id)
    steps = pending_steps([lead.id])[lead.id]
    snap = snapshot_of(lead, steps)
    assert snap.stage == "new"
    assert pl.deal_input(snap, "p", {}) is None
    (note,) = [pl.note_input(s) for s in snap.steps]
    assert note["id"] == note["properties"]["wbo_note_ref"] == pl.step_ref(steps[0].id)
    body = note["properties"]["hs_note_body"]
    assert "Introduction to partners: introduced" in body
    assert "SPEEEX Education" in body
    assert "Karin" not in body  # the note is about the step; the contact holds the person


def test_record_step_refuses_an_outcome_before_the_introduction(app, make_lead):
    lead = make_lead(countries=("kosovo",))
    user = chapter_user()
    partner = service.listed_partner("speeex-education")
    with pytest.raises(service.IntroductionError):
        service.record_step(lead, user, partner, IntroStatus.MEETING_HELD, DAY)


def test_the_persons_export_holds_their_introductions(client, runner):
    lead = request_intro(client, share=True)
    login(client, chapter_user())
    step(client, lead, "introduced")
    result = runner.invoke(args=["privacy", "export", "karin@example.se"])
    assert result.exit_code == 0, result.output
    (intro,) = json.loads(result.output)["introductions"]
    assert intro["partner_name"] == "SPEEEX Education"
    assert intro["status"] == "introduced"
    assert intro["steps"] == [{"status": "introduced", "happened_on": DAY.isoformat()}]
