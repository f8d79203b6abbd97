"""Each recorded introduction step reaches HubSpot once, as a note on the investor's contact."""

import datetime as dt

import pytest
from sqlalchemy import select

from core.extensions import db
from leads import choices
from leads.crm import adapter, relay
from leads.models import ConsentRecord, Lead
from leads.partners import service
from leads.partners.models import Introduction, IntroductionStep, IntroStatus
from tests.support.crm import crm_settings
from tests.support.staff import make_user


@pytest.fixture
def app_overrides(hubspot_double, api_version):
    return crm_settings(hubspot_double, api_version, HUBSPOT_TIMEOUT=2.0, HUBSPOT_MAX_ATTEMPTS=3)


def consented_lead(make_lead) -> Lead:
    lead = make_lead(countries=("kosovo",))
    grant = lead.consents[0]
    lead.consents.append(
        ConsentRecord(
            purpose=choices.SHARE_WITH_PARTNERS,
            granted=True,
            notice_version=grant.notice_version,
            notice_hash=grant.notice_hash,
            form="introduce",
            method="separate optional unticked checkbox, web form",
        )
    )
    db.session.commit()
    return lead


def test_steps_become_notes_on_the_contact_once_and_no_deal(app, make_lead, hubspot_double):
    adapter.run_setup()
    lead = consented_lead(make_lead)
    chapter = make_user("chapter@absl-kosovo.example.org", "absl-kosovo", "country")
    partner = service.listed_partner("speeex-education")
    day = dt.date(2026, 12, 1)
    service.record_step(lead, chapter, partner, IntroStatus.INTRODUCED, day)
    service.record_step(lead, chapter, partner, IntroStatus.MEETING_HELD, day)
    db.session.commit()

    relay.sync()
    relay.sync()  # nothing is sent twice

    notes = hubspot_double.objects["notes"]
    bodies = [n["properties"]["hs_note_body"] for n in notes.values()]
    assert sum("Introduction to partners: introduced" in b for b in bodies) == 1
    assert sum("Introduction to partners: meeting held" in b for b in bodies) == 1
    steps = list(db.session.scalars(select(IntroductionStep)))
    assert all(s.crm_note_id in notes for s in steps)
    contact = db.session.get(Lead, lead.id).crm_contact_id
    for s in steps:
        assert hubspot_double.associated("notes", s.crm_note_id, "contacts") == {contact}
    assert hubspot_double.objects["deals"] == {}  # not qualified: no deal
    assert db.session.scalar(select(Introduction)).status == "meeting_held"
