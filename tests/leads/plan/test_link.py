"""The plan link: signed, versioned, 180 days from the last mail or visit; revoked by staff;
tampered, expired, revoked and spam links show one neutral page; an erased person's link 410."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from core.extensions import db
from leads.lifecycle.stages import CloseReason, Stage
from leads.models import OutboxEvent, utcnow
from leads.plan import token
from leads.plan.models import PlanMessage
from leads.privacy.erase import erase_lead
from leads.privacy.export import export_lead
from tests.leads.plan.test_journey import adviser, inquire
from tests.support.staff import CSRF, login, make_user, post_form


def path_of(lead, lang="en") -> str:
    return token.plan_url(lead, lang).removeprefix("http://localhost:5000")


def neutral(response) -> bool:
    html = response.get_data(as_text=True)
    return response.status_code == 404 and "No plan at this link" in html and "Eva" not in html


def test_a_tampered_token_opens_nothing(app, client):
    lead = inquire(lang="en")
    good = path_of(lead)
    assert client.get(good).status_code == 200
    tampered = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    assert neutral(client.get(tampered))
    # A token for another lead, signed with another key, does not open this one either.
    app.config["SECRET_KEY"] = "another key"
    assert neutral(client.get(good))


def test_the_link_expires_180_days_after_the_last_mail_or_visit(app, client):
    lead = inquire(lang="en")
    lead.plan_active_at = utcnow() - dt.timedelta(days=181)
    db.session.commit()
    assert neutral(client.get(path_of(lead)))
    lead.plan_active_at = utcnow() - dt.timedelta(days=179)
    db.session.commit()
    assert client.get(path_of(lead)).status_code == 200
    db.session.refresh(lead)
    assert utcnow() - lead.plan_active_at < dt.timedelta(minutes=1)  # the visit renewed it


def test_staff_switch_the_link_off_and_a_new_one_works(app, client):
    ana = adviser()
    lead = inquire(lang="en")
    lead.owner_id, lead.organisation_id = ana.id, ana.organisation_id
    db.session.commit()
    old = path_of(lead)
    staff = app.test_client()
    login(staff, ana)
    page = f"/staff/leads/{lead.id}/"
    response = post_form(staff, f"/staff/leads/{lead.id}/plan/revoke", token_from=page)
    assert response.status_code == 302
    db.session.refresh(lead)
    assert neutral(client.get(old))
    assert client.get(path_of(lead)).status_code == 200


def test_a_colleague_informed_of_the_lead_cannot_switch_its_link_off(app):
    lead = inquire(lang="en", countries=("serbia",))
    other = make_user("mira@absl.example.org", "absl-serbia", "country")
    staff = app.test_client()
    login(staff, other)
    before = lead.plan_version
    page = f"/staff/leads/{lead.id}/"
    response = post_form(staff, f"/staff/leads/{lead.id}/plan/revoke", token_from=page)
    assert response.status_code in (403, 404)
    db.session.refresh(lead)
    assert lead.plan_version == before


def test_a_lead_closed_as_spam_has_no_plan(app, client):
    lead = inquire(lang="en")
    lead.stage, lead.close_reason = Stage.DISQUALIFIED.value, CloseReason.SPAM.value
    db.session.commit()
    assert neutral(client.get(path_of(lead)))


def test_erasure_removes_the_messages_and_the_link_answers_410(app, client):
    lead = inquire(lang="en")
    path = path_of(lead)
    html = client.get(path).get_data(as_text=True)
    client.post(path + "/message", data={"csrf_token": CSRF.search(html).group(1), "body": "Hi"})
    exported = export_lead(lead)
    assert [m["body"] for m in exported["plan"]["messages"]] == ["Hi"]
    assert exported["plan"]["link_version"] == 1
    erase_lead(lead)
    db.session.commit()
    gone = client.get(path)
    assert gone.status_code == 410
    assert "Eva" not in gone.get_data(as_text=True)
    assert db.session.query(PlanMessage).count() == 0


def test_the_access_log_names_the_lead_never_the_token(app, client, caplog):
    lead = inquire(lang="en")
    path = path_of(lead)
    secret = path.rsplit("/", 1)[1]
    with caplog.at_level(logging.INFO):
        client.get(path)
        logging.getLogger("werkzeug").info('127.0.0.1 - - "GET %s HTTP/1.1" 200 -', path)
    assert f"plan viewed: lead {lead.id}" in caplog.text
    assert secret not in caplog.text
    assert "eva@example.de" not in caplog.text


def test_a_new_link_is_mailed_only_to_a_known_address_and_the_answer_is_the_same(app, client):
    inquire(lang="de")

    def ask(address):
        html = client.get("/de/plan/").get_data(as_text=True)
        return client.post(
            "/de/plan/", data={"csrf_token": CSRF.search(html).group(1), "email": address}
        )

    known, unknown = ask("EVA@example.de"), ask("nobody@example.de")
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    kinds = [e.kind for e in db.session.query(OutboxEvent).all()]
    assert kinds.count("investor.plan_link") == 1


def test_the_forms_refuse_a_post_without_the_security_token(app, client):
    lead = inquire(lang="en")
    response = client.post(path_of(lead) + "/message", data={"body": "Hi"})
    assert response.status_code == 400
    assert db.session.query(PlanMessage).count() == 0


@pytest.mark.parametrize(
    "app_overrides", [{"RATELIMIT_ENABLED": True, "PLAN_RATE_LIMIT": "3 per minute"}]
)
def test_the_forms_are_rate_limited_together(app, client, app_overrides):
    lead = inquire(lang="en")
    html = client.get(path_of(lead)).get_data(as_text=True)
    token_value = CSRF.search(html).group(1)

    def ask():
        return client.post("/plan/", data={"csrf_token": token_value, "email": "x@example.de"})

    def write():
        data = {"csrf_token": token_value, "body": "Hello"}
        return client.post(path_of(lead) + "/message", data=data)

    statuses = [ask().status_code, write().status_code, ask().status_code, write().status_code]
    assert statuses == [200, 302, 200, 429]
    assert db.session.query(PlanMessage).count() == 1
