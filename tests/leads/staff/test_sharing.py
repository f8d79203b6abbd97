"""Shared leads and referrals: the access table holds for every lead URL, role and relation."""

import pytest
from sqlalchemy import func, select

from core.extensions import db
from leads.common.access import (
    CAPABILITIES,
    ENDPOINT_CAPABILITY,
    Capability,
    Relation,
)
from leads.lifecycle import referrals
from leads.models import AuditEntry, Lead, LeadRole, Note, Organisation, OutboxEvent, Referral
from leads.plan.models import PlanStep
from leads.queue.events import Channel, Kind
from tests.support.staff import (
    build_url,
    csrf_token,
    login,
    make_user,
    routed_lead,
    staff_rules,
)


def org(slug):
    return db.session.scalar(select(Organisation).filter_by(slug=slug))


def lead_rules(app):
    return [rule for rule in staff_rules(app) if "lead_id" in rule.arguments]


def test_every_lead_url_needs_a_capability_of_the_table(app):
    endpoints = {rule.endpoint for rule in lead_rules(app)}
    assert endpoints == set(ENDPOINT_CAPABILITY)
    assert CAPABILITIES[Relation.ALL] == frozenset(Capability)
    shared = CAPABILITIES[Relation.SHARED]
    assert shared == {Capability.READ, Capability.NOTE, Capability.CONTACT}
    # Only the roles accountable for the region erase (docs/security.md); owners export.
    assert Capability.EXPORT in CAPABILITIES[Relation.OWNER]
    assert Capability.ERASE not in CAPABILITIES[Relation.OWNER]


# (account email, organisation, role, relation to the walked lead or None)
ACCOUNTS = [
    ("admin@example.org", "absl-western-balkans", "admin", Relation.ALL),
    ("coord@example.org", "absl-western-balkans", "coordinator", Relation.ALL),
    ("owner@example.org", "ipa-serbia", "country", Relation.OWNER),
    ("chapter@example.org", "absl-serbia", "country", Relation.SHARED),
    ("offered@example.org", "ipa-north-macedonia", "country", Relation.REFERRED),
    ("stranger@example.org", "absl-albania", "country", None),
    ("other-ipa@example.org", "ipa-albania", "country", None),
]


@pytest.mark.parametrize(("email", "slug", "role", "relation"), ACCOUNTS)
def test_every_lead_url_follows_the_table_for_every_role(
    app, client, make_lead, email, slug, role, relation
):
    lead = routed_lead(make_lead)
    owner = make_user("sender@example.org", "ipa-serbia", "country")
    referrals.refer(lead, "ipa-north-macedonia", owner, "They want Skopje.")
    event = OutboxEvent(channel=Channel.CRM, kind=Kind.LEAD_UPSERTED, lead_id=lead.id)
    step = PlanStep(lead_id=lead.id, text="Visit Belgrade in March.")
    db.session.add_all([event, step])
    db.session.commit()
    user = make_user(email, slug, role, totp=role == "admin")
    login(client, user)
    token = csrf_token(client, "/staff/account/")
    granted = CAPABILITIES[relation] if relation else frozenset()
    checked = 0
    for rule in lead_rules(app):
        needed = ENDPOINT_CAPABILITY[rule.endpoint]
        url = build_url(rule, lead_id=lead.id, event_id=event.id, step_id=step.id)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            before = _state(lead.id)
            response = client.open(url, method=method, data={"csrf_token": token})
            if relation is None:
                expected = {404}
            elif needed not in granted:
                expected = {403}
            else:
                expected = {200, 302, 400}
            assert response.status_code in expected, (email, method, rule.rule)
            if response.status_code in (403, 404):
                assert _state(lead.id) == before, (email, method, rule.rule)
            checked += 1
    assert checked >= 13


def _state(lead_id):
    db.session.expire_all()
    lead = db.session.get(Lead, lead_id)
    audits = db.session.scalar(select(func.count(AuditEntry.id)).filter_by(lead_id=lead_id))
    notes = db.session.scalar(select(func.count(Note.id)).filter_by(lead_id=lead_id))
    return (lead.stage, lead.organisation_id, lead.owner_id, lead.email, audits, notes)


def test_absl_serbia_reads_and_annotates_but_cannot_change_stage_or_export(app, client, make_lead):
    lead = routed_lead(make_lead)
    assert [(r.organisation.slug, r.role) for r in lead.shared_with] == [
        ("absl-serbia", LeadRole.INFORMED)
    ]
    login(client, make_user("chapter@example.org", "absl-serbia", "country"))
    page = client.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)
    assert lead.email in page
    assert "you may read, add notes and log contacts" in page
    assert f'action="/staff/leads/{lead.id}/stage"' not in page
    assert f"/staff/leads/{lead.id}/export.json" not in page
    token = csrf_token(client, f"/staff/leads/{lead.id}/")
    note = client.post(
        f"/staff/leads/{lead.id}/notes", data={"csrf_token": token, "body": "Met at Belgrade."}
    )
    assert note.status_code == 302
    contact = client.post(
        f"/staff/leads/{lead.id}/contacts",
        data={"csrf_token": token, "channel": "phone", "summary": "Called about office space."},
    )
    assert contact.status_code == 302
    stage = client.post(
        f"/staff/leads/{lead.id}/stage", data={"csrf_token": token, "stage": "contacted"}
    )
    assert stage.status_code == 403
    assert client.get(f"/staff/leads/{lead.id}/export.json").status_code == 403
    csv_text = client.get("/staff/leads/export.csv").get_data(as_text=True)
    assert lead.email not in csv_text
    db.session.refresh(lead)
    assert lead.stage == "new"
    page = client.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)
    assert "Met at Belgrade." in page
    assert "Called about office space." in page


def test_absl_albania_cannot_see_a_serbian_lead(app, client, make_lead):
    lead = routed_lead(make_lead)
    login(client, make_user("al@example.org", "absl-albania", "country"))
    assert client.get(f"/staff/leads/{lead.id}/").status_code == 404
    assert lead.email not in client.get("/staff/leads/").get_data(as_text=True)


def test_the_list_filters_owned_by_us_and_shared_with_us(app, client, make_lead):
    shared = routed_lead(make_lead)
    ours = make_lead(organisation_id=org("absl-serbia").id)
    login(client, make_user("chapter@example.org", "absl-serbia", "country"))
    everything = client.get("/staff/leads/").get_data(as_text=True)
    assert shared.email in everything
    assert ours.email in everything
    assert "shared with us" in everything
    owned = client.get("/staff/leads/?relation=owned").get_data(as_text=True)
    assert ours.email in owned
    assert shared.email not in owned
    only_shared = client.get("/staff/leads/?relation=shared").get_data(as_text=True)
    assert shared.email in only_shared
    assert ours.email not in only_shared


def test_a_several_country_lead_is_shared_with_each_agency_and_chapter(app, client, make_lead):
    lead = routed_lead(make_lead, countries=("serbia", "albania"))
    assert lead.organisation.slug == "absl-western-balkans"
    slugs = {row.organisation.slug for row in lead.shared_with}
    assert slugs == {"ipa-serbia", "absl-serbia", "ipa-albania", "absl-albania"}
    login(client, make_user("al@example.org", "ipa-albania", "country"))
    assert client.get(f"/staff/leads/{lead.id}/").status_code == 200
    token = csrf_token(client, f"/staff/leads/{lead.id}/")
    response = client.post(f"/staff/leads/{lead.id}/erase", data={"csrf_token": token})
    assert response.status_code == 403


def _refer(client, lead, slug, message="The investor prefers Skopje."):
    token = csrf_token(client, f"/staff/leads/{lead.id}/")
    return client.post(
        f"/staff/leads/{lead.id}/refer",
        data={"csrf_token": token, "organisation": slug, "message": message},
    )


def test_a_referral_from_serbia_to_north_macedonia_is_accepted_and_moves_ownership(app, make_lead):
    lead = routed_lead(make_lead)
    sender = make_user("sr@example.org", "ipa-serbia", "country")
    receiver = make_user("mk@example.org", "ipa-north-macedonia", "country")
    adviser = make_user("adviser@example.org", "ipa-north-macedonia", "country")
    receiver.available_for_leads = False  # the round robin picks the available adviser
    db.session.commit()
    with app.test_client() as serbia:
        login(serbia, sender)
        assert _refer(serbia, lead, "ipa-north-macedonia").status_code == 302
        page = serbia.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)
        assert "Referral pending" in page
        assert "The investor prefers Skopje." in page
    with app.test_client() as skopje:
        login(skopje, receiver)
        dashboard = skopje.get("/staff/").get_data(as_text=True)
        assert "Referrals waiting for your answer" in dashboard
        assert lead.company in dashboard
        token = csrf_token(skopje, f"/staff/leads/{lead.id}/")
        # Offered, not yet owned: the stage is still not theirs to change.
        stage = skopje.post(
            f"/staff/leads/{lead.id}/stage", data={"csrf_token": token, "stage": "contacted"}
        )
        assert stage.status_code == 403
        answer = skopje.post(
            f"/staff/leads/{lead.id}/referral", data={"csrf_token": token, "decision": "accept"}
        )
        assert answer.status_code == 302
        assert skopje.get(f"/staff/leads/{lead.id}/export.json").status_code == 200
    db.session.expire_all()
    lead = db.session.get(Lead, lead.id)
    assert lead.organisation.slug == "ipa-north-macedonia"
    assert lead.owner_id == adviser.id
    roles = {(row.organisation.slug, row.role) for row in lead.shared_with}
    assert ("ipa-serbia", LeadRole.REFERRED_BY) in roles
    actions = set(db.session.scalars(select(AuditEntry.action).filter_by(lead_id=lead.id)))
    assert {"referral.sent", "referral.accepted", "organisation", "owner.auto"} <= actions
    # Serbia still follows the lead it handed on, but no longer changes it.
    with app.test_client() as serbia:
        login(serbia, sender)
        assert serbia.get(f"/staff/leads/{lead.id}/").status_code == 200
        assert serbia.get(f"/staff/leads/{lead.id}/export.json").status_code == 403


def test_declining_a_referral_needs_a_reason_and_keeps_the_lead(app, client, make_lead):
    lead = routed_lead(make_lead)
    sender = make_user("sr@example.org", "ipa-serbia", "country")
    referrals.refer(lead, "ipa-north-macedonia", sender, "Maybe yours?")
    db.session.commit()
    login(client, make_user("mk@example.org", "ipa-north-macedonia", "country"))
    token = csrf_token(client, f"/staff/leads/{lead.id}/")
    url = f"/staff/leads/{lead.id}/referral"
    refused = client.post(url, data={"csrf_token": token, "decision": "decline"})
    assert refused.status_code == 400
    assert "Say why you decline." in refused.get_data(as_text=True)
    declined = client.post(
        url, data={"csrf_token": token, "decision": "decline", "reason": "No BPO capacity."}
    )
    assert declined.status_code == 302
    db.session.expire_all()
    lead = db.session.get(Lead, lead.id)
    assert lead.organisation.slug == "ipa-serbia"
    (referral,) = lead.referrals
    assert (referral.status, referral.reason) == ("declined", "No BPO capacity.")
    assert client.get(f"/staff/leads/{lead.id}/").status_code == 404  # no longer offered


@pytest.mark.parametrize("slug", ["ipa-serbia", "no-such-organisation", "absl-serbia"])
def test_a_referral_to_itself_or_an_unknown_organisation_is_refused(app, client, make_lead, slug):
    lead = routed_lead(make_lead)
    login(client, make_user("sr@example.org", "ipa-serbia", "country"))
    response = _refer(client, lead, slug)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Referral.id))) == 0


def test_the_service_refuses_self_unknown_and_a_second_pending_referral(app, make_lead):
    lead = routed_lead(make_lead)
    actor = make_user("sr@example.org", "ipa-serbia", "country")
    for slug in ("ipa-serbia", "nowhere"):
        with pytest.raises(referrals.ReferralError):
            referrals.refer(lead, slug, actor, "x")
    referrals.refer(lead, "ipa-kosovo", actor, "x")
    with pytest.raises(referrals.ReferralError):
        referrals.refer(lead, "ipa-montenegro", actor, "y")
