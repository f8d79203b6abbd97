"""'Send me this estimate': a scored, routed inquiry carrying the scenario, mailed with sources."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.extensions import db
from leads.choices import headcount_band_for
from leads.models import Inquiry, Lead, OutboxEvent
from tests.support.capture import submit
from tests.support.costs_content import content_with_figures
from tests.support.staff import login, make_user

pytestmark = pytest.mark.usefixtures("later")
URL = "/costs/estimate/?team=50&mix=software&country=serbia"
PERSON = {
    "full_name": "Jonas Weber",
    "email": "Jonas.Weber@Example.de",
    "company": "Weber Cloud GmbH",
    "consent": "y",
}


@pytest.fixture
def app_overrides(tmp_path) -> dict:
    return {"CONTENT_DIR": str(content_with_figures(tmp_path))}


def scenario_fields(**overrides) -> dict:
    return {"team": "50", "mix": "software", "country": ["serbia"], **overrides}


def mails(app) -> dict:
    folder = Path(app.config["MAIL_FOLDER"])
    return {
        path.name: email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob("*.eml"))
    }


@pytest.mark.parametrize(
    ("people", "band"),
    [(5, "1-9"), (9, "1-9"), (10, "10-49"), (49, "10-49"), (50, "50-249"), (250, "250+")],
)
def test_a_team_size_maps_onto_the_headcount_bands(people, band):
    assert headcount_band_for(people) == band


def test_the_form_shows_the_scenario_and_asks_only_who_to_send_it_to(client):
    html = client.get(URL).get_data(as_text=True)
    assert "50 people, Software development." in html
    assert "€1,382,000" in html
    for name in ("full_name", "email", "company", "consent", "csrf_token", "homepage"):
        assert f'name="{name}"' in html
    assert '<input type="hidden" name="country" value="serbia">' in html


def test_a_request_stores_a_scored_routed_inquiry_with_its_scenario(client):
    response = submit(client, URL, {**PERSON, **scenario_fields()})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/costs/estimate/thanks/")
    lead = db.session.scalar(select(Lead))
    inquiry = db.session.scalar(select(Inquiry))
    assert (lead.email, lead.source, lead.company) == (
        "jonas.weber@example.de",
        "estimate",
        "Weber Cloud GmbH",
    )
    assert (inquiry.kind, inquiry.headcount_band, inquiry.sector) == ("estimate", "50-249", "ict")
    assert inquiry.countries == ["serbia"]
    assert inquiry.answers["scenario"]["team"] == 50
    assert inquiry.answers["scenario"]["shares"] == {"software": 100, "service": 0, "finance": 0}
    assert lead.score == 30  # headcount 50-249 (20) + sector ICT (10)
    assert lead.high_value is True
    assert lead.organisation.slug == "ipa-serbia"
    assert lead.consents[0].purpose == "send_estimate"
    kinds = db.session.scalars(select(OutboxEvent.kind).order_by(OutboxEvent.id)).all()
    assert kinds == ["lead.upserted", "team.notification", "investor.estimate"]
    html = client.get("/costs/estimate/thanks/").get_data(as_text=True)
    assert "Your estimate is on its way" in html


def test_the_investor_gets_the_estimate_in_their_language_with_sources(app, client, runner):
    submit(client, "/de" + URL, {**PERSON, **scenario_fields()})
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    team, investor = (message for _name, message in sorted(mails(app).items()))
    assert "Cost estimate request" in team["Subject"]
    assert "Scenario:     50 people, software" in team.get_content()
    assert investor["To"].addresses[0].addr_spec == "jonas.weber@example.de"
    body = investor.get_content().replace("\u00a0", " ")
    assert "Ihre Kostenschätzung" in investor["Subject"]
    assert "Serbien: 1.382.000 € (27.600 €)" in body
    assert "Ersparnis gegenüber Deutschland: 2.154.000 € (61 %)" in body
    assert "Österreich: — (—)" not in body  # no saving against a baseline without figures
    assert "RSD 234.000 pro Monat" in body or "234.000 RSD pro Monat" in body
    assert "Test statistics office, test release, 2025, https://stats.example.org/wages" in body
    assert "/de/costs/?team=50&mix=software&country=serbia" in body


def test_a_bad_scenario_is_refused_with_the_reason_and_nothing_is_stored(client):
    html = client.get("/costs/estimate/?team=5000&mix=software&country=serbia").get_data(
        as_text=True
    )
    assert "Enter a team size from 5 to 500 people." in html
    response = submit(client, URL, {**PERSON, **scenario_fields(country=["narnia"])})
    assert response.status_code == 400
    assert "Unknown country: narnia" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Inquiry)) == 0


def test_missing_consent_or_email_is_shown_beside_the_field_with_input_kept(client):
    response = submit(
        client, URL, {**PERSON, "consent": None, "email": "not-an-address", **scenario_fields()}
    )
    html = response.get_data(as_text=True)
    assert 'id="consent-error"' in html
    assert 'id="email-error"' in html
    assert 'value="Weber Cloud GmbH"' in html
    assert db.session.scalar(select(func.count()).select_from(Inquiry)) == 0


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_stored(client):
    response = submit(client, URL, {**PERSON, "homepage": "spam", **scenario_fields()})
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Inquiry)) == 0


def test_the_staff_lead_page_shows_the_scenario(app, client):
    submit(client, URL, {**PERSON, **scenario_fields()})
    lead = db.session.scalar(select(Lead))
    staff = app.test_client()
    login(staff, make_user())
    html = staff.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)
    assert "Estimate scenario" in html
    assert "<dd>Software development</dd>" in html
    assert "Serbia" in html


def test_the_staff_label_of_a_custom_split_names_shares_and_changed_factors():
    from leads.common.labels import scenario_label

    scenario = {
        "mix": "custom",
        "shares": {"software": 60, "service": 40, "finance": 0},
        "factors": {"software": 1.4, "service": 1.0, "finance": 1.0},
    }
    assert (
        scenario_label(scenario) == "Software development 60 % (× 1.4); Customer service / BPO 40 %"
    )
