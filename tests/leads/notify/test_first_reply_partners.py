"""A first reply to an inquiry asking for help with recruiting or training names partners."""

from __future__ import annotations

import pytest

from core.extensions import db
from leads.capture.service import ConsentProof, Submission, record_submission
from leads.models import Inquiry, Lead
from leads.notify.first_reply import make_case
from leads.notify.relay import send_pending
from tests.support.mail import first_replies, parts

CONSENT = ConsentProof("answer_inquiry", "v1", "0" * 64, "contact", "/contact/")


@pytest.fixture
def backend():
    return "sqlite"


def inquire(help_with, countries=("albania",), lang="en", address="eva@example.de"):
    recorded = record_submission(
        Submission(
            kind="inquiry",
            email=address,
            consent=CONSENT,
            lead={
                "full_name": "Eva Gruber",
                "company": "Gruber IT GmbH",
                "interest": "bpo",
                "preferred_language": lang,
            },
            countries=countries,
            lang=lang,
            answers={"help_with": help_with},
        )
    )
    return db.session.get(Lead, recorded.lead_id), db.session.get(Inquiry, recorded.inquiry_id)


def test_recruiting_links_recruiters_and_employment_services_of_the_chosen_country(app):
    lead, inquiry = inquire(["recruiting"])
    case = make_case(lead, inquiry, "en")
    assert [p.name for p in case.partners] == ["National Agency for Employment and Skills (AKPA)"]
    assert case.partners_url.split("?")[0].endswith("/partners/country/albania/")
    assert "/partners/introduce/?country=albania" in case.introduce_url


def test_training_links_trainers_and_universities(app):
    lead, inquiry = inquire(["training"], countries=("north-macedonia",))
    names = [p.name for p in make_case(lead, inquiry, "en").partners]
    assert "Semos Education" in names
    assert any("FINKI" in name for name in names)
    assert not any("Employment" in name for name in names)


def test_premises_or_nothing_asked_links_no_partners(app):
    for help_with in ([], ["premises"]):
        lead, inquiry = inquire(help_with, address=f"x{len(help_with)}@example.de")
        assert make_case(lead, inquiry, "en").partners == []


def test_the_mail_names_the_partners_in_the_investors_language(app):
    inquire(["recruiting", "training"], countries=("kosovo",), lang="de")
    send_pending()
    (message,) = first_replies(app).values()
    text, html = parts(message)
    assert "Partner für Personalgewinnung und Schulung" in text
    assert "SPEEEX Education" in text
    assert "/de/partners/speeex-education/" in text
    assert "/de/partners/introduce/?country=kosovo" in html
