"""Demo leads: fictional, scored and routed like real ones, and never added twice."""

from sqlalchemy import func, select

from core.extensions import db
from leads.models import Lead, OutboxEvent


def test_demo_leads_are_fictional_routed_and_loaded_once(app, runner):
    result = runner.invoke(args=["leads", "demo", "--count", "12"])
    assert result.exit_code == 0, result.output
    assert "12 fictional demo leads" in result.output
    leads = db.session.scalars(select(Lead)).all()
    assert len(leads) == 12
    assert all(lead.email.endswith(".example.com") for lead in leads)
    assert all(lead.organisation_id is not None for lead in leads)
    # Fictional advisers take the demo leads in turn, so the owner column is never empty.
    assert all(lead.owner is not None for lead in leads)
    assert all(lead.owner.email.endswith(".example.org") for lead in leads)
    assert all(lead.owner.organisation_id == lead.organisation_id for lead in leads)
    assert {lead.stage for lead in leads} > {"new"}
    assert db.session.scalar(select(func.count(OutboxEvent.id))) >= 12

    again = runner.invoke(args=["leads", "demo"])
    assert "no demo leads added" in again.output
    assert db.session.scalar(select(func.count(Lead.id))) == 12


def test_demo_meeting_requests_name_a_roadshow_that_takes_meetings(app, runner):
    from gateway.content_app import get_store
    from leads.models import Inquiry

    assert runner.invoke(args=["leads", "demo"]).exit_code == 0
    meetings = db.session.scalars(select(Inquiry).filter_by(kind="meeting")).all()
    assert meetings
    for inquiry in meetings:
        event = get_store().get("events", inquiry.event_slug)
        assert event is not None, inquiry.event_slug
        assert event.meta.meetings, inquiry.event_slug
