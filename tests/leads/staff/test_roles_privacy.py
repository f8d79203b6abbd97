"""Who may export and erase, and whose queue counts a country user sees on the sync page."""

import json
import re

import pytest
from sqlalchemy import select

from core.extensions import db
from leads.models import Lead, Organisation
from leads.queue import outbox
from tests.support.staff import csrf_token, login, make_user


def org_id(slug):
    return db.session.scalar(select(Organisation.id).filter_by(slug=slug))


def test_country_users_export_but_do_not_erase_their_organisations_leads(app, client, make_lead):
    ours = make_lead(organisation_id=org_id("ipa-serbia"))
    login(client, make_user("rs@example.org", org="ipa-serbia", role="country"))
    page = client.get(f"/staff/leads/{ours.id}/").get_data(as_text=True)
    assert "Erase personal data" not in page
    exported = client.get(f"/staff/leads/{ours.id}/export.json")
    assert exported.status_code == 200
    assert json.loads(exported.get_data(as_text=True))["lead"]["id"] == ours.id
    assert client.get(f"/staff/leads/{ours.id}/erase").status_code == 403
    token = csrf_token(client, f"/staff/leads/{ours.id}/")
    response = client.post(
        f"/staff/leads/{ours.id}/erase", data={"csrf_token": token, "reason": "request"}
    )
    assert response.status_code == 403
    assert db.session.get(Lead, ours.id).erased_at is None


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinators_and_admins_may_erase(app, client, make_lead, role):
    lead = make_lead(organisation_id=org_id("ipa-serbia"))
    login(client, make_user(f"{role}@example.org", role=role, totp=role == "admin"))
    assert "Erase personal data" in client.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)
    assert client.get(f"/staff/leads/{lead.id}/erase").status_code == 200


def test_country_users_see_only_their_organisations_queue_counts(app, client, make_lead):
    mine = make_lead(organisation_id=org_id("ipa-serbia"))
    theirs = make_lead(organisation_id=org_id("ipa-albania"))
    outbox.enqueue("crm", "lead.upserted", lead_id=mine.id)
    for _ in range(7):
        outbox.enqueue("crm", "lead.upserted", lead_id=theirs.id)
        outbox.enqueue("mail", "team.notification", lead_id=theirs.id)
    db.session.commit()
    login(client, make_user("rs@example.org", org="ipa-serbia", role="country"))
    page = client.get("/staff/sync/").get_data(as_text=True)
    numbers = {int(n) for n in re.findall(r">\s*(\d+)\s*<", page)}
    assert 7 not in numbers
    assert 8 not in numbers
    assert 1 in numbers
