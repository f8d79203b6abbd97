"""Referrals under concurrency: one pending per lead (the database says so), one answer wins,
and only the organisation a referral is addressed to answers it."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from leads.lifecycle import referrals
from leads.models import AuditEntry, Lead, Organisation, Referral, StaffUser
from tests.support.staff import csrf_token, login, make_user, routed_lead

PARALLEL = 4


def org_id(slug):
    return db.session.scalar(select(Organisation.id).filter_by(slug=slug))


def pending_count(lead_id):
    return db.session.scalar(
        select(func.count(Referral.id)).filter_by(lead_id=lead_id, status="pending")
    )


def run_at_once(app, bodies):
    """Run each body in its own thread and database session, released together."""
    barrier = threading.Barrier(len(bodies))
    results: list = [None] * len(bodies)

    def run(index, body):
        with app.app_context():
            try:
                results[index] = body(barrier)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def postgresql_only(backend):
    """Parallel writers are PostgreSQL's case (SQLite serialises every writer)."""
    if backend != "postgresql":
        pytest.skip("parallel writers race on PostgreSQL; SQLite serialises them")


@pytest.mark.parametrize("slug", ["ipa-north-macedonia", "ipa-serbia"])
def test_the_database_refuses_a_second_pending_referral_of_a_lead(app, make_lead, slug):
    lead = routed_lead(make_lead, countries=("albania",))
    actor = make_user("al@example.org", "ipa-albania", "country")
    referrals.refer(lead, "ipa-kosovo", actor, "Prishtina?")
    db.session.commit()
    second = Referral(
        lead_id=lead.id,
        from_organisation_id=lead.organisation_id,
        to_organisation_id=org_id(slug),
        status="pending",
    )
    db.session.add(second)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # Answered referrals do not count: a new one may be pending once the first is declined.
    (first,) = db.session.scalars(select(Referral).filter_by(lead_id=lead.id))
    referrals.decline(first, make_user("xk@example.org", "ipa-kosovo", "country"), "No.")
    referrals.refer(lead, slug if slug != "ipa-serbia" else "ipa-montenegro", actor, "Then?")
    db.session.commit()
    assert pending_count(lead.id) == 1


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_only_the_addressee_or_a_coordinator_answers_a_referral(app, make_lead, decision):
    lead = routed_lead(make_lead, countries=("serbia", "kosovo"))  # shared with Kosovo too
    referrals.refer(lead, "ipa-north-macedonia", make_user(), "Skopje?")
    db.session.commit()
    (referral,) = lead.referrals
    bystander = make_user("xk@example.org", "ipa-kosovo", "country")
    assert referrals.pending_for_answer(lead, bystander) is None

    def answer(actor):
        if decision == "accept":
            return referrals.accept(referral, actor)
        return referrals.decline(referral, actor, "Not ours to say.")

    with pytest.raises(referrals.ReferralError):
        answer(bystander)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).status == "pending"
    addressee = make_user("mk@example.org", "ipa-north-macedonia", "country")
    assert referrals.pending_for_answer(lead, addressee).id == referral.id
    assert referrals.pending_for_answer(lead, make_user("c2@example.org")).id == referral.id


def test_a_bystander_posting_an_answer_changes_nothing(app, client, make_lead):
    lead = routed_lead(make_lead, countries=("serbia", "kosovo"))
    referrals.refer(lead, "ipa-north-macedonia", make_user(), "Skopje?")
    db.session.commit()
    login(client, make_user("xk@example.org", "ipa-kosovo", "country"))
    token = csrf_token(client, f"/staff/leads/{lead.id}/")
    response = client.post(
        f"/staff/leads/{lead.id}/referral", data={"csrf_token": token, "decision": "accept"}
    )
    assert response.status_code in (403, 404)
    db.session.expire_all()
    assert pending_count(lead.id) == 1
    assert db.session.get(Lead, lead.id).organisation.slug == "absl-western-balkans"


SPREAD = ["ipa-kosovo", "ipa-montenegro", "ipa-albania", "ipa-north-macedonia"]


@pytest.mark.parametrize("targets", [["ipa-north-macedonia"] * PARALLEL, SPREAD])
def test_parallel_referrals_of_one_lead_leave_one_pending(app, make_lead, postgresql_only, targets):
    lead = routed_lead(make_lead)
    actor_id, lead_id = make_user("sr@example.org", "ipa-serbia", "country").id, lead.id
    db.session.remove()

    def refer_to(slug):
        def body(barrier):
            lead = db.session.get(Lead, lead_id)
            actor = db.session.get(StaffUser, actor_id)
            assert referrals.pending(lead) is None  # each sees none pending before the race
            barrier.wait()
            try:
                referrals.refer(lead, slug, actor, "Yours?")
                db.session.commit()
                return "sent"
            except referrals.ReferralError:
                db.session.rollback()
                return "refused"

        return body

    results = run_at_once(app, [refer_to(slug) for slug in targets])
    assert sorted(results) == ["refused"] * (PARALLEL - 1) + ["sent"]
    assert pending_count(lead_id) == 1
    sent = db.session.scalar(
        select(func.count(AuditEntry.id)).filter_by(lead_id=lead_id, action="referral.sent")
    )
    assert sent == 1


@pytest.mark.parametrize("first", ["accept", "decline"])
def test_an_accept_and_a_decline_at_once_exactly_one_wins(app, make_lead, postgresql_only, first):
    lead = routed_lead(make_lead)
    referrals.refer(lead, "ipa-north-macedonia", make_user(), "Skopje?")
    db.session.commit()
    one = make_user("mk1@example.org", "ipa-north-macedonia", "country")
    two = make_user("mk2@example.org", "ipa-north-macedonia", "country")
    users = {"accept": one.id, "decline": two.id}
    lead_id = lead.id
    db.session.remove()

    def answer(decision):
        def body(barrier):
            lead = db.session.get(Lead, lead_id)
            actor = db.session.get(StaffUser, users[decision])
            referral = referrals.pending_for_answer(lead, actor)
            assert referral is not None
            barrier.wait()
            try:
                if decision == "accept":
                    referrals.accept(referral, actor)
                else:
                    referrals.decline(referral, actor, "No capacity.")
                db.session.commit()
                return decision
            except referrals.ReferralError:
                db.session.rollback()
                return "lost"

        return body

    order = ["accept", "decline"] if first == "accept" else ["decline", "accept"]
    results = run_at_once(app, [answer(d) for d in order])
    assert sorted(results).count("lost") == 1
    (winner,) = [r for r in results if r != "lost"]
    lead = db.session.get(Lead, lead_id)
    (referral,) = lead.referrals
    assert referral.status == {"accept": "accepted", "decline": "declined"}[winner]
    moved = lead.organisation.slug == "ipa-north-macedonia"
    assert moved == (winner == "accept")
    actions = list(
        db.session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.lead_id == lead_id, AuditEntry.action.like("referral.%")
            )
        )
    )
    done = {"accept": "referral.accepted", "decline": "referral.declined"}[winner]
    assert sorted(actions) == sorted(["referral.sent", done])


def test_parallel_answers_posted_from_browsers_one_wins(app, make_lead, postgresql_only):
    lead = routed_lead(make_lead)
    referrals.refer(lead, "ipa-north-macedonia", make_user(), "Skopje?")
    db.session.commit()
    posts = []
    for number, decision in enumerate(["accept", "decline", "accept", "decline"]):
        user = make_user(f"mk{number}@example.org", "ipa-north-macedonia", "country")
        client = app.test_client()
        login(client, user)
        data = {"csrf_token": csrf_token(client, f"/staff/leads/{lead.id}/"), "decision": decision}
        if decision == "decline":
            data["reason"] = "No capacity."
        posts.append((client, data))
    url, lead_id = f"/staff/leads/{lead.id}/referral", lead.id
    db.session.remove()

    def post(client, data):
        def body(barrier):
            barrier.wait()
            return client.post(url, data=data).status_code

        return body

    statuses = run_at_once(app, [post(*pair) for pair in posts])
    assert statuses.count(302) == 1, statuses
    assert set(statuses) <= {302, 403, 404, 409}, statuses
    lead = db.session.get(Lead, lead_id)
    (referral,) = lead.referrals
    assert referral.status in ("accepted", "declined")
    assert (lead.organisation.slug == "ipa-north-macedonia") == (referral.status == "accepted")
