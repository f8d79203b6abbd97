"""The plan link: a signed token carrying the lead and the link version.

The same link goes into every mail to the investor. It is signed with ``SECRET_KEY`` and its
own salt (itsdangerous), so nobody can make one for another lead. It stops working when:

- the lead's ``plan_version`` is raised (staff revoked the link; a new one is mailed on request),
- 180 days pass without a mail carrying it or a visit (``plan_active_at``, else the lead's
  creation): every mail and every visit renews it,
- the lead is erased (the page answers 410) or closed as spam (no plan at all).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from core.extensions import db
from gateway.content.urls import localise_path
from leads.lifecycle.stages import CloseReason
from leads.models import Lead, utcnow

SALT = "wbo-plan-link"
LIFETIME = dt.timedelta(days=180)


class Access(StrEnum):
    """What a plan link opens."""

    OPEN = "open"
    GONE = "gone"  # the person's data is erased: 410
    NONE = "none"  # tampered, expired, revoked, unknown, or spam: a neutral 404


@dataclass(frozen=True)
class Resolved:
    """The outcome of reading a plan link: what it opens and, when open, the lead."""

    access: Access
    lead: Lead | None = None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(lead: Lead) -> str:
    """Return the plan token of a lead's current link version."""
    return str(_serializer().dumps([lead.id, lead.plan_version]))


def read_token(token: str) -> tuple[int, int] | None:
    """Return (lead id, link version) of a token, or None if it is not one of ours."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(data, list) and len(data) == 2 and all(type(v) is int for v in data)):
        return None
    return data[0], data[1]


def active_since(lead: Lead) -> dt.datetime:
    """Return when the link was last mailed or visited (the lead's creation before that)."""
    return lead.plan_active_at or lead.created_at


def expired(lead: Lead, now: dt.datetime | None = None) -> bool:
    """Tell whether 180 days passed without a mail carrying the link or a visit."""
    return (now or utcnow()) - active_since(lead) > LIFETIME


def has_plan(lead: Lead) -> bool:
    """Tell whether a lead has a plan at all (not when closed as spam)."""
    return lead.close_reason != CloseReason.SPAM.value


def resolve(token: str, now: dt.datetime | None = None) -> Resolved:
    """Return what a plan token opens (never saying why it opens nothing)."""
    found = read_token(token)
    if found is None:
        return Resolved(Access.NONE)
    lead = db.session.get(Lead, found[0])
    if lead is None or lead.plan_version != found[1]:
        return Resolved(Access.NONE)
    if lead.erased_at is not None:
        return Resolved(Access.GONE)
    if not has_plan(lead) or expired(lead, now):
        return Resolved(Access.NONE)
    return Resolved(Access.OPEN, lead)


def touch(lead: Lead) -> None:
    """Record a visit or a mail carrying the link: the 180 days start again (caller commits)."""
    lead.plan_active_at = utcnow()


def revoke(lead: Lead) -> None:
    """Make every link sent so far stop working (caller commits)."""
    lead.plan_version = (lead.plan_version or 1) + 1


def plan_url(lead: Lead, lang: str) -> str:
    """Return the absolute plan link of a lead on the live app (no tracking parameters)."""
    path = localise_path(f"/plan/{make_token(lead)}", lang)
    return f"{current_app.config['LEADS_URL']}{path}"


def link_for_mail(lead: Lead, lang: str) -> str:
    """Return the plan link for a mail being sent, renewing its 180 days (caller commits).

    A lead without a plan (spam) or erased gets no link: "".
    """
    if lead.erased_at is not None or not has_plan(lead):
        return ""
    touch(lead)
    return plan_url(lead, lang)
