"""Consent withdrawal (GDPR Art. 7(3)): appended to the record, never an edit of it."""

from __future__ import annotations

import datetime as dt

from leads.common.consent import granted_purposes
from leads.lifecycle import audit
from leads.lifecycle.audit import Action
from leads.models import ConsentRecord, Lead, StaffUser, utcnow
from leads.queue import outbox
from leads.queue.events import Channel

__all__ = ["append_withdrawal", "granted_purposes", "withdraw_consent"]


def append_withdrawal(
    lead: Lead, purpose: str, *, form: str, method: str, at: dt.datetime
) -> ConsentRecord | None:
    """Append the withdrawal of one purpose still granted (None if it is not; caller commits)."""
    if purpose not in granted_purposes(lead):
        return None
    grant = next(r for r in reversed(lead.consents) if r.purpose == purpose and r.granted)
    record = ConsentRecord(
        purpose=purpose,
        granted=False,
        notice_version=grant.notice_version,
        notice_hash=grant.notice_hash,
        form=form,
        page="",
        method=method,
        created_at=at,
    )
    lead.consents.append(record)
    return record


def withdraw_consent(
    lead: Lead, actor: StaffUser | None = None, *, form: str, method: str
) -> list[ConsentRecord]:
    """Append a withdrawal for every purpose still granted and stop queued mail (caller commits).

    Withdrawal stops further processing based on consent; the lead's data stays (and stays
    exportable) until it is erased or its retention period ends.
    """
    now = utcnow()
    withdrawn = []
    for purpose in granted_purposes(lead):
        record = append_withdrawal(lead, purpose, form=form, method=method, at=now)
        if record is not None:  # always: the purpose is granted
            withdrawn.append(record)
    if withdrawn:
        outbox.cancel_for_lead(lead.id, channel=Channel.MAIL)
        lead.last_activity_at = now
        audit.record(
            lead,
            actor,
            Action.CONSENT_WITHDRAWN,
            to_value=", ".join(r.purpose for r in withdrawn),
            at=now,
        )
    return withdrawn
