"""An owner within a minute: round robin among available staff, flagged when nobody is."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from core.extensions import db
from leads.models import AuditEntry, Lead, LeadOrganisation, Organisation, OutboxEvent, StaffUser
from leads.queue.events import Kind
from leads.staff.reports import build_dashboard
from tests.support.capture import hidden_fields, inquiry_data, submit
from tests.support.staff import PASSWORD, login, make_user, post_form

pytestmark = pytest.mark.usefixtures("later")


def org(slug: str) -> Organisation:
    return db.session.scalar(select(Organisation).filter_by(slug=slug))


def agency_staff(n: int, slug: str = "ipa-serbia") -> list[StaffUser]:
    users = [make_user(f"adviser{i}@{slug}.example.org", slug, "country") for i in range(n)]
    for i, user in enumerate(users):
        user.display_name, user.job_title = f"Adviser {i}", "Investment Adviser"
    db.session.commit()
    return users


def send_inquiry(client, email: str, countries=("serbia",), **overrides) -> Lead:
    data = inquiry_data(email=email, countries=list(countries), **overrides)
    assert submit(client, "/contact/", data).status_code == 303
    return db.session.scalar(select(Lead).filter_by(email=email))


def test_new_leads_go_round_robin_to_available_staff(app, client):
    first, second, away = agency_staff(3)
    away.available_for_leads = False
    db.session.commit()
    owners = [send_inquiry(client, f"investor{i}@example.de").owner for i in range(4)]
    assert [o.email for o in owners] == [u.email for u in (first, second, first, second)]
    audit = db.session.scalars(select(AuditEntry).filter_by(action="owner.auto")).all()
    assert len(audit) == 4
    assert all(e.actor_id is None for e in audit)
    assert "round robin at ipa-serbia: 2 available" in audit[0].reason
    notices = db.session.scalars(select(OutboxEvent).filter_by(kind=Kind.OWNER_NOTICE)).all()
    assert sorted(e.payload["staff_id"] for e in notices) == sorted([first.id, second.id] * 2)


def test_automatic_assignment_is_not_a_first_response(app, client):
    agency_staff(1)
    lead = send_inquiry(client, "waiting@example.de")
    assert lead.owner is not None
    assert lead.first_response_at is None  # response time runs to the owner's first contact


def test_informed_organisations_are_stored_with_the_lead(app, client):
    lead = send_inquiry(client, "informed@example.de")
    shared = db.session.scalars(select(LeadOrganisation).filter_by(lead_id=lead.id)).all()
    assert [(s.organisation.slug, s.role) for s in shared] == [("absl-serbia", "informed")]
    # Asking about a second country moves the lead to the regional team; each chosen country's
    # agency and chapter is informed.
    lead = send_inquiry(client, "informed@example.de", countries=("kosovo",))
    db.session.refresh(lead)
    assert lead.organisation.slug == "absl-western-balkans"
    assert {(s.organisation.slug, s.role) for s in lead.shared_with} == {
        ("ipa-kosovo", "informed"),
        ("absl-kosovo", "informed"),
        ("ipa-serbia", "informed"),
        ("absl-serbia", "informed"),
    }


def test_nobody_available_leaves_the_lead_unassigned_and_flagged(app, client):
    (only,) = agency_staff(1)
    only.available_for_leads = False
    db.session.commit()
    lead = send_inquiry(client, "alone@example.de")
    assert lead.organisation.slug == "ipa-serbia"
    assert lead.owner is None
    flagged = db.session.scalars(
        select(AuditEntry).filter_by(lead_id=lead.id, action="owner.none_available")
    ).one()
    assert "nobody at ipa-serbia" in flagged.reason
    assert build_dashboard(org("ipa-serbia")).unassigned == 1
    login(client, only)
    html = client.get("/staff/").get_data(as_text=True)
    assert "Without an owner" in html
    assert "owner=none" in html


def test_hand_reassignment_still_works_and_tells_the_new_owner(app, client):
    first, second = agency_staff(2)
    lead = send_inquiry(client, "moved@example.de")
    assert lead.owner_id == first.id
    login(client, first)
    response = post_form(
        client,
        f"/staff/leads/{lead.id}/assign",
        {"organisation": lead.organisation_id, "owner": second.id, "reason": "speaks German"},
        token_from=f"/staff/leads/{lead.id}/",
    )
    assert response.status_code == 302
    db.session.refresh(lead)
    assert lead.owner_id == second.id
    hand = db.session.scalars(select(AuditEntry).filter_by(lead_id=lead.id, action="owner")).one()
    assert (hand.actor_id, hand.to_value, hand.reason) == (first.id, second.email, "speaks German")
    told = db.session.scalars(select(OutboxEvent).filter_by(kind=Kind.OWNER_NOTICE)).all()
    assert [e.payload["staff_id"] for e in told] == [first.id, second.id]


def test_profile_is_set_by_the_cli_and_on_the_account_page(app, client, runner):
    result = runner.invoke(
        args=[
            "staff", "create", "ana@example.org", "--org", "ipa-serbia", "--role", "country",
            "--name", "Ana Petrović", "--title", "Investment Adviser", "--notify", "digest",
        ],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    ana = db.session.scalar(select(StaffUser).filter_by(email="ana@example.org"))
    assert (ana.display_name, ana.job_title, ana.notify) == (
        "Ana Petrović",
        "Investment Adviser",
        "digest",
    )
    assert ana.available_for_leads
    result = runner.invoke(args=["staff", "profile", "ana@example.org", "--not-available"])
    assert result.exit_code == 0
    assert "available_for_leads changed" in result.output
    db.session.refresh(ana)
    assert not ana.available_for_leads
    login(client, ana)
    response = post_form(
        client,
        "/staff/account/profile",
        {"display_name": "Ana  Petrović ", "job_title": "Senior Adviser", "notify": "none",
         "available_for_leads": "y"},
    )  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(ana)
    assert (ana.display_name, ana.job_title, ana.notify, ana.available_for_leads) == (
        "Ana Petrović",
        "Senior Adviser",
        "none",
        True,
    )
    changes = db.session.scalars(select(AuditEntry).filter_by(action="staff.profile")).all()
    assert {c.actor_id for c in changes} == {None, ana.id}  # the CLI, then Ana herself
    bad = post_form(client, "/staff/account/profile", {"notify": "hourly"})
    assert bad.status_code == 400


def test_concurrent_inquiries_share_the_leads_fairly(app):
    """40 inquiries at the same moment, 4 available advisers: 10 leads each, none twice."""
    staff = [user.id for user in agency_staff(4)]
    posts = 40
    clients = [app.test_client() for _ in range(posts)]
    forms = []
    for c in clients:
        with app.app_context():
            forms.append(hidden_fields(c, "/contact/"))
    db.session.remove()
    barrier = threading.Barrier(posts, timeout=60)

    def post(i: int) -> int:
        data = inquiry_data(email=f"rush{i}@example.de", countries=["serbia"])
        barrier.wait()
        with app.app_context():
            return clients[i].post("/contact/", data={**forms[i], **data}).status_code

    with ThreadPoolExecutor(max_workers=posts) as pool:
        assert list(pool.map(post, range(posts))) == [303] * posts
    owners = Counter(db.session.scalars(select(Lead.owner_id)).all())
    assert owners == {user_id: posts // len(staff) for user_id in staff}
    assert org("ipa-serbia").assigned_count == posts
