"""Who may do what with which lead: the one table of staff access rules.

A user stands in one or more *relations* to a lead; each relation grants a set of
*capabilities*; every lead URL needs one capability (``ENDPOINT_CAPABILITY``), checked before
the view runs by the staff area's ``lead_view`` decorator. No relation is a 404 (the lead does
not exist for the user); a relation without the URL's capability is a 403 and nothing changes.
``docs/staff.md`` shows this table.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ColumnElement, exists, or_, true

from leads.models import Lead, LeadOrganisation, Referral, ReferralStatus

ADMIN, COORDINATOR, COUNTRY = "admin", "coordinator", "country"
ROLES = (ADMIN, COORDINATOR, COUNTRY)
# Roles that see and do everything with every lead; a country user acts for an organisation.
SEES_ALL = frozenset({ADMIN, COORDINATOR})


class Relation(StrEnum):
    """How a user stands to a lead."""

    ALL = "all"  # an admin or coordinator
    OWNER = "owner"  # of the organisation the lead is routed to
    SHARED = "shared"  # of an organisation the lead is shared with (informed, referred by)
    REFERRED = "referred"  # of an organisation a pending referral offers the lead to


class Capability(StrEnum):
    """Something a user may do with a lead."""

    READ = "read"
    NOTE = "note"
    CONTACT = "contact"  # log a contact with the investor
    STAGE = "stage"  # change the stage, close with an outcome
    QUALIFY = "qualify"  # rivals, likelihood, expected land date
    ASSIGN = "assign"  # choose the owner within the lead's organisation
    REASSIGN = "reassign"  # move the lead to another organisation by hand
    REFER = "refer"  # offer the lead to another organisation
    ANSWER_REFERRAL = "answer_referral"  # accept or decline a referral
    CONSENT = "consent"  # record a consent withdrawal
    INTRODUCE = "introduce"  # introduce the investor to partners, record how it went
    CRM_RETRY = "crm_retry"
    EXPORT = "export"  # the lead as JSON; the lead list as CSV
    PLAN = "plan"  # the investor's plan: next steps agreed with them, switch its link off
    ERASE = "erase"


C = Capability
CAPABILITIES: dict[Relation, frozenset[Capability]] = {
    Relation.ALL: frozenset(Capability),
    # Erasure cannot be undone and reaches the CRM and every store: it stays with the roles
    # accountable for the whole region (docs/security.md); an owner exports its leads.
    Relation.OWNER: frozenset(Capability) - {C.REASSIGN, C.ANSWER_REFERRAL, C.ERASE},
    Relation.SHARED: frozenset({C.READ, C.NOTE, C.CONTACT}),
    Relation.REFERRED: frozenset({C.READ, C.ANSWER_REFERRAL}),
}

# The capability each lead URL needs (a lead URL missing here is refused to everyone).
ENDPOINT_CAPABILITY: dict[str, Capability] = {
    "staff.lead_detail": C.READ,
    "staff.lead_note": C.NOTE,
    "staff.lead_contact": C.CONTACT,
    "staff.lead_stage": C.STAGE,
    "staff.lead_qualify": C.QUALIFY,
    "staff.lead_assign": C.ASSIGN,
    "staff.lead_refer": C.REFER,
    "staff.lead_referral_answer": C.ANSWER_REFERRAL,
    "staff.lead_consent_withdraw": C.CONSENT,
    "staff.lead_event_retry": C.CRM_RETRY,
    "staff.lead_json": C.EXPORT,
    "staff.lead_erase": C.ERASE,
    "staff.lead_introduction": C.INTRODUCE,
    "staff.lead_introduction_consent": C.INTRODUCE,
    "staff.lead_plan_step": C.PLAN,
    "staff.lead_plan_step_change": C.PLAN,
    "staff.lead_plan_revoke": C.PLAN,
}


def sees_all(user) -> bool:
    """Tell whether a user sees and does everything with every lead (admins and coordinators)."""
    return user.role in SEES_ALL


def relations(user, lead: Lead) -> frozenset[Relation]:
    """Return how a user stands to a lead (empty: the lead is not theirs to see)."""
    if sees_all(user):
        return frozenset({Relation.ALL})
    org = user.organisation_id
    found = set()
    if lead.organisation_id is not None and lead.organisation_id == org:
        found.add(Relation.OWNER)
    if any(row.organisation_id == org for row in lead.shared_with):
        found.add(Relation.SHARED)
    if any(
        r.to_organisation_id == org and r.status == ReferralStatus.PENDING for r in lead.referrals
    ):
        found.add(Relation.REFERRED)
    return frozenset(found)


def capabilities(user, lead: Lead) -> frozenset[Capability]:
    """Return what a user may do with a lead."""
    granted: set[Capability] = set()
    for relation in relations(user, lead):
        granted |= CAPABILITIES[relation]
    return frozenset(granted)


def can(user, lead: Lead, capability: Capability) -> bool:
    """Tell whether a user may do one thing with a lead."""
    return capability in capabilities(user, lead)


def can_see(user, lead: Lead) -> bool:
    """Tell whether a user may see a lead."""
    return bool(relations(user, lead))


def owned_condition(user) -> ColumnElement[bool]:
    """Return the SQL condition of the leads the user's organisation owns."""
    return Lead.organisation_id == user.organisation_id


def shared_condition(user) -> ColumnElement[bool]:
    """Return the SQL condition of the leads shared with, or offered to, the user's organisation."""
    org = user.organisation_id
    return or_(
        exists().where(
            LeadOrganisation.lead_id == Lead.id, LeadOrganisation.organisation_id == org
        ),
        exists().where(
            Referral.lead_id == Lead.id,
            Referral.to_organisation_id == org,
            Referral.status == ReferralStatus.PENDING.value,
        ),
    )


def lead_visibility(user) -> ColumnElement[bool]:
    """Return the SQL condition on leads that a user may see (the same rule as ``relations``)."""
    if sees_all(user):
        return true()
    return or_(owned_condition(user), shared_condition(user))


def export_condition(user) -> ColumnElement[bool]:
    """Return the SQL condition of the leads a user may export in the CSV list (owned ones)."""
    if sees_all(user):
        return true()
    return owned_condition(user)


def can_reassign(user) -> bool:
    """Tell whether a user may move leads between organisations (coordinators and admins)."""
    return sees_all(user)


def matrix_rows(paths: dict[str, str]) -> list[str]:
    """Return the access table as Markdown rows (``docs/staff.md`` holds them; a test compares).

    ``paths`` maps each lead endpoint to its URL rule (from the app's URL map).
    """
    head = ["capability", "lead URL", *(r.value for r in Relation)]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for capability in Capability:
        urls = [
            f"`{paths[e]}`"
            for e, c in ENDPOINT_CAPABILITY.items()
            if c == capability and e in paths
        ]
        marks = ["yes" if capability in CAPABILITIES[r] else "—" for r in Relation]
        rows.append("| " + " | ".join([capability.value, ", ".join(urls) or "—", *marks]) + " |")
    return rows
