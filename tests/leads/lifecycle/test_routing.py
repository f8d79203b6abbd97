"""Routing: one country to its agency (chapter informed), otherwise the regional coordinator;
every new inquiry is scored and routed in the same transaction."""

import datetime as dt

import pytest
from sqlalchemy import select

from core.countries import COUNTRY_SLUGS
from core.extensions import db
from leads.lifecycle import pipeline
from leads.lifecycle.qualification import add_working_days, on_inquiry
from leads.lifecycle.routing import REGIONAL_COORDINATOR, route_lead
from leads.models import AuditEntry, Inquiry, Lead, LeadCountry, Organisation, OutboxEvent


def test_one_country_goes_to_its_agency_and_informs_its_chapter():
    route = route_lead(["serbia"])
    assert route.owner == "ipa-serbia"
    assert route.informed == ("absl-serbia",)


def test_a_country_without_a_chapter_informs_nobody():
    route = route_lead(["montenegro"])
    assert route.owner == "ipa-montenegro"
    assert route.informed == ()


@pytest.mark.parametrize("slug", COUNTRY_SLUGS)
def test_every_country_has_an_agency(slug):
    assert route_lead([slug]).owner == f"ipa-{slug}"


@pytest.mark.parametrize("countries", [["undecided"], [], ["kosovo", "undecided"]])
def test_undecided_countries_go_to_the_regional_coordinator(countries):
    route = route_lead(countries)
    assert route.owner == REGIONAL_COORDINATOR
    assert route.informed == ()
    assert route.reason


def test_several_countries_go_to_the_coordinator_and_inform_each_agency_and_chapter():
    route = route_lead(["serbia", "albania", "montenegro"])
    assert route.owner == REGIONAL_COORDINATOR
    # Montenegro has no ABSL chapter: its agency alone is informed.
    assert route.informed == (
        "ipa-albania",
        "absl-albania",
        "ipa-montenegro",
        "ipa-serbia",
        "absl-serbia",
    )


def _new_lead(countries, **inquiry):
    lead = Lead(
        email=f"{'-'.join(countries) or 'none'}@example.de",
        full_name="A. Investor",
        job_title="CEO",
        hq_country="AT",
        interest="bpo",
    )
    lead.countries = [LeadCountry(country=c) for c in countries]
    db.session.add(lead)
    inquiry = Inquiry(kind="inquiry", countries=list(countries), **inquiry)
    return lead, inquiry


def test_on_inquiry_scores_routes_and_promises_a_response(app):
    lead, inquiry = _new_lead(["albania"], headcount_band="50-249", timeline="0-6m")
    on_inquiry(lead, inquiry)
    db.session.commit()
    assert lead.organisation.slug == "ipa-albania"
    assert lead.score == 20 + 15 + 10 + 10 + 10  # headcount, timeline, sector, title, EU HQ
    assert lead.high_value
    assert lead.response_due_at is not None
    routed = db.session.scalars(
        select(AuditEntry).filter_by(lead_id=lead.id, action="routed")
    ).one()
    assert (routed.action, routed.to_value) == ("routed", "ipa-albania")
    assert "informed: absl-albania" in routed.reason
    assert [(s.organisation.slug, s.role) for s in lead.shared_with] == [
        ("absl-albania", "informed")
    ]


def test_scoring_and_routing_roll_back_with_the_inquiry(app):
    lead, inquiry = _new_lead(["serbia"])
    on_inquiry(lead, inquiry)
    db.session.rollback()
    assert db.session.scalar(select(Lead)) is None
    assert db.session.scalar(select(AuditEntry)) is None
    assert db.session.scalar(select(OutboxEvent)) is None


def test_a_manual_reassignment_survives_a_new_inquiry(app):
    lead, inquiry = _new_lead(["serbia"])
    on_inquiry(lead, inquiry)
    db.session.commit()
    kosovo = db.session.scalar(select(Organisation).filter_by(slug="ipa-kosovo"))
    pipeline.assign_organisation(lead, kosovo, None, "investor asked for Kosovo")
    db.session.commit()
    on_inquiry(lead, Inquiry(kind="inquiry", countries=["serbia"]))
    db.session.commit()
    assert lead.organisation.slug == "ipa-kosovo"


def test_a_repeat_inquiry_rescores_the_lead(app):
    lead, inquiry = _new_lead(["serbia"])
    on_inquiry(lead, inquiry)
    db.session.commit()
    before = lead.score
    on_inquiry(lead, Inquiry(kind="meeting", countries=["serbia"]))
    db.session.commit()
    assert lead.score == before + 15 + 5  # meeting request, one repeat inquiry


def test_response_due_counts_working_days():
    friday = dt.datetime(2026, 5, 8, 14, 0)
    assert add_working_days(friday, 2) == dt.datetime(2026, 5, 12, 14, 0)  # Tuesday
    monday = dt.datetime(2026, 5, 11, 10, 0)
    assert add_working_days(monday, 2) == dt.datetime(2026, 5, 13, 10, 0)
