"""Who may see which lead: admins and coordinators every lead, country users their own."""

from __future__ import annotations

from sqlalchemy import ColumnElement, true

from leads.models import Lead


def lead_visibility(user) -> ColumnElement[bool]:
    """Return the SQL condition on leads that a user may see."""
    if user.role in ("admin", "coordinator"):
        return true()
    return Lead.organisation_id == user.organisation_id


def can_see(user, lead: Lead) -> bool:
    """Tell whether a user may see a lead."""
    if user.role in ("admin", "coordinator"):
        return True
    return lead.organisation_id is not None and lead.organisation_id == user.organisation_id


def can_reassign(user) -> bool:
    """Tell whether a user may move leads between organisations (coordinators and admins)."""
    return user.role in ("admin", "coordinator")
