"""The inquiry form at /contact/: the contract fields, one transaction, dedup, bad input."""

import hashlib
import logging
import re
import time

import pytest
from sqlalchemy import func, select

from core.countries import COUNTRY_SLUGS
from core.extensions import db
from leads.capture import spam
from leads.models import AuditEntry, ConsentRecord, Inquiry, Lead, OutboxEvent
from tests.support.apps import ROOT
from tests.support.capture import hidden_fields, inquiry_data, submit

pytestmark = pytest.mark.usefixtures("later")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def nothing_stored() -> bool:
    return count(Lead) == count(Inquiry) == count(ConsentRecord) == count(OutboxEvent) == 0


@pytest.mark.parametrize("url", ["/contact/", "/de/contact/", "/sv/contact/"])
def test_form_has_the_contract_fields(client, url):
    html = client.get(url).get_data(as_text=True)
    for name in ("full_name", "email", "company", "consent", "csrf_token"):
        assert f'name="{name}"' in html
    boxes = re.findall(r'<input[^>]*name="countries"[^>]*>', html)
    values = {re.search(r'value="([^"]+)"', box).group(1) for box in boxes}
    assert set(COUNTRY_SLUGS) <= values
    assert all('type="checkbox"' in box for box in boxes)
    assert re.search(
        r'<input[^>]*name="consent"[^>]*type="checkbox"|type="checkbox"[^>]*name="consent"', html
    )


def test_honeypot_is_hidden_from_people_and_keyboards(client):
    html = client.get("/contact/").get_data(as_text=True)
    trap = re.search(r'<div class="form-trap" aria-hidden="true">(.*?)</div>', html, re.S).group(1)
    assert 'tabindex="-1"' in trap
    assert 'autocomplete="off"' in trap
    assert 'name="homepage"' in trap
    assert "css/forms.css" in html
    css = (ROOT / "static/css/forms.css").read_text()
    assert re.search(r"\.form-trap\s*\{[^}]*left:\s*-10000px", css)
    # Strict CSP: no inline styles or scripts (JSON-LD data blocks are not scripts).
    assert "style=" not in html
    assert re.findall(r"<script(?![^>]*application/ld\+json)", html) == []


def test_valid_inquiry_is_stored_with_consent_attribution_and_events(app, client):
    client.get(
        "/?utm_source=linkedin&utm_medium=social&utm_campaign=munich-2027",
        headers={"Referer": "https://www.linkedin.com/feed/"},
    )
    response = submit(client, "/contact/", inquiry_data(email="  Anna.Mueller@Example.DE "))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/contact/thanks/")

    lead = db.session.scalar(select(Lead))
    assert lead.email == "anna.mueller@example.de"
    assert (lead.full_name, lead.company, lead.job_title) == (
        "Anna Müller",
        "Müller Software GmbH",
        "Head of Delivery",
    )
    assert (lead.hq_country, lead.interest, lead.source) == ("DE", "ict", "inquiry")
    assert lead.company_domain == "mueller-software.de"
    assert lead.preferred_language == "de"
    assert lead.country_slugs == ["north-macedonia", "serbia"]
    assert lead.campaign == "munich-2027"
    assert lead.response_due_at is not None
    assert lead.response_due_at > lead.created_at

    (inquiry,) = lead.inquiries
    assert inquiry.kind == "inquiry"
    assert (inquiry.project_type, inquiry.headcount_band, inquiry.investment_band) == (
        "delivery_centre",
        "50-249",
        "1m-5m",
    )
    assert inquiry.timeline == "6-12m"
    assert inquiry.sector == "ict"
    assert inquiry.event_slug == "munich-investor-roadshow-2027"
    assert inquiry.answers["message"].startswith("We plan a nearshore team")
    assert inquiry.answers["countries"] == ["serbia", "north-macedonia"]
    assert "csrf_token" not in inquiry.answers
    assert "homepage" not in inquiry.answers
    assert (inquiry.utm_source, inquiry.utm_medium, inquiry.utm_campaign) == (
        "linkedin",
        "social",
        "munich-2027",
    )
    assert inquiry.referrer == "https://www.linkedin.com/feed/"
    assert inquiry.landing_page.startswith("/?utm_source=linkedin")
    assert inquiry.page == "/contact/"

    (consent,) = lead.consents
    privacy = (ROOT / "content/pages/privacy.md").read_text(encoding="utf-8")
    body = privacy.split("---\n", 2)[2]  # the text after the front matter, as shown
    assert consent.granted
    assert consent.purpose == "answer_inquiry"
    assert consent.notice_version == "2026-12-01"
    assert consent.notice_hash == hashlib.sha256(body.encode()).hexdigest()
    assert (consent.form, consent.page, consent.inquiry_id) == ("contact", "/contact/", inquiry.id)
    assert "checkbox" in consent.method

    events = db.session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)).all()
    assert [(e.channel, e.kind) for e in events] == [
        ("crm", "lead.upserted"),
        ("mail", "team.notification"),
        ("mail", "investor.acknowledgement"),
    ]
    assert all(e.lead_id == lead.id and e.status == "pending" for e in events)
    assert db.session.scalar(select(AuditEntry.action)) == "lead.created"


def test_only_the_contract_fields_are_enough(client):
    """Tools that post only the documented fields (no hidden render time) get stored too."""
    html = client.get("/contact/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = client.post(
        "/contact/",
        data={
            "csrf_token": token,
            "full_name": "Lars Berg",
            "email": "lars@example.se",
            "company": "Berg AB",
            "countries": ["kosovo", "serbia"],
            "consent": "y",
        },
    )
    assert response.status_code == 303
    lead = db.session.scalar(select(Lead))
    assert lead.country_slugs == ["kosovo", "serbia"]
    assert lead.inquiries[0].headcount_band == "unknown"


def test_thank_you_page_names_the_response_time(client):
    html = client.get("/contact/thanks/").get_data(as_text=True)
    assert "within 2 working days" in html
    assert "What happens next" in html


def test_german_form_thanks_in_german_url_and_records_language(client):
    response = submit(client, "/de/contact/", inquiry_data(preferred_language=None))
    assert response.headers["Location"].endswith("/de/contact/thanks/")
    lead = db.session.scalar(select(Lead))
    assert lead.preferred_language == "de"
    assert lead.inquiries[0].lang == "de"
    assert lead.consents[0].page == "/de/contact/"


def test_returning_investor_gets_a_new_inquiry_on_the_same_lead(client):
    submit(client, "/contact/", inquiry_data(email="Anna.Mueller@example.de", countries=["serbia"]))
    # Full-width letters (NFKC) and upper case are the same address.
    second = inquiry_data(
        email=" ＡＮＮＡ.mueller@EXAMPLE.de ", countries=["albania"], job_title="CTO"
    )
    assert submit(client, "/contact/", second).status_code == 303
    (lead,) = db.session.scalars(select(Lead)).all()
    assert len(lead.inquiries) == 2
    assert lead.country_slugs == ["albania", "serbia"]
    assert lead.job_title == "CTO"
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    # Each inquiry is routed too: Serbia's agency first, then (two countries) the coordinator;
    # neither has anyone available for new leads in this test, which is flagged each time.
    assert actions == [
        "lead.created",
        "routed",
        "owner.none_available",
        "lead.returned",
        "routed",
        "owner.none_available",
    ]
    assert lead.organisation.slug == "absl-western-balkans"
    assert count(ConsentRecord) == 2
    crm = db.session.scalars(select(OutboxEvent).where(OutboxEvent.channel == "crm")).all()
    assert [e.lead_id for e in crm] == [lead.id, lead.id]


def test_no_country_means_not_decided_yet(client):
    submit(client, "/contact/", inquiry_data(countries=None))
    lead = db.session.scalar(select(Lead))
    assert lead.country_slugs == ["undecided"]
    assert lead.inquiries[0].countries == ["undecided"]


def test_errors_shown_beside_fields_and_input_kept(client):
    data = inquiry_data(full_name="", email="not-an-email", consent=None, company="Firma ÖÄÜ")
    response = submit(client, "/contact/", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for name in ("full_name", "email", "consent"):
        assert f'id="{name}-error"' in html
        tag = re.search(rf'<input[^>]*id="{name}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag
        assert f"{name}-error" in re.search(r'aria-describedby="([^"]+)"', tag).group(1)
    assert 'value="not-an-email"' in html
    assert 'value="Firma ÖÄÜ"' in html
    assert "We plan a nearshore team of 60 Java developers." in html
    assert re.search(r'<option selected value="50-249">|<option value="50-249" selected>', html)
    assert nothing_stored()


def test_fixing_an_error_right_away_is_not_taken_for_a_bot(client):
    """The re-shown form keeps its original render time, so a quick fix still counts."""
    fields = hidden_fields(client, "/contact/")
    first = client.post("/contact/", data={**fields, **inquiry_data(consent=None)})
    token = re.search(
        r'name="rendered_at" type="hidden" value="([^"]+)"', first.get_data(as_text=True)
    )
    assert token.group(1) == fields["rendered_at"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", "Anna\x00Müller"),
        ("company", "Evil\x1b[31m Corp"),
        ("job_title", "CTO\r\nBcc: victim@example.com"),
        ("message", "Hello\x00"),
        ("email", "anna\x00@example.de"),
        ("phone", "+49\x0789"),
    ],
)
def test_control_characters_are_refused_with_a_field_error(client, field, value):
    response = submit(client, "/contact/", inquiry_data(**{field: value}))
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert nothing_stored()


def test_unicode_right_to_left_and_emoji_are_welcome(client):
    data = inquiry_data(
        full_name="Zoë Ørsted-Łukasiewicz 🚀",
        company="شركة البلقان للبرمجيات",
        job_title="מנהל תפעול",
        message="Grüße aus Wien 👋\n\u200fשלום\u200f\tمرحبا — 你好",
    )
    assert submit(client, "/contact/", data).status_code == 303
    lead = db.session.scalar(select(Lead))
    assert lead.full_name == "Zoë Ørsted-Łukasiewicz 🚀"
    assert lead.company == "شركة البلقان للبرمجيات"
    assert lead.inquiries[0].message == "Grüße aus Wien 👋\n\u200fשלום\u200f\tمرحبا — 你好"


@pytest.mark.parametrize(
    ("field", "limit"), [("full_name", 200), ("company", 200), ("message", 5000), ("phone", 50)]
)
def test_fields_have_length_limits(client, field, limit):
    value = "+" + "1" * limit if field == "phone" else "x" * (limit + 1)
    response = submit(client, "/contact/", inquiry_data(**{field: value}))
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert nothing_stored()


def test_unknown_option_values_are_refused(client):
    data = inquiry_data(countries=["serbia", "atlantis"], headcount_band="1000000")
    html = submit(client, "/contact/", data).get_data(as_text=True)
    assert 'id="countries-error"' in html
    assert 'id="headcount_band-error"' in html
    assert "atlantis" not in html.split('id="countries-error"')[1][:200]
    assert nothing_stored()


def test_fast_post_is_thanked_but_not_stored(client, caplog, monkeypatch):
    monkeypatch.setattr(spam, "clock", time.time)
    caplog.set_level(logging.INFO, logger="leads.capture.spam")
    response = submit(client, "/contact/", inquiry_data())  # no delay: a bot
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/contact/thanks/")
    assert nothing_stored()
    assert "automated submission dropped: form=contact reason=too_fast" in caplog.text
    assert "anna" not in caplog.text.lower()
    assert "example.de" not in caplog.text


def test_filled_honeypot_is_thanked_but_not_stored(client, caplog):
    caplog.set_level(logging.INFO, logger="leads.capture.spam")
    response = submit(client, "/contact/", inquiry_data(homepage="http://spam.example"))
    assert response.status_code == 303
    assert nothing_stored()
    assert "reason=honeypot" in caplog.text


def test_forged_render_time_counts_as_a_bot(client):
    fields = hidden_fields(client, "/contact/")
    with client.session_transaction() as session:
        session.pop("form_rendered")
    fields["rendered_at"] = "contact:1000.forged-signature"
    response = client.post("/contact/", data={**fields, **inquiry_data()})
    assert response.status_code == 303
    assert nothing_stored()


def test_missing_csrf_token_is_refused(client):
    fields = hidden_fields(client, "/contact/")
    del fields["csrf_token"]
    response = client.post("/contact/", data={**fields, **inquiry_data()})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert nothing_stored()


def test_forged_csrf_token_is_refused(client):
    fields = hidden_fields(client, "/contact/")
    fields["csrf_token"] = "forged." + fields["csrf_token"][7:]
    assert client.post("/contact/", data={**fields, **inquiry_data()}).status_code == 400
    assert nothing_stored()


def test_expired_csrf_token_shows_the_form_again_with_the_input(app, client):
    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    class TwoHoursAgo(TimestampSigner):
        def get_timestamp(self):
            return super().get_timestamp() - 7200

    fields = hidden_fields(client, "/contact/")
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    old = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token", signer=TwoHoursAgo)
    fields["csrf_token"] = old.dumps(raw)
    response = client.post("/contact/", data={**fields, **inquiry_data()})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "send the form again" in html
    assert "Everything you typed is still here" in html
    assert 'value="Müller Software GmbH"' in html
    assert nothing_stored()
    # Sending the re-shown form again works.
    again = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1),
        "rendered_at": fields["rendered_at"],
    }
    assert client.post("/contact/", data={**again, **inquiry_data()}).status_code == 303
    assert count(Lead) == 1


def test_oversized_post_gets_a_friendly_413(client):
    fields = hidden_fields(client, "/contact/")
    response = client.post("/contact/", data={**fields, **inquiry_data(message="x" * 70_000)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    assert nothing_stored()


def test_attribution_is_taken_from_the_first_page_of_the_session(client):
    client.get(
        "/?utm_source=qr&utm_campaign=vienna-flyer", headers={"Referer": "https://x.example/"}
    )
    client.get("/contact/?utm_source=newsletter", headers={"Referer": "https://y.example/"})
    submit(client, "/contact/", inquiry_data())
    inquiry = db.session.scalar(select(Inquiry))
    assert (inquiry.utm_source, inquiry.utm_campaign) == ("qr", "vienna-flyer")
    assert inquiry.referrer == "https://x.example/"
    assert inquiry.landing_page == "/?utm_source=qr&utm_campaign=vienna-flyer"


def test_attribution_drops_control_characters(client):
    client.get("/contact/?utm_source=%00ne%0d%0awsletter&utm_term=" + "a" * 300)
    submit(client, "/contact/", inquiry_data())
    inquiry = db.session.scalar(select(Inquiry))
    assert inquiry.utm_source == "newsletter"
    assert inquiry.utm_term == "a" * 200


def test_refused_control_characters_are_not_echoed_back(client):
    response = submit(client, "/contact/", inquiry_data(full_name="Anna\x00\x1bMüller"))
    html = response.get_data(as_text=True)
    assert "\x00" not in html
    assert "\x1b" not in html
    assert 'value="AnnaMüller"' in html


def test_direct_visits_set_no_cookie_and_campaign_visits_are_remembered(client):
    assert "Set-Cookie" not in client.get("/countries/serbia/").headers
    same_site = client.get("/countries/", headers={"Referer": "http://localhost/"})
    assert "Set-Cookie" not in same_site.headers
    campaign = client.get("/?utm_source=linkedin&utm_campaign=munich")
    assert "session=" in campaign.headers["Set-Cookie"]
    referred = client.application.test_client().get(
        "/", headers={"Referer": "https://www.example.de/nearshoring"}
    )
    assert "session=" in referred.headers["Set-Cookie"]
