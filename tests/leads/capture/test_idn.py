"""An internationalised domain and its ASCII (punycode) spelling are one mailbox: one lead."""

import pytest
from sqlalchemy import func, select

from core.extensions import db
from leads.capture.text import normalise_email
from leads.models import Inquiry, Lead
from tests.support.capture import inquiry_data, submit

pytestmark = pytest.mark.usefixtures("later")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Anna@Exämple.de", "anna@xn--exmple-cua.de"),
        ("anna@xn--exmple-cua.de", "anna@xn--exmple-cua.de"),
        (" ANNA@EXÄMPLE.DE ", "anna@xn--exmple-cua.de"),
        ("anna@example.de", "anna@example.de"),
        ("not-an-address", "not-an-address"),
    ],
)
def test_normalise_email_writes_the_domain_in_ascii(typed, expected):
    assert normalise_email(typed) == expected


def test_both_spellings_of_an_idn_domain_make_one_lead(client):
    for email in ("anna@exämple.de", "Anna@xn--exmple-cua.de"):
        response = submit(client, "/contact/", inquiry_data(email=email))
        assert response.status_code == 303
    assert db.session.scalar(select(func.count(Lead.id))) == 1
    assert db.session.scalar(select(func.count(Inquiry.id))) == 2
    assert db.session.scalar(select(Lead.email)) == "anna@xn--exmple-cua.de"
