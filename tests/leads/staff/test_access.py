"""Every /staff URL needs a signed-in user; every lead URL checks who may see the lead."""

import pytest
from sqlalchemy import select

from core.extensions import db
from leads.common.access import Capability
from leads.models import Organisation, utcnow
from leads.staff.blueprint import OPEN_ENDPOINTS, lead_view
from tests.support.staff import build_url, csrf_token, login, make_user, staff_rules


def org_id(slug):
    return db.session.scalar(select(Organisation.id).filter_by(slug=slug))


def test_the_url_map_has_the_documented_staff_urls(app):
    rules = {rule.rule for rule in staff_rules(app)}
    assert {"/staff/", "/staff/login", "/staff/leads/", "/staff/leads/<int:lead_id>/"} <= rules
    assert {
        "staff.login",
        "staff.login_code",
        "staff.login_enrol",
        "staff.stylesheet",
    } == OPEN_ENDPOINTS


def test_the_stylesheet_is_open_and_cacheable(client):
    with client.get("/staff/assets/staff.css") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"
        assert "no-store" not in response.headers.get("Cache-Control", "")


def test_every_staff_url_requires_login(app, client, make_lead):
    make_lead()
    checked = 0
    for rule in staff_rules(app):
        if rule.endpoint in OPEN_ENDPOINTS:
            continue
        url = build_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code in (302, 400), (method, url)
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/staff/login"), (method, url)
            else:  # a POST without a CSRF token never reaches the view either
                assert method == "POST", url
            checked += 1
    assert checked >= 15


def test_every_staff_url_refuses_a_post_with_a_csrf_token_but_no_login(app, client, make_lead):
    make_lead()
    token = csrf_token(client)
    for rule in staff_rules(app):
        if rule.endpoint in OPEN_ENDPOINTS or "POST" not in rule.methods:
            continue
        response = client.post(build_url(rule), data={"csrf_token": token})
        assert response.status_code == 302, rule.rule
        assert response.headers["Location"].startswith("/staff/login"), rule.rule


def test_country_users_get_404_for_every_url_of_another_organisations_lead(app, client, make_lead):
    theirs = make_lead(organisation_id=org_id("ipa-albania"))
    ours = make_lead(organisation_id=org_id("ipa-serbia"))
    user = make_user("sr@example.org", "ipa-serbia", "country")
    login(client, user)
    token = csrf_token(client, f"/staff/leads/{ours.id}/")
    lead_rules = [rule for rule in staff_rules(app) if "lead_id" in rule.arguments]
    assert len(lead_rules) >= 7
    for rule in lead_rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(
                build_url(rule, lead_id=theirs.id), method=method, data={"csrf_token": token}
            )
            assert response.status_code == 404, (method, rule.rule)
    assert client.get(f"/staff/leads/{ours.id}/").status_code == 200
    assert client.get("/staff/leads/999999/").status_code == 404


def test_unrouted_leads_are_hidden_from_country_users(app, client, make_lead):
    lead = make_lead()
    login(client, make_user("sr@example.org", "ipa-serbia", "country"))
    assert client.get(f"/staff/leads/{lead.id}/").status_code == 404


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinators_and_admins_see_every_lead(app, client, make_lead, role):
    albania = make_lead(organisation_id=org_id("ipa-albania"))
    serbia = make_lead(organisation_id=org_id("ipa-serbia"))
    user = make_user("c@example.org", "absl-western-balkans", role, totp=role == "admin")
    login(client, user)
    page = client.get("/staff/leads/").get_data(as_text=True)
    assert albania.email in page
    assert serbia.email in page
    assert client.get(f"/staff/leads/{albania.id}/").status_code == 200


def test_the_list_and_csv_show_a_country_user_only_their_leads(app, client, make_lead):
    albania = make_lead(organisation_id=org_id("ipa-albania"))
    serbia = make_lead(organisation_id=org_id("ipa-serbia"))
    login(client, make_user("sr@example.org", "ipa-serbia", "country"))
    page = client.get("/staff/leads/").get_data(as_text=True)
    assert serbia.email in page
    assert albania.email not in page
    csv_text = client.get("/staff/leads/export.csv").get_data(as_text=True)
    assert serbia.email in csv_text
    assert albania.email not in csv_text
    everything = client.get(f"/staff/leads/?organisation=ipa-albania&q={albania.email}")
    assert "No leads match these filters." in everything.get_data(as_text=True)


def test_country_users_cannot_move_leads_to_another_organisation(app, client, make_lead):
    lead = make_lead(organisation_id=org_id("ipa-serbia"))
    login(client, make_user("sr@example.org", "ipa-serbia", "country"))
    token = csrf_token(client, f"/staff/leads/{lead.id}/")
    response = client.post(
        f"/staff/leads/{lead.id}/assign",
        data={"csrf_token": token, "organisation": org_id("ipa-albania"), "owner": 0},
    )
    assert response.status_code == 403
    db.session.refresh(lead)
    assert lead.organisation_id == org_id("ipa-serbia")


# On an erased lead, the views that would change it answer 409; these still run.
RUN_ON_ERASED = {
    "staff.lead_detail": 200,
    "staff.lead_json": 200,
    "staff.lead_event_retry": 404,  # no such event
    "staff.lead_referral_answer": 404,  # no pending referral
}


def test_every_lead_url_that_changes_the_lead_refuses_an_erased_one(app, client, make_lead):
    lead = make_lead(organisation_id=org_id("ipa-serbia"))
    lead.erased_at = utcnow()
    db.session.commit()
    login(client, make_user("c@example.org", "absl-western-balkans", "coordinator"))
    token = csrf_token(client, "/staff/account/")
    refused = set()
    for rule in staff_rules(app):
        if "lead_id" not in rule.arguments:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            url = build_url(rule, lead_id=lead.id, event_id=999999)
            response = client.open(url, method=method, data={"csrf_token": token})
            assert response.status_code == RUN_ON_ERASED.get(rule.endpoint, 409), (method, url)
            if response.status_code == 409:
                refused.add(rule.endpoint)
    assert len(refused) == 13  # with the two introduction URLs and the plan's three


def test_a_lead_view_must_ask_for_the_capability_the_table_gives():
    with pytest.raises(LookupError, match=r"staff\.lead_note"):

        @lead_view(Capability.READ)
        def lead_note(lead):
            return "reached"


def test_a_lead_url_that_is_not_a_lead_view_is_refused_to_everyone(app, client, make_lead):
    app.add_url_rule(
        "/staff/leads/<int:lead_id>/undeclared",
        endpoint="staff.lead_undeclared",
        view_func=lambda lead_id: "reached",
    )
    lead = make_lead(organisation_id=org_id("ipa-serbia"))
    login(client, make_user("c@example.org", "absl-western-balkans", "coordinator"))
    assert client.get(f"/staff/leads/{lead.id}/undeclared").status_code == 403
    stranger = app.test_client()
    login(stranger, make_user("al@example.org", "ipa-albania", "country"))
    assert stranger.get(f"/staff/leads/{lead.id}/undeclared").status_code == 404
