"""The follow-up mails: an owner's reminder digest, and a check-in with a silent investor.

Both are built when the mail relay sends them. A check-in carries its unsubscribe link in the
body and in ``List-Unsubscribe`` / ``List-Unsubscribe-Post`` (RFC 2369, RFC 8058); the link is
our own signed URL, and like every header value it goes through ``messages.header_text``.
"""

from __future__ import annotations

from email.message import EmailMessage

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from core.countries import is_country
from core.extensions import db
from gateway.costs.present import country_label
from leads.common.labels import countries_label
from leads.followup import checkins, items
from leads.followup.models import CheckIn, ReminderDigest
from leads.models import Lead, OutboxEvent
from leads.notify import messages
from leads.plan.token import link_for_mail


def _live_url(endpoint: str, **values) -> str:
    with current_app.test_request_context(base_url=current_app.config["LEADS_URL"]):
        return url_for(endpoint, _external=True, **values)


def unsubscribe_url(check_in: CheckIn) -> str:
    """Return the absolute unsubscribe address of a check-in, in the investor's language."""
    lang = messages.lead_language(check_in.lead)
    return _live_url("followup.unsubscribe", token=checkins.unsubscribe_token(check_in), lang=lang)


def reminder_digest(event: OutboxEvent) -> EmailMessage:
    """Build an owner's digest from what was recorded for that day (Skipped if nobody to tell)."""
    digest = db.session.get(ReminderDigest, (event.payload or {}).get("digest_id") or 0)
    if digest is None or not digest.staff.active or not (digest.staff.email or "").strip():
        raise messages.Skipped("the staff account is closed or has no email address")
    ids = [row["lead_id"] for row in digest.items]
    leads = {
        lead.id: lead
        for lead in db.session.scalars(
            select(Lead).where(Lead.id.in_(ids), Lead.erased_at.is_(None))
        )
    }
    sections = []
    for section in items.Section:
        rows = [
            (leads[row["lead_id"]], row["why"])
            for row in digest.items
            if row["section"] == section.value and row["lead_id"] in leads
        ]
        if rows:
            sections.append((items.section_label(section), rows))
    if not sections:
        raise messages.Skipped("every lead of the digest is erased")
    staff = digest.staff
    count = sum(len(rows) for _label, rows in sections)
    subject = f"Follow up today: {count} lead{'s' if count != 1 else ''} ({digest.day:%Y-%m-%d})"
    with force_locale("en"):
        body = render_template(
            "leads/followup/reminders.txt",
            staff=staff,
            day=digest.day,
            sections=sections,
            link=messages.staff_link,
            countries=countries_label,
            dashboard=f"{current_app.config['LEADS_URL']}/staff/",
            account_link=f"{current_app.config['LEADS_URL']}/staff/account/",
        )
    return messages.new_message(subject, messages.address(staff.name, staff.email), body)


def check_in(event: OutboxEvent) -> EmailMessage:
    """Build a check-in mail from the lead's owner (Skipped when it may no longer be sent)."""
    record = db.session.get(CheckIn, (event.payload or {}).get("check_in_id") or 0)
    if record is None or not checkins.may_check_in(record.lead) or record.unsubscribed_at:
        raise messages.Skipped("the investor can no longer be checked in with")
    lead = record.lead
    owner = lead.owner
    link = unsubscribe_url(record)
    lang = messages.lead_language(lead)
    with force_locale(lang):
        named = [country_label(c, lang) for c in lead.country_slugs if is_country(c)]
        countries = ", ".join(named) or _("the region")
        subject = (
            _("Checking in: your plans in %(countries)s", countries=countries)
            if record.number == 1
            else _("A last check-in about your plans in %(countries)s", countries=countries)
        )
        body = render_template(
            "leads/followup/check_in.txt",
            lead=lead,
            owner=owner,
            organisation=lead.organisation.name if lead.organisation else "",
            countries=countries,
            number=record.number,
            unsubscribe=link,
            plan_link=link_for_mail(lead, lang),
        )
    message = messages.new_message(
        subject, messages.address(lead.full_name, lead.email or ""), body
    )
    if owner is not None and owner.email:
        message["Reply-To"] = messages.address(owner.name, owner.email)
    message["List-Unsubscribe"] = f"<{messages.header_text(link, 900)}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message
