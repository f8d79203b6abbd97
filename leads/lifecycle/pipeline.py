"""Changes to a lead: stage, owner, organisation, routing, notes. Each one is audited.

Every function adds to the caller's transaction (the caller commits), so the change, its audit
line and any outbox event are stored together or not at all.
"""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from leads.lifecycle import assignment, audit, outcomes
from leads.lifecycle.audit import Action
from leads.lifecycle.routing import route_for
from leads.lifecycle.stages import NEEDS_REASON, CloseReason, Stage
from leads.models import (
    AuditEntry,
    Lead,
    LeadOrganisation,
    LeadRole,
    Note,
    Organisation,
    StaffUser,
    utcnow,
)
from leads.queue import events


class PipelineError(ValueError):
    """A change that the pipeline rules do not allow."""


def record_staff_action(lead: Lead, actor: StaffUser | None) -> None:
    """Mark the lead answered and active: the first staff action sets the response time."""
    now = utcnow()
    if actor is not None and lead.first_response_at is None:
        lead.first_response_at = now
    lead.last_activity_at = now


def change_stage(
    lead: Lead,
    to: str,
    actor: StaffUser | None,
    *,
    reason: str = "",
    close_reason: str | None = None,
    outcome: outcomes.Outcome | None = None,
) -> AuditEntry:
    """Move a lead to another stage; lost and disqualified need a close reason.

    Won and lost also take an ``outcome`` (checked: ``outcomes.OutcomeError`` names each bad
    field). Without one (a close reported from elsewhere) the lead closes all the same and is
    marked "outcome to complete"; choosing the same stage again with the outcome completes it.
    """
    try:
        target = Stage(to)
    except ValueError as exc:
        raise PipelineError(f"unknown stage {to!r}") from exc
    if target in NEEDS_REASON:
        if close_reason not in {r.value for r in CloseReason}:
            raise PipelineError("a close reason is required for lost or disqualified leads")
    else:
        close_reason = None
    previous = lead.stage
    completing = lead.outcome_to_complete and outcome is not None
    if previous == target and lead.close_reason == close_reason and not completing:
        raise PipelineError("the lead is already at that stage")
    outcomes.apply(lead, target.value, outcome)  # raises before anything changes
    lead.stage = target.value
    lead.close_reason = close_reason
    lead.stage_changed_at = utcnow()
    record_staff_action(lead, actor)
    why = reason.strip()
    if close_reason:
        why = f"{close_reason}: {why}" if why else close_reason
    summary = outcomes.describe(lead) if outcome is not None else ""
    if summary:
        why = f"{why}; {summary}" if why else summary
    entry = audit.record(lead, actor, Action.STAGE, previous, target.value, why)
    events.enqueue_stage_changed(lead.id)
    return entry


def add_note(lead: Lead, actor: StaffUser, body: str) -> Note:
    """Add a staff note to a lead."""
    note = Note(lead_id=lead.id, author_id=actor.id, body=body.strip(), created_at=utcnow())
    db.session.add(note)
    record_staff_action(lead, actor)
    return note


def assign_owner(lead: Lead, owner: StaffUser | None, actor: StaffUser, reason: str = "") -> None:
    """Give a lead an owner (a staff user of its organisation), or none."""
    if owner is not None and owner.organisation_id != lead.organisation_id:
        raise PipelineError("the owner must belong to the lead's organisation")
    previous = lead.owner.email if lead.owner else ""
    lead.owner = owner
    lead.owner_id = owner.id if owner else None
    lead.owner_changed_at = utcnow()
    record_staff_action(lead, actor)
    audit.record(lead, actor, Action.OWNER, previous, owner.email if owner else "", reason)
    if owner is not None and owner.id != actor.id:
        notify_owner(lead, owner)


def notify_owner(lead: Lead, owner: StaffUser) -> None:
    """Queue "a lead was assigned to you" (sent, or not, as the owner's notice setting says)."""
    inquiry = lead.inquiries[-1] if lead.inquiries else None
    events.enqueue_owner_notice(lead.id, inquiry.id if inquiry else None, owner.id)


def assign_automatically(lead: Lead) -> StaffUser | None:
    """Give a routed lead without an owner to its organisation's next available person."""
    if lead.organisation_id is None or lead.owner_id is not None:
        return lead.owner
    owner, available = assignment.next_owner(lead.organisation_id)
    slug = lead.organisation.slug if lead.organisation else ""
    if owner is None:
        why = f"nobody at {slug} takes new leads"
        audit.record(lead, None, Action.OWNER_NONE_AVAILABLE, reason=why)
        return None
    lead.owner = owner
    lead.owner_id = owner.id
    why = f"round robin at {slug}: {available} available"
    audit.record(lead, None, Action.OWNER_AUTO, "", owner.email, why)
    notify_owner(lead, owner)
    return owner


def _move_to(lead: Lead, organisation: Organisation) -> str | None:
    """Give a lead to an organisation, dropping an owner from elsewhere.

    Returns the previous organisation's slug ("" if none), or None if nothing changed.
    """
    previous = lead.organisation.slug if lead.organisation else ""
    if previous == organisation.slug:
        return None
    lead.organisation = organisation
    lead.organisation_id = organisation.id
    if lead.owner is not None and lead.owner.organisation_id != organisation.id:
        lead.owner = None
        lead.owner_id = None
    return previous


def assign_organisation(
    lead: Lead, organisation: Organisation, actor: StaffUser | None, reason: str = ""
) -> None:
    """Route a lead to an organisation by hand (its owner is cleared if from elsewhere)."""
    previous = _move_to(lead, organisation)
    if previous is None:
        return
    if actor is not None:
        record_staff_action(lead, actor)
    audit.record(lead, actor, Action.ORGANISATION, previous, organisation.slug, reason)
    assign_automatically(lead)


def route(lead: Lead) -> None:
    """Route a lead automatically (audited, with who to inform): from its countries of interest,
    or, when its latest request is for an introduction, from the partners' countries."""
    latest = lead.inquiries[-1] if lead.inquiries else None
    decision = route_for(
        lead.country_slugs, latest.kind if latest else "", latest.countries if latest else ()
    )
    organisation = db.session.scalar(select(Organisation).filter_by(slug=decision.owner))
    if organisation is None:
        raise LookupError(f"organisation {decision.owner} is missing: run flask staff sync-orgs")
    previous = _move_to(lead, organisation)
    if previous is not None:
        informed = ", ".join(decision.informed)
        reason = decision.reason + (f"; informed: {informed}" if informed else "")
        audit.record(lead, None, Action.ROUTED, previous, organisation.slug, reason)
    share(lead, decision.informed, LeadRole.INFORMED)
    assign_automatically(lead)


def share(lead: Lead, slugs: tuple[str, ...], role: LeadRole) -> list[Organisation]:
    """Make the lead's organisations of a role exactly these (the owning one is never listed)."""
    wanted = {
        org.id: org
        for org in db.session.scalars(select(Organisation).where(Organisation.slug.in_(slugs)))
        if org.id != lead.organisation_id
    }
    kept = []
    for row in list(lead.shared_with):
        if row.role != role.value:
            kept.append(row)
        elif row.organisation_id in wanted:
            kept.append(row)
            wanted.pop(row.organisation_id)
    lead.shared_with[:] = kept + [
        LeadOrganisation(organisation=org, organisation_id=org.id, role=role.value)
        for org in wanted.values()
    ]
    for org in wanted.values():
        notify_shared(lead, org)
    return [row.organisation for row in lead.shared_with if row.role == role.value]


def notify_shared(lead: Lead, organisation: Organisation) -> None:
    """Queue an FYI for each active person of an organisation the lead is newly shared with."""
    inquiry = lead.inquiries[-1] if lead.inquiries else None
    staff = db.session.scalars(
        select(StaffUser).where(
            StaffUser.organisation_id == organisation.id, StaffUser.active.is_(True)
        )
    )
    for person in staff:
        # Each person's notice setting is read again when the mail is sent.
        events.enqueue_shared_notice(
            lead.id, inquiry.id if inquiry else None, organisation.id, person.id
        )


def manually_routed(lead: Lead) -> bool:
    """Tell whether staff have moved the lead to an organisation by hand."""
    return (
        db.session.scalar(
            select(AuditEntry.id)
            .where(AuditEntry.lead_id == lead.id, AuditEntry.action == Action.ORGANISATION.value)
            .limit(1)
        )
        is not None
    )


def log_contact(lead: Lead, actor: StaffUser, channel: str, summary: str) -> AuditEntry:
    """Record a contact with the investor (a call, an email, a meeting) by any party to the lead."""
    record_staff_action(lead, actor)
    return audit.record(lead, actor, Action.CONTACT_LOGGED, "", channel, summary.strip())


def qualify(
    lead: Lead,
    actor: StaffUser,
    rivals: list[str],
    likelihood: str,
    expected_land_date,
) -> None:
    """Record the rival locations, the likelihood to land and the expected land date (audited)."""
    errors = outcomes.check_qualification(rivals, likelihood, expected_land_date, lead)
    if errors:
        raise outcomes.OutcomeError(errors)
    before = _qualification(lead)
    lead.rivals = sorted(set(rivals))
    lead.likelihood = likelihood
    lead.expected_land_date = expected_land_date
    after = _qualification(lead)
    if before != after:
        record_staff_action(lead, actor)
        audit.record(lead, actor, Action.QUALIFICATION, before, after)


def _qualification(lead: Lead) -> str:
    rivals = ",".join(lead.rivals or []) or "-"
    lands = lead.expected_land_date or "-"
    return f"rivals {rivals}; likelihood {lead.likelihood or '-'}; lands {lands}"
