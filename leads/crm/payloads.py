"""Pure functions that turn lead snapshots into HubSpot batch inputs.

No database, no Flask, no network: a snapshot goes in, plain dicts come out. Every input carries
an ``objectWriteTraceId`` so that a partial (207) answer maps each error back to its lead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from leads.crm import properties as p

# Mail providers whose domain says nothing about the investor's company.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "gmx.de",
        "gmx.net",
        "gmx.at",
        "web.de",
        "t-online.de",
        "proton.me",
        "protonmail.com",
        "mail.com",
    }
)


@dataclass(frozen=True)
class Inquiry:
    """One inquiry text of a lead, as it becomes a note."""

    id: int
    text: str
    created_at: dt.datetime


@dataclass(frozen=True)
class LeadSnapshot:
    """What the CRM needs to know about a lead at the time of sending."""

    lead_id: int
    email: str
    full_name: str = ""
    company: str = ""
    website: str = ""
    job_title: str = ""
    phone: str = ""
    country: str = ""
    countries: tuple[str, ...] = ()
    sector: str = ""
    source: str = ""
    campaign: str = ""
    score: int | None = None
    stage: str = "new"
    inquiries: tuple[Inquiry, ...] = ()
    has_deal: bool = False


def normalise_domain(value: str) -> str:
    """Return the bare lower-case host of a URL, domain or e-mail address ('' if none)."""
    text = (value or "").strip().lower()
    if "@" in text and "/" not in text:
        text = text.rsplit("@", 1)[1]
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    text = text.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    text = text.rsplit("@", 1)[-1].split(":", 1)[0].strip(".")
    if text.startswith("www."):
        text = text[4:]
    if "." not in text or not re.fullmatch(r"[a-z0-9.-]+", text):
        return ""
    return text


def company_key(snapshot: LeadSnapshot) -> str:
    """Return the company key of a lead: its website's domain, else its work e-mail domain."""
    domain = normalise_domain(snapshot.website)
    if not domain:
        domain = normalise_domain(snapshot.email)
    if not domain or domain in FREE_MAIL_DOMAINS:
        return ""
    return domain


LEAD_REF_PREFIX = "wbo-lead-"


def lead_ref(lead_id: int) -> str:
    """Return the unique deal key of a lead."""
    return f"{LEAD_REF_PREFIX}{lead_id}"


def lead_id_from_ref(ref: str) -> int | None:
    """Return the lead id of a deal key, or None if it is not one of ours."""
    number = str(ref or "").removeprefix(LEAD_REF_PREFIX)
    if number == str(ref or "") or not number.isdigit() or len(number) > 18:
        return None
    return int(number)


def note_ref(inquiry_id: int) -> str:
    """Return the unique note key of an inquiry."""
    return f"wbo-inquiry-{inquiry_id}"


def contact_trace(lead_id: int) -> str:
    """Return the objectWriteTraceId of a lead's contact."""
    return f"lead-{lead_id}"


def split_name(full_name: str) -> tuple[str, str]:
    """Split a full name into first name and last name at the last space."""
    parts = (full_name or "").strip().split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1]), parts[-1]


def _clean(props: Mapping[str, object]) -> dict[str, str]:
    # HubSpot property values are strings; an empty value would erase what staff typed there.
    return {k: str(v) for k, v in props.items() if v is not None and v != ""}


def contact_input(snapshot: LeadSnapshot) -> dict:
    """Return the batch upsert input for a lead's contact, keyed by e-mail."""
    first, last = split_name(snapshot.full_name)
    props = {
        p.EMAIL: snapshot.email,
        p.FIRSTNAME: first,
        p.LASTNAME: last,
        p.COMPANY_NAME: snapshot.company,
        p.JOBTITLE: snapshot.job_title,
        p.PHONE: snapshot.phone,
        p.COUNTRY: snapshot.country,
        p.LIFECYCLE_STAGE: p.LIFECYCLE_BY_STAGE.get(snapshot.stage),
        p.LEAD_STATUS: p.LEAD_STATUS_BY_STAGE.get(snapshot.stage),
        p.WBO_LEAD_ID: snapshot.lead_id,
        p.WBO_SCORE: snapshot.score,
        p.WBO_COUNTRIES: ";".join(snapshot.countries),
        p.WBO_STAGE: snapshot.stage,
        p.WBO_SECTOR: snapshot.sector,
        p.WBO_SOURCE: snapshot.source,
        p.WBO_CAMPAIGN: snapshot.campaign,
    }
    return {
        "id": snapshot.email,
        "idProperty": p.CONTACT_ID_PROPERTY,
        "objectWriteTraceId": contact_trace(snapshot.lead_id),
        "properties": _clean(props),
    }


def company_input(snapshot: LeadSnapshot) -> dict | None:
    """Return the batch upsert input for a lead's company, or None without a usable domain."""
    key = company_key(snapshot)
    if not key:
        return None
    props = {p.WBO_COMPANY_KEY: key, p.DOMAIN: key, p.NAME: snapshot.company or key}
    return {
        "id": key,
        "idProperty": p.COMPANY_ID_PROPERTY,
        "objectWriteTraceId": f"company-{key}",
        "properties": _clean(props),
    }


def wants_deal(snapshot: LeadSnapshot) -> bool:
    """Say whether the lead has, or should now get, a deal."""
    return snapshot.stage in p.DEAL_OPENING_STAGES or (
        snapshot.has_deal and snapshot.stage in p.DEAL_STAGE_LABELS
    )


def deal_input(snapshot: LeadSnapshot, pipeline_id: str, stage_ids: dict[str, str]) -> dict | None:
    """Return the batch upsert input for a lead's deal, or None when it has none."""
    if not wants_deal(snapshot) or snapshot.stage not in stage_ids:
        return None
    title = snapshot.company or snapshot.full_name or snapshot.email
    props = {
        p.WBO_LEAD_REF: lead_ref(snapshot.lead_id),
        p.DEALNAME: f"{title} ({p.PIPELINE_LABEL})",
        p.PIPELINE: pipeline_id,
        p.DEALSTAGE: stage_ids[snapshot.stage],
        p.WBO_LEAD_ID: snapshot.lead_id,
        p.WBO_SCORE: snapshot.score,
        p.WBO_COUNTRIES: ";".join(snapshot.countries),
    }
    return {
        "id": lead_ref(snapshot.lead_id),
        "idProperty": p.DEAL_ID_PROPERTY,
        "objectWriteTraceId": f"deal-{snapshot.lead_id}",
        "properties": _clean(props),
    }


def note_input(inquiry: Inquiry) -> dict:
    """Return the batch upsert input for an inquiry's note, keyed by the inquiry."""
    stamp = inquiry.created_at
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    props = {
        p.WBO_NOTE_REF: note_ref(inquiry.id),
        p.NOTE_BODY: inquiry.text,
        p.TIMESTAMP: stamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }
    return {
        "id": note_ref(inquiry.id),
        "idProperty": p.NOTE_ID_PROPERTY,
        "objectWriteTraceId": f"note-{inquiry.id}",
        "properties": _clean(props),
    }


def chunks(items: list, size: int = 100) -> list[list]:
    """Split a list into lists of at most ``size`` items (HubSpot's batch limit)."""
    return [items[i : i + size] for i in range(0, len(items), size)]
