"""Filling the lead forms the way a person does: by label-less field names of the contract,
plus any other field the form marks as required."""

from __future__ import annotations

import time

from sqlalchemy import select

from core.extensions import db
from leads.models import Lead

HONEYPOT = "homepage"  # the bot trap field of the lead forms (leads/capture/spam.py)

INVESTOR = {
    "full_name": "Anna Berger",
    "company": "Berger Software GmbH",
    "job_title": "Head of Delivery",
    "phone": "+49 89 1234567",
    "company_website": "https://berger-software.example",
    "message": "We plan a nearshore delivery centre of about 40 engineers next year.",
}


def contact_form(page):
    """Return the lead form on the page (the one with an email field)."""
    return page.locator("main form:has(input[name='email'])").first


def fill_required(form) -> None:
    """Give every still-empty required field a plausible answer."""
    fields = form.locator("[required]:not([type=hidden])")
    for i in range(fields.count()):
        el = fields.nth(i)
        if not el.is_visible() or el.is_disabled():
            continue
        tag = el.evaluate("e => e.tagName.toLowerCase()")
        kind = (el.get_attribute("type") or "").lower()
        name = el.get_attribute("name") or ""
        if tag == "select":
            if not el.input_value():
                values = el.locator("option").evaluate_all(
                    "os => os.map(o => o.value).filter(v => v)"
                )
                el.select_option(values[0])
        elif kind in ("checkbox",):
            el.check()
        elif kind == "radio":
            group = form.locator(f"input[type=radio][name='{name}']")
            if not group.evaluate_all("rs => rs.some(r => r.checked)"):
                group.first.check()
        elif not el.input_value():
            value = {
                "email": "anna.berger@berger-software.example",
                "url": "https://berger-software.example",
                "tel": "+49 89 1234567",
                "number": "40",
                "date": "2027-03-01",
            }.get(kind, INVESTOR.get(name, "Test answer"))
            el.fill(value)


def fill_lead_form(form, email: str, countries=("serbia",)) -> None:
    """Fill the documented fields of a lead form, then the other required ones."""
    for name, value in {"email": email, **INVESTOR}.items():
        field = form.locator(f"[name='{name}']:visible")
        if field.count():
            field.first.fill(value)
    for slug in countries:
        box = form.locator(f"input[name='countries'][value='{slug}']")
        if box.count():
            box.check()
    consent = form.locator("input[name='consent']")
    if consent.count():
        consent.check()
    fill_required(form)


def submit(form) -> None:
    """Press the form's submit button."""
    form.locator("button[type=submit], input[type=submit], button:not([type])").last.click()


def wait_past_bot_trap(rendered_at: float, seconds: float) -> None:
    """Sleep until the form has been on screen longer than the bot time trap."""
    remaining = rendered_at + seconds + 0.3 - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)


def find_lead(app, email: str) -> Lead | None:
    """Return the lead stored for an email (with its inquiries), or None."""
    with app.app_context():
        lead = db.session.scalar(select(Lead).where(Lead.email == email.lower()))
        if lead is not None:
            lead.inquiries  # noqa: B018 - load them before the session closes
            lead.countries  # noqa: B018
            db.session.expunge(lead)
        db.session.remove()
        return lead
