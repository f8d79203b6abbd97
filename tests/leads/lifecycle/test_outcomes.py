"""Outcomes and rivals: closing asks for the outcome, bad values are refused beside the field."""

import datetime as dt

import pytest

from core.extensions import db
from leads.choices import COMPETITORS, RIVAL_LOCATIONS, values
from leads.lifecycle import outcomes, pipeline
from tests.support.staff import csrf_token, login, make_user

TODAY = dt.date.today()


@pytest.fixture
def serbian_lead(make_lead):
    lead = make_lead(countries=("serbia",))
    pipeline.route(lead)
    db.session.commit()
    return lead


@pytest.fixture
def owner_client(client, serbian_lead):
    login(client, make_user("sr@example.org", "ipa-serbia", "country"))
    return client


def post_stage(client, lead, **data):
    token = csrf_token(client, f"/staff/leads/{lead.id}/")
    return client.post(f"/staff/leads/{lead.id}/stage", data={"csrf_token": token, **data})


def test_the_rival_list_holds_our_countries_and_the_usual_competitors():
    rivals = values(RIVAL_LOCATIONS)
    assert {"serbia", "albania", "north-macedonia"} <= set(rivals)
    assert values(COMPETITORS) == (
        "bulgaria", "romania", "poland", "portugal", "czechia",
        "india", "philippines", "egypt", "morocco", "other",
    )  # fmt: skip


def test_closing_as_won_without_jobs_or_amount_is_refused_beside_the_fields(
    owner_client, serbian_lead
):
    response = post_stage(
        owner_client, serbian_lead, stage="won", won_country="serbia", land_date=str(TODAY)
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter the jobs planned in the first two years." in page
    assert "Enter the investment amount in EUR." in page
    assert 'value="serbia" selected' in page or "selected" in page  # the input is kept
    db.session.refresh(serbian_lead)
    assert serbian_lead.stage == "new"


def test_negative_jobs_and_a_land_date_before_the_inquiry_are_refused(owner_client, serbian_lead):
    response = post_stage(
        owner_client,
        serbian_lead,
        stage="won",
        won_country="serbia",
        jobs_planned="-5",
        investment_eur="2000000",
        land_date="2001-01-01",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Jobs planned must be 0 or more." in page
    assert "The land date cannot be before the first inquiry" in page
    db.session.refresh(serbian_lead)
    assert serbian_lead.stage == "new"
    assert serbian_lead.jobs_planned is None


def test_a_complete_win_is_stored_audited_and_reported(owner_client, serbian_lead):
    response = post_stage(
        owner_client,
        serbian_lead,
        stage="won",
        won_country="serbia",
        jobs_planned="120",
        investment_eur="3500000",
        land_date=str(TODAY + dt.timedelta(days=90)),
    )
    assert response.status_code == 302
    db.session.refresh(serbian_lead)
    assert (serbian_lead.stage, serbian_lead.jobs_planned) == ("won", 120)
    assert serbian_lead.investment_eur == 3_500_000
    assert not serbian_lead.outcome_to_complete
    dashboard = owner_client.get("/staff/").get_data(as_text=True)
    assert "120 jobs planned" in dashboard
    assert "EUR 3,500,000" in dashboard


def test_lost_asks_where_the_investor_went_and_the_report_shows_it(owner_client, serbian_lead):
    missing = post_stage(owner_client, serbian_lead, stage="lost", close_reason="budget")
    assert missing.status_code == 400
    assert "Choose where the investor went instead." in missing.get_data(as_text=True)
    done = post_stage(
        owner_client,
        serbian_lead,
        stage="lost",
        close_reason="chose_other_location",
        lost_to="bulgaria",
    )
    assert done.status_code == 302
    dashboard = owner_client.get("/staff/").get_data(as_text=True)
    assert "Rivals and lost leads" in dashboard
    assert "Lost to whom and why" in dashboard
    assert "<td>Bulgaria</td><td>Chose another location</td><td>1</td>" in dashboard


def test_rivals_likelihood_and_expected_date_are_recorded(owner_client, serbian_lead):
    token = csrf_token(owner_client, f"/staff/leads/{serbian_lead.id}/")
    url = f"/staff/leads/{serbian_lead.id}/qualification"
    bad = owner_client.post(
        url, data={"csrf_token": token, "rivals": ["romania"], "expected_land_date": "2001-05-01"}
    )
    assert bad.status_code == 400
    assert "The land date cannot be before the first inquiry" in bad.get_data(as_text=True)
    good = owner_client.post(
        url,
        data={
            "csrf_token": token,
            "rivals": ["romania", "poland"],
            "likelihood": "medium",
            "expected_land_date": str(TODAY + dt.timedelta(days=200)),
        },
    )
    assert good.status_code == 302
    db.session.refresh(serbian_lead)
    assert serbian_lead.rivals == ["poland", "romania"]
    assert serbian_lead.likelihood == "medium"
    dashboard = owner_client.get("/staff/").get_data(as_text=True)
    assert "Rival locations named during qualification" in dashboard
    assert "Romania" in dashboard


def test_a_close_from_elsewhere_is_kept_and_marked_outcome_to_complete(owner_client, serbian_lead):
    # e.g. the CRM reports the deal closed won: no outcome fields come with it.
    pipeline.change_stage(serbian_lead, "won", None)
    db.session.commit()
    assert serbian_lead.stage == "won"
    assert serbian_lead.outcome_to_complete
    page = owner_client.get(f"/staff/leads/{serbian_lead.id}/").get_data(as_text=True)
    assert "outcome to complete" in page
    assert "Outcome to complete" in owner_client.get("/staff/").get_data(as_text=True)
    completed = post_stage(
        owner_client,
        serbian_lead,
        stage="won",
        won_country="serbia",
        jobs_planned="40",
        investment_eur="800000",
        land_date=str(TODAY),
    )
    assert completed.status_code == 302
    db.session.refresh(serbian_lead)
    assert not serbian_lead.outcome_to_complete
    assert serbian_lead.jobs_planned == 40


def test_the_outcome_check_is_a_pure_function(make_lead):
    lead = make_lead()
    assert outcomes.check(lead, "won", outcomes.Outcome()).keys() == {
        "won_country", "jobs_planned", "investment_eur", "land_date",
    }  # fmt: skip
    assert outcomes.check(lead, "lost", outcomes.Outcome(lost_to="none")) == {}
    assert outcomes.check(lead, "qualified", outcomes.Outcome()) == {}
