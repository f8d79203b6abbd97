"""The impact report counts introductions per chapter and partner kind, and their outcomes."""

import datetime as dt

import pytest
from sqlalchemy import select

from core.extensions import db
from leads.followup import impact
from leads.models import Lead, Organisation, StaffUser, utcnow
from leads.partners import service
from leads.partners.models import IntroStatus
from tests.support.capture import later, submit  # noqa: F401
from tests.support.staff import login, make_user

pytestmark = pytest.mark.usefixtures("later")


def request_intro(client, email, partners):
    data = {
        "full_name": "Karin Lindqvist",
        "email": email,
        "company": "Nordic CX AB",
        "partners": partners,
        "need": "A team of 30.",
        "consent": "y",
        "share": "y",
    }
    assert submit(client, "/partners/introduce/", data).status_code == 303
    db.session.remove()
    return db.session.scalar(select(Lead).where(Lead.email == email))


def test_introductions_and_outcomes_are_counted_per_chapter_and_kind(client):
    today = utcnow().date()
    chapter_id = make_user("chapter@absl-kosovo.example.org", "absl-kosovo", "country").id
    first_id = request_intro(
        client, "a@example.se", ["speeex-education", "employment-agency-kosovo"]
    ).id
    second_id = request_intro(client, "b@example.se", ["stikk-kosovo-ict-association"]).id
    first, second = db.session.get(Lead, first_id), db.session.get(Lead, second_id)
    chapter = db.session.get(StaffUser, chapter_id)
    speeex = service.listed_partner("speeex-education")
    service.record_step(first, chapter, speeex, IntroStatus.INTRODUCED, today)
    service.record_step(first, chapter, speeex, IntroStatus.CONTRACT_SIGNED, today)
    agency = service.listed_partner("employment-agency-kosovo")
    service.record_step(first, chapter, agency, IntroStatus.NO_FIT, today)
    stikk = service.listed_partner("stikk-kosovo-ict-association")
    # A step dated before the period is not counted in it.
    service.record_step(second, chapter, stikk, IntroStatus.INTRODUCED, dt.date(2020, 6, 1))
    db.session.commit()

    kosovo = db.session.scalar(select(Organisation).filter_by(slug="absl-kosovo"))
    period = impact.Period(dt.date(today.year, 1, 1), today)
    (row,) = impact.impact_report([kosovo], period)
    total = row.introductions.total
    assert (total.requested, total.introduced, total.contract_signed, total.no_fit) == (3, 1, 1, 1)
    by_kind = row.introductions.by_kind
    assert by_kind["training-provider"].contract_signed == 1
    assert by_kind["public-employment-service"].no_fit == 1
    assert by_kind["association"].requested == 1
    assert by_kind["association"].introduced == 0

    lines = "".join(impact.export_csv([row], period)).splitlines()
    header = lines[0].split(",")
    assert header[-6:] == [
        "intro_requested",
        "intro_introduced",
        "intro_meeting_held",
        "intro_contract_signed",
        "intro_no_fit",
        "partner_kind",
    ]
    assert lines[1].endswith(",3,1,0,1,1,")
    kinds = {line.rsplit(",", 1)[1]: line for line in lines[2:]}
    assert set(kinds) == {"association", "public-employment-service", "training-provider"}
    assert kinds["training-provider"].endswith(",1,1,0,1,0,training-provider")

    login(client, chapter)
    html = client.get(f"/staff/impact/?from={today.year}-01-01").get_data(as_text=True)
    assert "Introductions to partners, by partner kind" in html
    assert "Training provider" in html
