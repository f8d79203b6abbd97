"""Referrals: the owning organisation offers a lead to another, which accepts or declines.

Accepting moves the lead (a new owner by the usual round robin) and keeps the referring
organisation informed (``LeadRole.REFERRED_BY``); declining needs a reason. Every step is
audited; the caller commits.

Concurrent posts are safe. One referral of a lead is pending at a time: ``refer`` locks the
lead's row and reads the pending referral afresh, and the database refuses a second one anyway
(the partial unique index ``uq_referrals_lead_pending``). Every decision locks the referral's
row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the writing transaction holds the
database) and changes it only while it is still pending, so of an accept and a decline sent at
once exactly one wins. Only the organisation a referral is addressed to (or a coordinator or
admin, who act for every organisation) may answer it.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from core.extensions import db
from leads.common.access import sees_all
from leads.lifecycle import audit, pipeline
from leads.lifecycle.audit import Action
from leads.lifecycle.organisations import LEAD_OWNER_KINDS
from leads.models import (
    Lead,
    LeadOrganisation,
    LeadRole,
    Organisation,
    Referral,
    ReferralStatus,
    StaffUser,
    utcnow,
)

# Organisations that can own a lead, and so receive a referral.
RECEIVING_KINDS = LEAD_OWNER_KINDS


class ReferralError(ValueError):
    """A referral the rules do not allow."""


def receiving_organisations(lead: Lead) -> list[Organisation]:
    """Return the organisations a lead may be referred to (never its own)."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(
                Organisation.kind.in_(RECEIVING_KINDS),
                Organisation.active.is_(True),
                Organisation.id != (lead.organisation_id or 0),
            )
            .order_by(Organisation.name)
        )
    )


def pending(lead: Lead) -> Referral | None:
    """Return the lead's pending referral, if any."""
    return next((r for r in lead.referrals if r.status == ReferralStatus.PENDING), None)


def pending_for_answer(lead: Lead, actor: StaffUser) -> Referral | None:
    """Return the lead's pending referral if the actor may answer it (its addressee), else None."""
    referral = pending(lead)
    if referral is None or not _addressed_to(referral, actor):
        return None
    return referral


def _addressed_to(referral: Referral, actor: StaffUser) -> bool:
    return sees_all(actor) or referral.to_organisation_id == actor.organisation_id


def _lock_lead(lead: Lead) -> None:
    """Lock the lead's row until the transaction ends (concurrent referrals wait here)."""
    db.session.execute(
        select(Lead.id)
        .where(Lead.id == lead.id)
        # FOR NO KEY UPDATE, as in assignment: rows referencing the lead hold KEY SHARE locks.
        .with_for_update(key_share=True)
    )


def _pending_now(lead: Lead) -> Referral | None:
    """Return the lead's pending referral as stored now (not as loaded earlier)."""
    return db.session.scalars(
        select(Referral)
        .where(Referral.lead_id == lead.id, Referral.status == ReferralStatus.PENDING.value)
        .execution_options(populate_existing=True)
    ).first()


def refer(lead: Lead, to_slug: str, actor: StaffUser | None, message: str) -> Referral:
    """Offer a lead to another organisation, with a message (no actor: a change from the CRM)."""
    target = db.session.scalar(select(Organisation).filter_by(slug=to_slug))
    if target is None or target.kind not in RECEIVING_KINDS or not target.active:
        raise ReferralError("unknown organisation")
    if lead.organisation_id is None or lead.organisation is None:
        raise ReferralError("the lead has no owning organisation yet")
    if target.id == lead.organisation_id:
        raise ReferralError("the lead already belongs to that organisation")
    _lock_lead(lead)
    if _pending_now(lead) is not None:
        raise ReferralError("the lead already has a pending referral")
    referral = Referral(
        lead=lead,
        from_organisation=lead.organisation,
        from_organisation_id=lead.organisation_id,
        to_organisation=target,
        to_organisation_id=target.id,
        message=message.strip(),
        created_by_id=actor.id if actor is not None else None,
        created_at=utcnow(),
    )
    db.session.add(referral)
    if referral not in lead.referrals:
        lead.referrals.append(referral)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # a pending referral stored meanwhile (the unique index)
        if referral in lead.referrals:
            lead.referrals.remove(referral)
        db.session.expunge(referral)
        raise ReferralError("the lead already has a pending referral") from None
    pipeline.record_staff_action(lead, actor)
    audit.record(lead, actor, Action.REFERRAL_SENT, lead.organisation.slug, target.slug, message)
    return referral


def accept(referral: Referral, actor: StaffUser) -> None:
    """Accept a pending referral: the lead moves, gets a new owner, the referrer stays informed."""
    _decide(referral, actor, ReferralStatus.ACCEPTED)
    lead, previous = referral.lead, referral.from_organisation
    audit.record(
        lead, actor, Action.REFERRAL_ACCEPTED, previous.slug, referral.to_organisation.slug
    )
    lead.owner, lead.owner_id = None, None  # the usual assignment picks the new owner
    pipeline.assign_organisation(lead, referral.to_organisation, actor, "referral accepted")
    lead.shared_with[:] = [
        row for row in lead.shared_with if row.organisation_id != referral.to_organisation_id
    ]
    if not any(
        row.organisation_id == previous.id and row.role == LeadRole.REFERRED_BY
        for row in lead.shared_with
    ):
        lead.shared_with.append(
            LeadOrganisation(
                organisation=previous,
                organisation_id=previous.id,
                role=LeadRole.REFERRED_BY.value,
            )
        )


def decline(referral: Referral, actor: StaffUser, reason: str) -> None:
    """Decline a pending referral with a reason; the lead stays where it is."""
    if not reason.strip():
        raise ReferralError("a reason is required to decline")
    _decide(referral, actor, ReferralStatus.DECLINED)
    referral.reason = reason.strip()
    audit.record(
        referral.lead,
        actor,
        Action.REFERRAL_DECLINED,
        referral.from_organisation.slug,
        referral.to_organisation.slug,
        reason,
    )


def _decide(referral: Referral, actor: StaffUser, status: ReferralStatus) -> None:
    """Answer a referral under its row lock, only while pending, only by its addressee."""
    db.session.scalars(
        select(Referral)
        .where(Referral.id == referral.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if not _addressed_to(referral, actor):
        raise ReferralError("the referral is addressed to another organisation")
    if referral.status != ReferralStatus.PENDING:
        raise ReferralError("the referral is already answered")
    now = utcnow()
    # Check and set in one statement as well: the row changes only while still pending.
    changed = db.session.execute(
        update(Referral)
        .where(Referral.id == referral.id, Referral.status == ReferralStatus.PENDING.value)
        .values(status=status.value, decided_by_id=actor.id, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(changed, "rowcount", 0) != 1:  # a CursorResult for an UPDATE
        raise ReferralError("the referral is already answered")
    set_committed_value(referral, "status", status.value)
    set_committed_value(referral, "decided_by_id", actor.id)
    set_committed_value(referral, "decided_at", now)


def pending_for(organisation: Organisation | None) -> list[Referral]:
    """Return the pending referrals to an organisation (to every one when None), oldest first."""
    query = select(Referral).where(Referral.status == ReferralStatus.PENDING.value)
    if organisation is not None:
        query = query.where(Referral.to_organisation_id == organisation.id)
    return list(db.session.scalars(query.order_by(Referral.created_at)))
