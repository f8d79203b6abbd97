"""The overdue rule: a lead whose first response is past its due time, open and not erased."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_

from leads.lifecycle.stages import CLOSED
from leads.models import Lead, utcnow


def overdue_condition(now: dt.datetime) -> ColumnElement[bool]:
    """Return the SQL condition of a lead whose first response is overdue."""
    return and_(
        Lead.first_response_at.is_(None),
        Lead.response_due_at.is_not(None),
        Lead.response_due_at < now,
        Lead.stage.not_in([s.value for s in CLOSED]),
        Lead.erased_at.is_(None),
    )


def is_overdue(lead: Lead, now: dt.datetime | None = None) -> bool:
    """Tell whether a lead's first response is overdue."""
    now = now or utcnow()
    return (
        lead.first_response_at is None
        and lead.response_due_at is not None
        and lead.response_due_at < now
        and lead.stage not in CLOSED
        and lead.erased_at is None
    )
