"""Who may see which lead: admins and coordinators every lead, country users their own."""

from __future__ import annotations

from sqlalchemy import ColumnElement, true

from leads.models import Lead

ADMIN, COORDINATOR, COUNTRY = "admin", "coordinator", "country"
ROLES = (ADMIN, COORDINATOR, COUNTRY)
# Roles that see and reassign every lead; a country user sees their organisation's.
SEES_ALL = frozenset({ADMIN, COORDINATOR})


def sees_all(user) -> bool:
    """Tell whether a user sees every lead (admins and coordinators)."""
    return user.role in SEES_ALL


def lead_visibility(user) -> ColumnElement[bool]:
    """Return the SQL condition on leads that a user may see."""
    if sees_all(user):
        return true()
    return Lead.organisation_id == user.organisation_id


def can_see(user, lead: Lead) -> bool:
    """Tell whether a user may see a lead."""
    if sees_all(user):
        return True
    return lead.organisation_id is not None and lead.organisation_id == user.organisation_id


def can_reassign(user) -> bool:
    """Tell whether a user may move leads between organisations (coordinators and admins)."""
    return sees_all(user)


def can_erase(user) -> bool:
    """Tell whether a user may erase a lead's personal data (coordinators and admins).

    Erasure cannot be undone and reaches the CRM and every store, so it stays with the roles
    accountable for the whole region; a country user may export their organisation's leads.
    """
    return sees_all(user)
