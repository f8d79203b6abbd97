"""The audit trail: what can happen to a lead (``Action``) and the one function that records it.

Rows are added to the caller's transaction, so a change and its audit line are stored together.
``Action`` is a ``StrEnum``: its members are the strings stored in ``audit_entries.action``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from core.extensions import db
from leads.models import AuditEntry, Lead, StaffUser, utcnow


class Action(StrEnum):
    LEAD_CREATED = "lead.created"
    LEAD_RETURNED = "lead.returned"
    STAGE = "stage"
    OWNER = "owner"  # by hand, with the actor
    OWNER_AUTO = "owner.auto"  # round robin among the organisation's available staff
    OWNER_NONE_AVAILABLE = "owner.none_available"  # routed, but nobody takes new leads
    ORGANISATION = "organisation"
    ROUTED = "routed"
    CRM_RETRY = "crm_retry"
    EXPORTED = "exported"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    ERASED = "erased"
    CONTACT_LOGGED = "contact"  # a call, email or meeting with the investor
    QUALIFICATION = "qualification"  # rivals, likelihood to land, expected land date
    REFERRAL_SENT = "referral.sent"
    REFERRAL_ACCEPTED = "referral.accepted"
    REFERRAL_DECLINED = "referral.declined"
    CHECK_IN = "check_in"  # a check-in mail queued for a silent investor
    UNSUBSCRIBED = "consent.unsubscribed"  # the investor used a check-in's unsubscribe link
    EXPANSION = "expansion"  # linked to a won investment of the same company
    PLAN_STEP = "plan.step"  # a next step agreed with the investor added, done or removed
    PLAN_REVOKED = "plan.revoked"  # every plan link sent so far switched off
    STAFF_PROFILE = "staff.profile"  # a staff account's name, title, availability or notices
    # Changes that came from HubSpot (no person here made them; the actor is empty).
    HUBSPOT_STAGE = "hubspot.stage"
    HUBSPOT_OWNER = "hubspot.owner"
    HUBSPOT_UNLINKED = "hubspot.unlinked"
    HUBSPOT_MERGED = "hubspot.merged"
    # An owner set in HubSpot from an organisation that cannot see the lead, not taken here
    # because a referral of the lead is already pending (or none can be opened).
    HUBSPOT_OWNER_NOT_TAKEN = "hubspot.owner_not_taken"
    # Introductions to partners, as the chapter records them on the lead page.
    INTRO_CONSENT = "introduction.consent"  # the investor's consent to share, recorded by staff
    INTRODUCED = "introduction.introduced"
    INTRO_MEETING_HELD = "introduction.meeting_held"
    INTRO_CONTRACT_SIGNED = "introduction.contract_signed"
    INTRO_NO_FIT = "introduction.no_fit"


def record(
    lead: Lead | None,
    actor: StaffUser | None,
    action: Action,
    from_value: str = "",
    to_value: str = "",
    reason: str = "",
    *,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """Record who did what to a lead, from what to what, and why (the caller commits)."""
    entry = AuditEntry(
        lead_id=lead.id if lead is not None else None,
        actor_id=actor.id if actor is not None else None,
        action=Action(action).value,
        from_value=(from_value or "")[:200],
        to_value=(to_value or "")[:200],
        reason=reason or "",
        created_at=at or utcnow(),
    )
    db.session.add(entry)
    return entry
