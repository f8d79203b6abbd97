"""Changes made in HubSpot, brought back: the rules deciding what each change does here.

Webhooks and the pull store what HubSpot reports in the inbound queue (``leads.crm.intake``);
the inbound runner (``leads.crm.inbound_runner``) applies each stored event through
``apply_payload``, the one code path for both, never the request that brought them.

Conflict rules, for the deal stage and the deal owner:

- a value equal to the one here changes nothing (a repeat, or the echo of our own change);
- a change older than the last change of that field here, or already applied from HubSpot
  (``Lead.stage_changed_at`` / ``owner_changed_at``), is ignored: the newer one stays;
- a pulled value, whose exact change time HubSpot's search does not give, is ignored while a
  change made here is still waiting to be sent (the relay sends it, and it wins);
- a change applied from HubSpot is not queued for HubSpot again.

An owner set in HubSpot whose organisation cannot see the lead opens a referral to that
organisation (``leads.lifecycle.referrals``); the lead does not move until it is accepted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from core.extensions import db
from leads.capture.text import normalise_email
from leads.common.access import can_see
from leads.crm import payloads as pl
from leads.crm import properties as p
from leads.crm.base import CRM
from leads.crm.intake import (
    CONTACT_DELETION,
    CONTACT_MERGE,
    CONTACT_PRIVACY_DELETION,
    DEAL_DELETION,
    DEAL_PROPERTY_CHANGE,
    SOURCE_PULL,
)
from leads.crm.webhooks import from_ms
from leads.lifecycle import referrals
from leads.lifecycle.audit import Action
from leads.lifecycle.audit import record as audit
from leads.lifecycle.pipeline import notify_owner
from leads.lifecycle.stages import CLOSED, Stage
from leads.models import AuditEntry, Lead, OutboxEvent, StaffUser
from leads.queue import outbox
from leads.queue.events import Channel, Kind

# Audit actions of changes that came from HubSpot (no person here made them).
ACTION_STAGE = Action.HUBSPOT_STAGE
ACTION_OWNER = Action.HUBSPOT_OWNER
ACTION_OWNER_NOT_TAKEN = Action.HUBSPOT_OWNER_NOT_TAKEN
ACTION_UNLINKED = Action.HUBSPOT_UNLINKED
ACTION_MERGED = Action.HUBSPOT_MERGED
ERASE_REASON = "HubSpot privacy deletion"
ERASE_ON_DELETE_REASON = "deleted in HubSpot"


@dataclass
class Outcome:
    """What applying one event did: ``applied`` or not, why, and to which lead."""

    applied: bool
    reason: str
    lead_id: int | None = None
    forget: bool = False  # the person was erased: keep nothing that points to them


def ignored(reason: str, lead: Lead | None = None) -> Outcome:
    return Outcome(False, reason, lead.id if lead is not None else None)


@dataclass
class Context:
    """What a batch of inbound events needs: the CRM, the stage ids, cached owners."""

    crm: CRM
    stage_by_id: dict[str, str]
    erase_on_delete: bool = False
    owners: dict[str, dict | None] = field(default_factory=dict)

    def owner(self, owner_id: str) -> dict | None:
        if owner_id not in self.owners:
            self.owners[owner_id] = self.crm.get_owner(owner_id)
        return self.owners[owner_id]


def _lead_by(column, value: str | None) -> Lead | None:
    if not value:
        return None
    return db.session.scalar(select(Lead).where(column == value).order_by(Lead.id).limit(1))


def _deal_lead(payload: dict) -> Lead | None:
    lead = _lead_by(Lead.crm_deal_id, payload.get("object_id"))
    lead_id = pl.lead_id_from_ref(payload.get("lead_ref") or "")
    if lead is None and lead_id is not None:
        lead = db.session.get(Lead, lead_id)
        if lead is not None and lead.crm_deal_id not in (None, payload.get("object_id")):
            lead = None  # a deal with our reference, but not the one linked here
    return lead


def local_change_waiting(lead: Lead) -> bool:
    """Tell whether a change of this lead made here is still waiting to go to the CRM."""
    return (
        db.session.scalar(
            select(OutboxEvent.id)
            .where(
                OutboxEvent.lead_id == lead.id,
                OutboxEvent.channel == Channel.CRM,
                OutboxEvent.kind != Kind.CONTACT_ERASE,
                OutboxEvent.status.in_((outbox.PENDING, outbox.IN_FLIGHT, outbox.FAILED)),
            )
            .limit(1)
        )
        is not None
    )


def _too_old(payload: dict, lead: Lead, changed_at: dt.datetime | None) -> str | None:
    """Return why a change must not win over what is here, or None if it may."""
    occurred = from_ms(int(payload["occurred_at"]))
    here = changed_at or lead.created_at
    if here is not None and occurred <= here:
        return f"older than the change here at {here.isoformat(timespec='seconds')} UTC"
    if payload.get("source") == SOURCE_PULL and local_change_waiting(lead):
        return "a change made here is not yet sent to HubSpot"
    return None


def apply_stage(payload: dict, ctx: Context) -> Outcome:
    """A deal moved in HubSpot: move the lead, audited as a change from HubSpot."""
    lead = _deal_lead(payload)
    if lead is None or lead.erased_at is not None:
        return ignored(f"no lead here is linked to deal {payload['object_id']}")
    stage = ctx.stage_by_id.get(str(payload.get("value") or ""))
    if stage is None:
        return ignored("the deal stage is not one of the gateway pipeline's stages", lead)
    if stage == lead.stage:
        return ignored(f"already at stage {stage}", lead)
    reason = _too_old(payload, lead, lead.stage_changed_at)
    if reason:
        return ignored(reason, lead)
    occurred = from_ms(int(payload["occurred_at"]))
    previous = lead.stage
    lead.stage = stage
    lead.close_reason = None
    lead.outcome_to_complete = Stage(stage) in CLOSED
    lead.stage_changed_at = occurred
    lead.last_activity_at = max(lead.last_activity_at or occurred, occurred)
    if lead.first_response_at is None:
        lead.first_response_at = occurred
    why = f"changed in HubSpot (deal {payload['object_id']})"
    if lead.outcome_to_complete:
        why += "; outcome to complete"
    audit(lead, None, ACTION_STAGE, previous, stage, why)
    # Not queued for HubSpot: the change came from there.
    return Outcome(True, why, lead.id)


def apply_owner(payload: dict, ctx: Context) -> Outcome:
    """The deal's owner changed in HubSpot: give the lead to that staff member, or refer it."""
    lead = _deal_lead(payload)
    if lead is None or lead.erased_at is not None:
        return ignored(f"no lead here is linked to deal {payload['object_id']}")
    owner_id = str(payload.get("value") or "")
    if owner_id == (lead.crm_owner_id or ""):
        return ignored("the owner is unchanged", lead)
    reason = _too_old(payload, lead, lead.owner_changed_at)
    if reason:
        return ignored(reason, lead)
    lead.crm_owner_id = owner_id or None
    lead.owner_changed_at = from_ms(int(payload["occurred_at"]))
    staff = None
    if owner_id:
        found = _staff_of_owner(owner_id, ctx)
        if isinstance(found, str):
            return ignored(found, lead)
        staff = found
    previous = lead.owner.email if lead.owner else ""
    if staff is not None and staff.organisation_id != lead.organisation_id:
        if can_see(staff, lead):
            return ignored(
                f"HubSpot owner {staff.email} belongs to another organisation; owner kept", lead
            )
        # An owner whose organisation cannot see the lead: that organisation is offered the
        # lead (a referral), the lead is not moved to it silently.
        return refer_to_owner_organisation(lead, staff, previous, payload)
    if (lead.owner_id or None) == (staff.id if staff else None):
        return ignored("the owner is unchanged", lead)
    lead.owner = staff
    lead.owner_id = staff.id if staff else None
    audit(lead, None, ACTION_OWNER, previous, staff.email if staff else "", "changed in HubSpot")
    if staff is not None:
        notify_owner(lead, staff)  # mail to the new owner, as for an owner chosen here
    return Outcome(True, "owner changed in HubSpot", lead.id)


def _staff_of_owner(owner_id: str, ctx: Context) -> StaffUser | str:
    """Return the active staff account of a HubSpot owner, or why there is none."""
    if not owner_id.isdigit():
        return "the owner id is not a HubSpot owner id"
    owner = ctx.owner(owner_id)
    email = normalise_email(str((owner or {}).get("email") or ""))
    if not email:
        return f"HubSpot has no owner {owner_id} with an e-mail address"
    staff = db.session.scalar(
        select(StaffUser).where(StaffUser.email == email, StaffUser.active.is_(True))
    )
    if staff is None:
        return f"HubSpot owner {owner_id} has no staff account here"
    return staff


def refer_to_owner_organisation(
    lead: Lead, staff: StaffUser, previous: str, payload: dict
) -> Outcome:
    """Offer the lead to the organisation of a HubSpot owner who cannot see it (a referral).

    One referral of a lead is pending at a time: while one is, or when the referral rules allow
    none (a lead with no organisation yet), the owner change is recorded on the lead for staff.
    """
    target = staff.organisation
    message = f"HubSpot made {staff.email} the deal owner (deal {payload['object_id']})"
    waiting = referrals.pending(lead)
    if waiting is None:
        try:
            referrals.refer(lead, target.slug, None, message)
        except referrals.ReferralError as exc:
            kept = f"no referral can be opened: {exc}"
        else:
            return Outcome(True, f"referral to {target.slug} opened", lead.id)
    else:
        kept = f"a referral to {waiting.to_organisation.slug} is already pending"
    why = f"{message}; {target.slug} does not see this lead and {kept}; owner kept"
    audit(lead, None, ACTION_OWNER_NOT_TAKEN, previous, staff.email, why)
    return Outcome(True, f"owner change recorded for staff ({kept})", lead.id)


def apply_deal_deletion(payload: dict, ctx: Context) -> Outcome:
    """A deal was deleted in HubSpot: the lead keeps its stage and loses the link."""
    lead = _lead_by(Lead.crm_deal_id, payload.get("object_id"))
    if lead is None:
        return ignored(f"no lead here is linked to deal {payload['object_id']}")
    lead.crm_deal_id = None
    lead.crm_owner_id = None
    audit(lead, None, ACTION_UNLINKED, payload["object_id"], "", "deal deleted in HubSpot")
    return Outcome(True, "deal unlinked", lead.id)


def apply_merge(payload: dict, ctx: Context) -> Outcome:
    """Contacts were merged in HubSpot: leads of the merged ones point to the survivor."""
    surviving = str(payload.get("surviving_id") or payload["object_id"])
    merged = set(payload.get("merged_ids") or []) | {str(payload["object_id"])}
    merged.discard(surviving)
    leads = db.session.scalars(
        select(Lead).where(Lead.crm_contact_id.in_(sorted(merged)), Lead.erased_at.is_(None))
    ).all()
    if not leads:
        return ignored("no lead here is linked to the merged contacts")
    for lead in leads:
        previous = lead.crm_contact_id or ""
        lead.crm_contact_id = surviving
        audit(lead, None, ACTION_MERGED, previous, surviving, "contacts merged in HubSpot")
    return Outcome(True, f"{len(leads)} lead(s) re-pointed to contact {surviving}", leads[0].id)


def apply_contact_deletion(payload: dict, ctx: Context) -> Outcome:
    """A contact deleted in HubSpot: erased here for a privacy deletion (or when configured)."""
    from leads.privacy.erase import erase_lead

    leads = _contact_leads(str(payload.get("object_id") or ""))
    if not leads:
        return ignored(f"no lead here is linked to contact {payload['object_id']}")
    lead_id = leads[0].id
    privacy = payload["type"] == CONTACT_PRIVACY_DELETION
    if not privacy and not ctx.erase_on_delete:
        for lead in leads:
            lead.crm_contact_id = None
            audit(
                lead, None, ACTION_UNLINKED, payload["object_id"], "", "contact deleted in HubSpot"
            )
        return Outcome(True, "contact unlinked (HUBSPOT_ERASE_ON_DELETE is off)", lead_id)
    # HubSpot has deleted the person already: no GDPR delete is sent back.
    for lead in leads:
        reason = ERASE_REASON if privacy else ERASE_ON_DELETE_REASON
        erase_lead(lead, None, reason, notify_crm=False)
    return Outcome(True, f"{len(leads)} lead(s) erased here", lead_id, forget=True)


def _contact_leads(contact_id: str) -> list[Lead]:
    """Return every lead not yet erased that is linked to a contact, or was, through a merge.

    After contacts were merged in HubSpot, several leads point to the surviving contact (and a
    lead may still point to a merged one if the merge has not reached it): all are the person.
    """
    if not contact_id:
        return []
    merged_into = select(AuditEntry.from_value).where(
        AuditEntry.action == ACTION_MERGED, AuditEntry.to_value == contact_id
    )
    ids = {contact_id} | {value for value in db.session.scalars(merged_into) if value}
    return list(
        db.session.scalars(
            select(Lead)
            .where(Lead.crm_contact_id.in_(sorted(ids)), Lead.erased_at.is_(None))
            .order_by(Lead.id)
        )
    )


def apply_payload(payload: dict, ctx: Context) -> Outcome:
    """Apply one inbound event: the one code path for webhooks and the pull."""
    kind = payload.get("type")
    if kind == DEAL_PROPERTY_CHANGE:
        if payload.get("property") == p.DEALSTAGE:
            return apply_stage(payload, ctx)
        if payload.get("property") == p.OWNER:
            return apply_owner(payload, ctx)
        return ignored(f"deal property {payload.get('property')!r} is not synced back")
    if kind == DEAL_DELETION:
        return apply_deal_deletion(payload, ctx)
    if kind == CONTACT_MERGE:
        return apply_merge(payload, ctx)
    if kind in (CONTACT_PRIVACY_DELETION, CONTACT_DELETION):
        return apply_contact_deletion(payload, ctx)
    return ignored(f"subscription type {kind!r} is not handled")
