"""One impossible date stored on one lead stops no page and no run for everyone else."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import update

from core.extensions import db
from leads.lifecycle import outcomes, pipeline
from leads.lifecycle.stages import Stage
from leads.models import Lead, utcnow
from tests.support.followup import DAY, adviser, inquire, mails
from tests.support.staff import login, make_user

EXTREMES = [dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(1999, 12, 31), dt.date(2101, 1, 1)]


def _won(ana, address: str, company: str) -> Lead:
    lead = inquire(address, company=company, received=utcnow() - 400 * DAY)
    outcome = outcomes.Outcome(
        won_country="serbia", jobs_planned=40, investment_eur=1_500_000, land_date=utcnow().date()
    )
    pipeline.change_stage(lead, Stage.WON, ana, outcome=outcome)
    db.session.commit()
    return lead


@pytest.fixture
def bad_and_good(app):
    """Two won leads of one owner, one with an impossible date written straight to the table."""
    ana = adviser()
    good = _won(ana, "good@example.de", "Good Landing GmbH")
    bad = _won(ana, "bad@example.de", "Secret Name GmbH")
    open_lead = inquire("open@example.de", company="Open Lead GmbH", received=utcnow() - 5 * DAY)
    open_lead.owner = ana
    db.session.commit()
    return ana, good, bad, open_lead


def _store(lead: Lead, **values) -> None:
    db.session.execute(update(Lead).where(Lead.id == lead.id).values(**values))
    db.session.commit()
    db.session.expire_all()


@pytest.mark.parametrize("day", EXTREMES, ids=str)
def test_staff_pages_answer_with_one_impossible_stored_date(app, bad_and_good, day, caplog):
    ana, good, bad, open_lead = bad_and_good
    _store(bad, land_date=day, expected_land_date=day)
    _store(open_lead, expected_land_date=day)
    year = utcnow().year
    with caplog.at_level(logging.WARNING):
        for user in (make_user(), ana):
            client = app.test_client()
            login(client, user)
            for path in (
                "/staff/",
                f"/staff/impact/?from={year - 1}-01-01",
                f"/staff/impact.csv?from={year - 1}-01-01",
                f"/staff/leads/{bad.id}/",
                f"/staff/leads/{open_lead.id}/",
                f"/staff/leads/{good.id}/",
                "/staff/leads/",
            ):
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
    # Everyone else's figures are still there.
    client = app.test_client()
    login(client, ana)
    csv_text = client.get(f"/staff/impact.csv?from={year - 1}-01-01").get_data(as_text=True)
    assert ",Development Agency of Serbia (RAS),3,0,0,2,0,2,80,3000000," in csv_text
    if not outcomes.DATE_MIN <= day <= outcomes.DATE_MAX:
        logged = [r.getMessage() for r in caplog.records if f"lead {bad.id}" in r.getMessage()]
        assert logged, "the bad row is logged"
    for record in caplog.records:
        message = record.getMessage()
        assert "Secret Name" not in message
        assert "bad@example.de" not in message


@pytest.mark.parametrize("day", EXTREMES, ids=str)
def test_reminders_go_out_for_everyone_with_one_impossible_stored_date(
    app, runner, bad_and_good, day
):
    _ana, _good, bad, open_lead = bad_and_good
    _store(bad, land_date=day, expected_land_date=day)
    _store(open_lead, expected_land_date=day)
    result = runner.invoke(args=["leads", "remind"])
    assert result.exit_code == 0, result.output
    assert "1 digest(s)" in result.output
    (digest,) = mails(app, "staff.reminders")
    body = digest.get_content()
    assert "First responses overdue (1)" in body
    assert "Open Lead GmbH" in body


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
@pytest.mark.parametrize("field", ["land_date", "expected_land_date"])
def test_staff_forms_refuse_dates_outside_2000_to_2100(app, client, value, field):
    from tests.support.staff import csrf_token

    ana = adviser()
    lead = inquire("eva@example.de")
    lead.owner = ana
    db.session.commit()
    login(client, ana)
    url = f"/staff/leads/{lead.id}/"
    token = csrf_token(client, url)
    if field == "land_date":
        data = {
            "stage": "won",
            "won_country": "serbia",
            "jobs_planned": "40",
            "investment_eur": "1000000",
            "land_date": value,
        }
        response = client.post(f"{url}stage", data={"csrf_token": token, **data})
    else:
        data = {"likelihood": "", "expected_land_date": value}
        response = client.post(f"{url}qualification", data={"csrf_token": token, **data})
    text = response.get_data(as_text=True)
    assert response.status_code in (200, 400, 422), response.status_code
    assert "between 2000-01-01 and 2100-12-31" in text
    db.session.expire_all()
    stored = db.session.get(Lead, lead.id)
    assert getattr(stored, field) is None
    assert stored.stage != "won"


def test_the_outcome_check_bounds_dates():
    lead = Lead(created_at=dt.datetime(2026, 1, 5))
    for day in EXTREMES:
        won = outcomes.Outcome("serbia", 1, 1, day)
        assert "land_date" in outcomes.check(lead, "won", won)
        assert "expected_land_date" in outcomes.check_qualification([], "", day, lead)
    last = outcomes.Outcome("serbia", 1, 1, dt.date(2100, 12, 31))
    assert outcomes.check(lead, "won", last) == {}
