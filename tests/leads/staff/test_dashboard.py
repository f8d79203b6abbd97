"""The dashboard: pilot targets, funnel and breakdowns, per organisation and for the region."""

import datetime as dt

from sqlalchemy import select

from core.extensions import db
from leads.models import Organisation
from leads.staff.reports import build_dashboard
from tests.support.staff import (
    EXECUTABLE_SCRIPT,
    login,
    make_user,
)


def org(slug):
    return db.session.scalar(select(Organisation).filter_by(slug=slug))


def seed(make_lead):
    t0 = dt.datetime(2026, 3, 2, 9)
    serbia, albania = org("ipa-serbia").id, org("ipa-albania").id
    make_lead(
        stage="qualified",
        organisation_id=serbia,
        hq_country="DE",
        created_at=t0,
        first_response_at=t0 + dt.timedelta(hours=4),
    )
    make_lead(
        stage="won",
        organisation_id=serbia,
        hq_country="AT",
        interest="bpo",
        created_at=t0,
        first_response_at=t0 + dt.timedelta(hours=10),
        inquiry={"event_slug": "vienna-2026"},
    )
    make_lead(
        stage="new",
        organisation_id=albania,
        countries=("albania",),
        hq_country="DE",
        source="meeting",
        created_at=t0,
        response_due_at=t0 + dt.timedelta(days=2),
    )


def test_region_and_organisation_numbers(app, make_lead):
    seed(make_lead)
    region = build_dashboard(None)
    assert (region.total, region.qualified, region.won, region.overdue) == (3, 2, 1, 1)
    assert region.qualified_target == (120, 180)
    assert region.investment_target == 1
    assert region.median_response_hours == 7.0
    assert dict(region.funnel)["new"] == 1
    assert dict(region.funnel)["won"] == 1
    assert region.by_country == [("serbia", 2), ("albania", 1)]
    assert region.by_origin == [("DE", 2), ("AT", 1)]
    assert region.by_roadshow == [("vienna-2026", 1)]
    assert dict(region.by_source) == {"inquiry": 2, "meeting": 1}
    serbia = build_dashboard(org("ipa-serbia"))
    assert (serbia.total, serbia.qualified, serbia.won, serbia.overdue) == (2, 2, 1, 0)


def test_the_dashboard_page_shows_the_pilot_targets(app, client, make_lead):
    seed(make_lead)
    login(client, make_user())
    page = client.get("/staff/").get_data(as_text=True)
    assert "120–180" in page
    assert "at least 1 investment" in page
    assert "vienna-2026" in page
    assert "Funnel by stage" in page
    scoped = client.get("/staff/?org=ipa-albania").get_data(as_text=True)
    assert "Albanian Investment Development Agency" in scoped


def test_country_users_see_their_organisation_only(app, client, make_lead):
    seed(make_lead)
    login(client, make_user("al@example.org", "ipa-albania", "country"))
    page = client.get("/staff/?org=ipa-serbia").get_data(as_text=True)
    assert "Dashboard: Albanian Investment Development Agency" in page
    assert "vienna-2026" not in page


def test_the_dashboard_draws_svg_charts(app, client, make_lead):
    seed(make_lead)
    login(client, make_user())
    page = client.get("/staff/").get_data(as_text=True)
    assert "<svg" in page
    assert not EXECUTABLE_SCRIPT.search(page)
