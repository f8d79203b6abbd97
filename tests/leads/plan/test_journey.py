"""The investor's plan from end to end: inquiry → first reply with the link → plan page in the
investor's language → a message → the owner told → staff see it on the lead page."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

from core.extensions import db
from leads.capture.service import ConsentProof
from leads.notify.relay import send_pending
from leads.plan.models import PlanMessage
from tests.support.mail import inquire as support_inquire
from tests.support.staff import CSRF, login, make_user

CONSENT = ConsentProof("answer_inquiry", "v1", "0" * 64, "contact", "/contact/")
PLAN_LINK = re.compile(r"http://[^\s\"<>]+/plan/[A-Za-z0-9_\-.]+")


def adviser():
    ana = make_user("ana@ras.example.org", "ipa-serbia", "country")
    ana.display_name, ana.job_title = "Ana Petrović", "Investment Adviser"
    db.session.commit()
    return ana


def inquire(address="eva@example.de", lang="de", countries=("serbia", "montenegro"), **lead):
    """A German inquiry about two countries (the shared helper with this journey's defaults)."""
    return support_inquire(address, lang=lang, countries=countries, **lead)


def mails(app, kind: str) -> list[email.message.EmailMessage]:
    folder = Path(app.config["MAIL_FOLDER"])
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob(f"*-{kind}.eml"))
    ]


def plan_path(message) -> str:
    """Return the site path of the plan link in a mail's plain text."""
    text = message.get_body(("plain",)).get_content()
    found = PLAN_LINK.search(text)
    assert found, text
    return "/" + found.group(0).split("/", 3)[3]


def test_a_german_inquiry_gets_a_plan_in_german_and_a_message_reaches_the_owner(app, client):
    ana = adviser()
    lead = inquire()
    lead.owner_id = ana.id  # Montenegro and Serbia route to the regional team: give it Ana
    db.session.commit()
    send_pending()
    (reply,) = mails(app, "investor.acknowledgement")
    path = plan_path(reply)
    assert path.startswith("/de/plan/")
    assert path in reply.get_body(("html",)).get_content()

    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="de">' in html
    assert "Serbien" in html
    assert "Montenegro" in html
    assert "/de/countries/serbia/fact-sheet.pdf" in html
    assert "Ana Petrović" in html
    assert "Investment Adviser" in html
    assert "Berater zugewiesen" in html  # the status, in German
    assert "Ihr Plan" in html
    assert (
        "jeder, der diesen Link hat, kann sie sehen" in html
    )  # anyone holding the link sees the page
    assert page.headers["X-Robots-Tag"].startswith("noindex")
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"

    token = CSRF.search(html).group(1)
    sent = client.post(
        path + "/message", data={"csrf_token": token, "body": "Können wir im März telefonieren?"}
    )
    assert sent.status_code == 302
    (stored,) = db.session.query(PlanMessage).all()
    assert stored.lead_id == lead.id

    send_pending()
    (notice,) = mails(app, "staff.plan_message")
    assert notice["To"].addresses[0].addr_spec == "ana@ras.example.org"
    assert notice["Reply-To"].addresses[0].addr_spec == "eva@example.de"
    assert "Können wir im März telefonieren?" in notice.get_content()

    staff = app.test_client()
    login(staff, ana)
    lead_page = staff.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)
    assert "Können wir im März telefonieren?" in lead_page


def test_the_page_shows_nothing_staff_keep_to_themselves(app, client):
    ana = adviser()
    lead = inquire()
    lead.owner_id = ana.id
    db.session.commit()
    from leads.lifecycle import pipeline

    pipeline.add_note(lead, ana, "Budget looks thin; CFO sounded unsure.")
    db.session.commit()
    from leads.plan.token import plan_url

    html = client.get(plan_url(lead, "de").split("5000", 1)[-1]).get_data(as_text=True)
    assert "Budget looks thin" not in html
    assert "eva@example.de" not in html
    assert "Punkte" not in html
    assert "score" not in html.lower()
