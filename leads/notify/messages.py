"""Build the emails of the lead forms from the stored lead and inquiry.

Messages are built when the relay sends them, not when the form is posted (the team mail goes
to the organisation the lead is routed to by then). Header values are data, never markup.
``header_text`` drops control characters and breaks up any RFC 2047 encoded word typed into a
form: the standard library's header parser would otherwise decode it, and some interpreters
(CPython before 3.11.10, CVE-2024-6923) then write the decoded CR/LF out as real header lines.
Whatever the interpreter does, ``serialise`` checks the bytes that will be sent: the same
headers, in the same order, with the same values, and nothing else.
"""

from __future__ import annotations

import email.policy
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from core.countries import country_name
from core.locales import DEFAULT_LANG, LANGUAGES
from leads.capture.text import clean_line
from leads.lifecycle import scoring
from leads.models import Inquiry, Lead, StaffUser
from leads.notify import first_reply
from leads.notify.estimate import context as estimate_context
from leads.notify.policy import (  # noqa: F401 - the mail vocabulary, read from here too
    ENCODED_WORD_LIMIT,
    POLICY,
    UnsafeMessageError,
    UnsendableError,
    _encoded_words,
    _unfolded,
)
from leads.plan.token import link_for_mail


class Skipped(Exception):
    """Nobody to send to: the staff member chose other notices, left, or has no address."""


DISPLAY_NAME_LIMIT = 60


def header_text(value: object, limit: int = 250) -> str:
    """Return text safe for a mail header: one line, no control characters, no encoded words."""
    # "=?" opens an encoded word and "?=" closes one: a space between the two characters keeps
    # the text readable and leaves the header parser nothing to decode.
    text = clean_line(value, limit).replace("=?", "= ?").replace("?=", "? =")
    return text[:limit].strip()


def address(name: object, addr: str) -> Address:
    """Return a mail address with a display name, both made header-safe."""
    if isinstance(addr, str) and ("=?" in addr or "?=" in addr):
        raise UnsendableError("an encoded word in an email address")
    addr = header_text(addr, 254)
    if not addr or "@" not in addr:
        raise UnsendableError("no valid email address")
    local, _, domain = addr.rpartition("@")
    try:
        # A quoted display name longer than a header line is folded without its quotes by
        # the standard library; 60 characters always fit on one line.
        display = header_text(name, DISPLAY_NAME_LIMIT)
        return Address(display_name=display, username=local, domain=domain)
    except (ValueError, IndexError) as exc:
        raise UnsendableError(f"address does not parse: {exc}") from exc


def _header_names(message: EmailMessage) -> list[str]:
    return [name.lower() for name in message]


def _serialised_headers(data: bytes) -> list[tuple[str, str]]:
    """Return the raw header lines of serialised mail, unfolded, as (name, value) pairs."""
    head = data.split(b"\r\n\r\n", 1)[0].decode("ascii", "surrogateescape")
    headers: list[tuple[str, str]] = []
    for line in head.split("\r\n"):
        if line[:1] in (" ", "\t") and headers:
            name, value = headers[-1]
            headers[-1] = (name, value + line)
        else:
            name, sep, value = line.partition(":")
            if not sep:
                raise UnsafeMessageError("a header line has no name")
            headers.append((name.strip().lower(), value))
    return headers


def serialise(message: EmailMessage) -> tuple[bytes, list[str]]:
    """Return the bytes to send and the envelope recipients, after checking the bytes.

    ``Bcc`` recipients join the envelope and leave the headers. The check parses the bytes
    back and refuses them unless they carry exactly the headers that were set, with the same
    decoded values, and no bare CR or LF: an injected header or body cannot pass.
    """
    recipients = [
        address.addr_spec
        for name in ("To", "Cc", "Bcc")
        for header in message.get_all(name, [])
        for address in header.addresses
    ]
    del message["Bcc"]
    data = message.as_bytes(policy=POLICY)
    expected = _header_names(message)
    if [name for name, _value in _serialised_headers(data)] != expected:
        raise UnsafeMessageError("the serialised headers differ from the message's")
    head = data.split(b"\r\n\r\n", 1)[0]
    if re.search(rb"\r(?!\n)|(?<!\r)\n", head):
        raise UnsafeMessageError("a bare line break in the headers")
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    if _header_names(parsed) != expected:
        raise UnsafeMessageError("the serialised headers do not parse back to the message's")
    for name in set(message):
        if _unfolded(parsed[name]) != _unfolded(message[name]):
            raise UnsafeMessageError(f"the {name} header does not parse back to its value")
    if not recipients:
        raise UnsendableError("no recipient")
    return data, recipients


def team_recipient(lead: Lead) -> str:
    """Return where the team notification goes: the routed organisation, else LEAD_INBOX."""
    organisation = lead.organisation
    if organisation is not None and organisation.email:
        return organisation.email
    return current_app.config["LEAD_INBOX"]


def new_message(subject: str, to: Address | str, body: str) -> EmailMessage:
    """Return a plain-text message from the configured sender."""
    message = EmailMessage(policy=POLICY)
    sender = current_app.config["MAIL_SENDER"]
    message["From"] = header_text(sender)
    message["To"] = to if isinstance(to, Address) else header_text(to, 254)
    message["Subject"] = header_text(subject)
    message["Date"] = formatdate(usegmt=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=header_text(domain, 200))
    message.set_content(body)
    return message


def lead_language(lead: Lead) -> str:
    """Return the language the investor asked to be answered in."""
    return lead.preferred_language if lead.preferred_language in LANGUAGES else DEFAULT_LANG


def staff_link(lead: Lead) -> str:
    """Return the staff area address of a lead."""
    return f"{current_app.config['LEADS_URL']}/staff/leads/{lead.id}/"


def team_notification(lead: Lead, inquiry: Inquiry) -> EmailMessage:
    """Tell the responsible team about a new inquiry, meeting request or report request."""
    countries = ", ".join(country_name(c) for c in inquiry.countries) or "-"
    kinds = {
        "inquiry": "New inquiry",
        "meeting": "New meeting request",
        "report": "Report request",
        "estimate": "Cost estimate request",
    }
    who = lead.company or lead.full_name or lead.email
    subject = f"{kinds.get(inquiry.kind, 'New lead')}: {who} ({countries})"
    body = staff_text(
        "leads/notify/team.txt",
        lead=lead,
        inquiry=inquiry,
        countries=countries,
        staff_link=staff_link(lead),
        due=lead.response_due_at,
    )
    message = new_message(subject, team_recipient(lead), body)
    message["Reply-To"] = address(lead.full_name, lead.email or "")
    return message


def acknowledgement(lead: Lead, inquiry: Inquiry, event_title: str = "") -> EmailMessage:
    """The first reply: in the investor's language, from the lead's owner, making the case.

    Plain text and HTML (inline styles, nothing remote). ``Reply-To`` is the owner, with the
    lead inbox in ``Bcc``; without an owner, replies go to the lead inbox.
    """
    lang = lead_language(lead)
    with force_locale(lang):
        if inquiry.kind == "meeting":
            subject = _("Your meeting request: %(event)s", event=event_title or inquiry.event_slug)
        else:
            subject = _("Thank you for your inquiry")
        subject = f"{subject} · {current_app.config['SITE_NAME']}"
        context = {
            "lead": lead,
            "inquiry": inquiry,
            "event_title": event_title,
            "days": current_app.config["RESPONSE_WORKING_DAYS"],
            "case": first_reply.make_case(lead, inquiry, lang),
            "subject": subject,
            "plan_link": link_for_mail(lead, lang),
        }
        text = render_template("leads/notify/first_reply.txt", **context)
        html = render_template("leads/notify/first_reply.html", **context)
    message = new_message(subject, address(lead.full_name, lead.email or ""), text)
    message.add_alternative(html, subtype="html")
    inbox = current_app.config["LEAD_INBOX"]
    owner = lead.owner
    if owner is not None and owner.active and owner.email:
        message["Reply-To"] = address(owner.name, owner.email)
        message["Bcc"] = address("", inbox)
    else:
        message["Reply-To"] = address(current_app.config["SITE_NAME"], inbox)
    return message


def staff_text(template: str, **context) -> str:
    """Render a staff mail's text in English, whatever locale the sender's context holds.

    The staff mails are in English; their dates (the reply deadline) are formatted in the
    rendering locale, which must not be an investor's left from the request or mail before.
    """
    with force_locale(DEFAULT_LANG):
        return render_template(template, **context)


def _staff_context(staff: StaffUser) -> dict:
    return {"staff": staff, "account_link": f"{current_app.config['LEADS_URL']}/staff/account/"}


def owner_notice(lead: Lead, inquiry: Inquiry | None, staff: StaffUser) -> EmailMessage:
    """Tell a staff member that a lead is assigned to them, with its score breakdown."""
    countries = ", ".join(country_name(c) for c in lead.country_slugs) or "-"
    who = lead.company or lead.full_name or "a new investor"
    score = scoring.score_lead(scoring.facts_for(lead), lead.stage)
    subject = f"New lead assigned to you: {who} ({countries}), score {score.total}"
    body = staff_text(
        "leads/notify/owner_notice.txt",
        lead=lead,
        inquiry=inquiry,
        countries=countries,
        score=score,
        staff_link=staff_link(lead),
        **_staff_context(staff),
    )
    return new_message(subject, address(staff.display_name, staff.email), body)


def shared_notice(lead: Lead, inquiry: Inquiry | None, staff: StaffUser) -> EmailMessage:
    """Tell the staff of an informed organisation about a lead routed elsewhere (FYI)."""
    countries = ", ".join(country_name(c) for c in lead.country_slugs) or "-"
    who = lead.company or lead.full_name or "a new investor"
    subject = f"FYI: new lead for {countries}: {who}"
    body = staff_text(
        "leads/notify/shared_notice.txt",
        lead=lead,
        inquiry=inquiry,
        countries=countries,
        **_staff_context(staff),
    )
    message = new_message(subject, address(staff.display_name, staff.email), body)
    if lead.owner is not None and lead.owner.email:
        message["Reply-To"] = address(lead.owner.name, lead.owner.email)
    return message


def staff_digest(staff: StaffUser, leads: list[Lead], since) -> EmailMessage:
    """One email a day: the new leads assigned to a staff member or shared with their team."""
    subject = f"Your new leads: {len(leads)} since {since.strftime('%Y-%m-%d')}"
    body = staff_text(
        "leads/notify/staff_digest.txt",
        leads=leads,
        since=since,
        link=staff_link,
        **_staff_context(staff),
    )
    return new_message(subject, address(staff.display_name, staff.email), body)


def report_mail(lead: Lead, download_url: str | None) -> EmailMessage:
    """Send the report link, or promise to send the report once it is published."""
    with force_locale(lead_language(lead)):
        subject = _("The Western Balkans BPO Regional Report")
        subject = f"{subject} · {current_app.config['SITE_NAME']}"
        plan_link = link_for_mail(lead, lead_language(lead))
        body = render_template(
            "leads/notify/report.txt", lead=lead, download_url=download_url, plan_link=plan_link
        )
    return new_message(subject, address(lead.full_name, lead.email or ""), body)


def estimate_mail(lead: Lead, inquiry: Inquiry) -> EmailMessage:
    """Send the investor the estimate they asked for, in their language, with its sources."""
    with force_locale(lead_language(lead)):
        found = estimate_context(inquiry, lead_language(lead))
        if found is None:
            raise UnsendableError("the estimate inquiry carries no scenario")
        subject = _("Your cost estimate")
        subject = f"{subject} · {current_app.config['SITE_NAME']}"
        plan_link = link_for_mail(lead, lead_language(lead))
        body = render_template("leads/notify/estimate.txt", lead=lead, plan_link=plan_link, **found)
    return new_message(subject, address(lead.full_name, lead.email or ""), body)
