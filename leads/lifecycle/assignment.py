"""An owner within a minute: new leads go round robin to the organisation's available staff.

``next_owner`` runs inside the capture transaction, right after routing (``pipeline.route``).
It locks the organisation's row (``SELECT … FOR NO KEY UPDATE`` on PostgreSQL; on SQLite the
capture transaction already holds the database's write lock), bumps the organisation's
``assigned_count`` and gives the lead to the available person who has waited longest since
their last automatic lead. Two concurrent inquiries therefore never read the same counter, and
over any run of leads each available person gets their turn before anyone gets a second one.

With nobody available the lead stays with its organisation, unassigned; the dashboard flags it.
Staff can still reassign by hand (``pipeline.assign_owner``). Both are audited.
"""

from __future__ import annotations

from sqlalchemy import nulls_first, select

from core.extensions import db
from leads.models import Organisation, StaffUser


def available_staff(organisation_id: int) -> list[StaffUser]:
    """Return the organisation's staff who take new leads, next in turn first."""
    return list(
        db.session.scalars(
            select(StaffUser)
            .where(
                StaffUser.organisation_id == organisation_id,
                StaffUser.active.is_(True),
                StaffUser.available_for_leads.is_(True),
            )
            .order_by(nulls_first(StaffUser.last_assigned_seq), StaffUser.id)
        )
    )


def _lock(organisation_id: int) -> Organisation:
    """Return the organisation's row, locked until the transaction ends, with fresh values."""
    return db.session.scalars(
        select(Organisation)
        .where(Organisation.id == organisation_id)
        # FOR NO KEY UPDATE: leads referencing the organisation hold KEY SHARE locks on its
        # row (the foreign key check), which a plain FOR UPDATE would wait for (a deadlock).
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).one()


def next_owner(organisation_id: int) -> tuple[StaffUser | None, int]:
    """Take the organisation's next turn: return who gets the new lead, and how many could.

    Call inside the transaction that stores the lead: the organisation's row stays locked,
    and the turn is spent, only if that transaction commits.
    """
    organisation = _lock(organisation_id)
    candidates = available_staff(organisation.id)
    if not candidates:
        return None, 0
    owner = candidates[0]
    organisation.assigned_count += 1
    owner.last_assigned_seq = organisation.assigned_count
    return owner, len(candidates)
