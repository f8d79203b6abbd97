"""Request an introduction to partners: the form, what it stores, how it is routed."""

import re

import pytest
from sqlalchemy import select

from core.extensions import db
from leads import choices
from leads.models import ConsentRecord, Inquiry, Lead, OutboxEvent
from leads.partners.models import Introduction
from tests.support.capture import later, submit  # noqa: F401

pytestmark = pytest.mark.usefixtures("later")
URL = "/partners/introduce/"


def intro_data(**overrides):
    data = {
        "full_name": "Karin Lindqvist",
        "email": "karin@example.se",
        "company": "Nordic CX AB",
        "partners": ["speeex-education"],
        "need": "30 German-speaking support agents in Prishtina from March.",
        "team_size": "30",
        "team_languages": ["de", "en"],
        "timeline": "0-6m",
        "consent": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def checked(html: str, name: str, value: str) -> bool:
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*value="{value}"[^>]*>', html)
    return bool(inputs) and " checked" in inputs[0]


def test_a_partner_link_preselects_the_partner_and_its_country(client):
    html = client.get(f"{URL}?partner=speeex-education").get_data(as_text=True)
    assert checked(html, "partners", "speeex-education")
    assert checked(html, "countries", "kosovo")
    assert not checked(html, "partners", "stikk-kosovo-ict-association")
    # Only partners that work in Kosovo are offered beside it.
    assert "STIKK" in html
    assert "Vojvodina ICT Cluster" not in html


def test_country_and_kind_links_narrow_the_partners_offered(client):
    html = client.get(f"{URL}?country=serbia&kind=recruitment-firm").get_data(as_text=True)
    assert "ManpowerGroup Serbia" in html
    assert "Infostud" in html
    assert "National Employment Service" not in html
    assert checked(html, "countries", "serbia")


def test_the_form_is_translated_and_stale_links_still_show_it(client):
    html = client.get("/sv/partners/introduce/?partner=no-such-partner&kind=x").get_data(
        as_text=True
    )
    assert "Be om en introduktion till partner" in html
    assert 'name="need"' in html


def test_a_request_is_stored_as_an_introduction_lead_routed_to_the_chapter(client):
    response = submit(client, f"{URL}?partner=speeex-education", intro_data(countries=["kosovo"]))
    assert response.status_code == 303
    lead = db.session.scalar(select(Lead))
    inquiry = db.session.scalar(select(Inquiry))
    assert lead.source == inquiry.kind == "introduction"
    assert inquiry.message.startswith("30 German-speaking")
    assert inquiry.headcount_band == "10-49"
    assert inquiry.answers["team_languages"] == ["de", "en"]
    assert lead.organisation.slug == "absl-kosovo"
    assert {row.organisation.slug for row in lead.shared_with} == {"ipa-kosovo"}
    intro = db.session.scalar(select(Introduction))
    assert (intro.partner_slug, intro.partner_kind, intro.partner_country, intro.status) == (
        "speeex-education",
        "training-provider",
        "kosovo",
        "requested",
    )
    assert any(line.rule == "introduction" for line in _breakdown(lead))
    kinds = set(db.session.scalars(select(OutboxEvent.kind)))
    assert {"lead.upserted", "team.notification", "investor.acknowledgement"} <= kinds


def _breakdown(lead):
    from leads.lifecycle import scoring

    return scoring.score_lead(scoring.facts_for(lead)).breakdown


def test_a_country_without_a_chapter_goes_to_the_regional_body(client):
    submit(client, URL, intro_data(partners=["ict-cortex"], countries=None))
    lead = db.session.scalar(select(Lead))
    assert lead.organisation.slug == "absl-western-balkans"
    assert {row.organisation.slug for row in lead.shared_with} == {"ipa-montenegro"}


def test_ordinary_inquiries_keep_their_rule(client):
    from tests.support.capture import inquiry_data

    submit(client, "/contact/", inquiry_data(countries=["kosovo"]))
    lead = db.session.scalar(select(Lead))
    assert lead.organisation.slug == "ipa-kosovo"


def test_sharing_with_partners_is_a_separate_optional_consent(client):
    submit(client, URL, intro_data())
    purposes = set(db.session.scalars(select(ConsentRecord.purpose)))
    assert purposes == {choices.ARRANGE_INTRODUCTION}
    db.session.remove()
    submit(client, URL, intro_data(email="other@example.se", share="y"))
    other = db.session.scalar(select(Lead).where(Lead.email == "other@example.se"))
    assert {c.purpose for c in other.consents} == {
        choices.ARRANGE_INTRODUCTION,
        choices.SHARE_WITH_PARTNERS,
    }
    share = next(c for c in other.consents if c.purpose == choices.SHARE_WITH_PARTNERS)
    assert share.method == "separate optional unticked checkbox, web form"


def test_mistakes_are_shown_beside_the_fields_in_the_readers_language(client):
    response = submit(
        client, "/de/partners/introduce/", intro_data(need="", team_size="viele", partners=None)
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bitte beschreiben Sie kurz, was Sie brauchen." in html
    assert "Bitte geben Sie eine ganze Zahl von Personen an" in html
    assert db.session.scalar(select(Lead)) is None


def test_an_unknown_partner_is_refused_not_stored(client):
    response = submit(client, URL, intro_data(partners=["made-up-partner"]))
    assert response.status_code == 200
    assert db.session.scalar(select(Lead)) is None
