"""Changes made in HubSpot, brought back: the inbound queue and the one code path that applies it.

Webhooks (``leads.crm.views``) and the pull (``leads.crm.pull``) store what HubSpot reports as
events of the ``crm_inbound`` outbox channel, in one transaction, keyed so that a repeat is
stored once. A worker (``apply_pending``) applies them, never the request that brought them.

Conflict rules, for the deal stage and the deal owner:

- a value equal to the one here changes nothing (a repeat, or the echo of our own change);
- a change older than the last change of that field here, or already applied from HubSpot
  (``Lead.stage_changed_at`` / ``owner_changed_at``), is ignored: the newer one stays;
- a pulled value, whose exact change time HubSpot's search does not give, is ignored while a
  change made here is still waiting to be sent (the relay sends it, and it wins);
- a change applied from HubSpot is not queued for HubSpot again.

Every event ends ``done`` (applied), ``ignored`` (with the reason), ``failed`` (retried) or
``dead`` (with the reason, on the sync page).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.extensions import db
from core.numbers import is_ascii_digits
from leads.capture.text import normalise_email
from leads.common.access import can_see
from leads.crm import payloads as pl
from leads.crm import properties as p
from leads.crm.base import CRM, CRMError
from leads.crm.client import SCHEMA_KEY, get_crm, setting
from leads.crm.webhooks import Event, from_ms, to_ms
from leads.lifecycle.audit import Action
from leads.lifecycle.audit import record as audit
from leads.lifecycle.pipeline import notify_owner
from leads.lifecycle.stages import CLOSED, Stage
from leads.models import AuditEntry, Lead, Organisation, OutboxEvent, StaffUser, utcnow
from leads.queue import outbox
from leads.queue.events import Channel, Kind
from leads.queue.worker import BatchResult, worker_name

log = logging.getLogger(__name__)

CHANNEL = Channel.CRM_INBOUND
KIND_WEBHOOK = Kind.HUBSPOT_WEBHOOK
KIND_PULL = Kind.HUBSPOT_PULL
SOURCE_WEBHOOK, SOURCE_PULL = "webhook", "pull"

# Subscription types the gateway acts on; anything else is recorded and ignored.
DEAL_PROPERTY_CHANGE = "deal.propertyChange"
DEAL_DELETION = "deal.deletion"
CONTACT_MERGE = "contact.merge"
CONTACT_PRIVACY_DELETION = "contact.privacyDeletion"
CONTACT_DELETION = "contact.deletion"
HANDLED_TYPES = (
    DEAL_PROPERTY_CHANGE,
    DEAL_DELETION,
    CONTACT_MERGE,
    CONTACT_PRIVACY_DELETION,
    CONTACT_DELETION,
)
# Deal properties brought back; other property changes are ignored.
SYNCED_DEAL_PROPERTIES = (p.DEALSTAGE, p.OWNER)
# The generic subscription types of HubSpot's newer apps name the object by its type id.
OBJECT_TYPE_IDS = {"0-1": "contact", "0-3": "deal"}

# Audit actions of changes that came from HubSpot (no person here made them).
ACTION_STAGE = Action.HUBSPOT_STAGE
ACTION_OWNER = Action.HUBSPOT_OWNER
ACTION_UNLINKED = Action.HUBSPOT_UNLINKED
ACTION_MERGED = Action.HUBSPOT_MERGED
ACTION_REFERRAL = Action.REFERRAL_REQUESTED
ERASE_REASON = "HubSpot privacy deletion"
ERASE_ON_DELETE_REASON = "deleted in HubSpot"

# Stored payload fields; property values only for the properties the gateway reads.
_KEPT = ("changeSource", "sourceId", "attemptNumber")


def subscription_type(raw_type: str, raw: dict) -> str:
    """Return the classic subscription type ("deal.propertyChange") of an event."""
    kind = raw_type
    if kind.startswith("object."):
        name = OBJECT_TYPE_IDS.get(str(raw.get("objectTypeId", "")))
        if name:
            kind = f"{name}.{kind.removeprefix('object.')}"
    return kind


def _ids(values) -> list[str]:
    if not isinstance(values, list):
        return []
    ids = [str(v) for v in values if isinstance(v, int | str) and is_ascii_digits(str(v), 30)]
    return ids[:100]


def webhook_payload(event: Event) -> dict:
    """Return what is kept of a webhook event (no personal property values)."""
    raw = event.raw
    kind = subscription_type(event.subscription_type, raw)
    payload = {
        "source": SOURCE_WEBHOOK,
        "type": kind[:100],
        "object_id": event.object_id,
        "occurred_at": to_ms(event.occurred_at),
        "event_id": event.event_id,
    }
    payload |= {k: str(raw[k])[:100] for k in _KEPT if isinstance(raw.get(k), int | str)}
    prop = raw.get("propertyName")
    if isinstance(prop, str):
        payload["property"] = prop[:100]
        value = raw.get("propertyValue")
        if prop in SYNCED_DEAL_PROPERTIES and isinstance(value, int | str):
            payload["value"] = str(value)[:100]
    if kind == CONTACT_MERGE:
        payload["merged_ids"] = _ids(raw.get("mergedObjectIds"))
        surviving = raw.get("newObjectId") or raw.get("primaryObjectId") or event.object_id
        payload["surviving_id"] = (_ids([surviving]) or [event.object_id])[0]
    return payload


def _key(*parts) -> str:
    digest = hashlib.sha256("|".join(str(x) for x in parts).encode()).hexdigest()[:48]
    return f"hubspot:{digest}"


def webhook_key(event: Event) -> str:
    """Key a webhook event by its eventId (and what it is about: HubSpot's id is not global)."""
    return _key(
        "webhook",
        event.event_id,
        event.subscription_type,
        event.object_id,
        event.raw.get("propertyName", ""),
    )


def store(rows: list[tuple[str, str, dict]]) -> int:
    """Add (kind, key, payload) events to the caller's transaction; repeats are dropped.

    Returns how many were new. One INSERT ... ON CONFLICT DO NOTHING on the outbox's unique
    dedupe key, so concurrent deliveries of one event store it once.
    """
    unique = {key: (kind, payload) for kind, key, payload in rows}
    if not unique:
        return 0
    now = utcnow()
    values = [
        {
            "channel": CHANNEL,
            "kind": kind,
            "payload": payload,
            "dedupe_key": key,
            "status": outbox.PENDING,
            "attempts": 0,
            "available_at": now,
            "created_at": now,
            "last_error": "",
        }
        for key, (kind, payload) in unique.items()
    ]
    table = OutboxEvent.__table__
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values(values).on_conflict_do_nothing(index_elements=["dedupe_key"])
    result = db.session.execute(statement)
    return max(result.rowcount or 0, 0)


def store_webhook_batch(events: list[Event]) -> int:
    """Store a webhook batch in the caller's transaction; return how many events were new."""
    return store([(KIND_WEBHOOK, webhook_key(e), webhook_payload(e)) for e in events])


# -- applying ---------------------------------------------------------------------------------


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
        if not is_ascii_digits(owner_id, 30):
            return ignored("the owner id is not a HubSpot owner id", lead)
        owner = ctx.owner(owner_id)
        email = normalise_email(str((owner or {}).get("email") or ""))
        if not email:
            return ignored(f"HubSpot has no owner {owner_id} with an e-mail address", lead)
        staff = db.session.scalar(
            select(StaffUser).where(StaffUser.email == email, StaffUser.active.is_(True))
        )
        if staff is None:
            return ignored(f"HubSpot owner {owner_id} has no staff account here", lead)
    previous = lead.owner.email if lead.owner else ""
    if staff is not None and staff.organisation_id != lead.organisation_id:
        if can_see(staff, lead):
            return ignored(
                f"HubSpot owner {staff.email} belongs to another organisation; owner kept", lead
            )
        # An owner whose organisation cannot see the lead: that organisation is asked to
        # take it (a referral), the lead is not moved to it silently.
        target = db.session.get(Organisation, staff.organisation_id)
        here = lead.organisation.slug if lead.organisation else "no organisation"
        audit(
            lead,
            None,
            ACTION_REFERRAL,
            staff.email,
            target.slug if target else "",
            f"HubSpot made them the deal owner; their organisation does not see this lead "
            f"(it is with {here}): a referral to decide",
        )
        return Outcome(True, f"referral to {target.slug if target else '?'} recorded", lead.id)
    if (lead.owner_id or None) == (staff.id if staff else None):
        return ignored("the owner is unchanged", lead)
    lead.owner = staff
    lead.owner_id = staff.id if staff else None
    audit(lead, None, ACTION_OWNER, previous, staff.email if staff else "", "changed in HubSpot")
    if staff is not None:
        notify_owner(lead, staff)  # mail to the new owner, as for an owner chosen here
    return Outcome(True, "owner changed in HubSpot", lead.id)


@dataclass(frozen=True)
class ReferralRequest:
    """A HubSpot owner from an organisation that cannot see the lead, waiting for a referral."""

    at: dt.datetime
    owner: str
    organisation: str


def referral_requests(lead: Lead) -> list[ReferralRequest]:
    """Return the referrals HubSpot owner changes asked for on a lead, newest first.

    Stored as audit lines until the shared pipeline's referrals exist to carry them.
    """
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.lead_id == lead.id, AuditEntry.action == ACTION_REFERRAL)
        .order_by(AuditEntry.id.desc())
    ).all()
    names = dict(db.session.execute(select(Organisation.slug, Organisation.name)).all())
    return [
        ReferralRequest(e.created_at, e.from_value, names.get(e.to_value, e.to_value))
        for e in entries
    ]


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


@dataclass
class ApplyReport:
    """What one ``apply_pending`` did."""

    claimed: int = 0
    applied: int = 0
    ignored: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _context(crm: CRM) -> Context:
    schema = setting(SCHEMA_KEY) or {}
    stage_by_id = {str(v): k for k, v in (schema.get("stage_ids") or {}).items()}
    return Context(
        crm=crm,
        stage_by_id=stage_by_id,
        erase_on_delete=bool(current_app.config.get("HUBSPOT_ERASE_ON_DELETE")),
    )


def apply_pending(crm: CRM | None = None, *, limit: int = 100) -> ApplyReport:
    """Claim a batch of inbound events and apply them oldest first, one commit each."""
    config = current_app.config
    events = outbox.claim_batch(
        CHANNEL,
        worker_name(),
        limit=limit,
        lease_seconds=int(config.get("HUBSPOT_LEASE_SECONDS", 300)),
    )
    report = ApplyReport(claimed=len(events))
    if not events:
        return report
    ctx = _context(crm or get_crm())
    order = sorted(events, key=lambda e: (int((e.payload or {}).get("occurred_at") or 0), e.id))
    for event_id in [e.id for e in order]:
        event = db.session.get(OutboxEvent, event_id)
        try:
            outcome = apply_payload(dict(event.payload or {}), ctx)
        except CRMError as exc:
            db.session.rollback()
            event = db.session.get(OutboxEvent, event_id)
            message = exc.describe()
            if exc.retryable:
                outbox.mark_failed(event, message, max_attempts=int(config["HUBSPOT_MAX_ATTEMPTS"]))
            else:
                outbox.mark_dead(event, message)
            report.failed += 1
            report.errors.append(message)
        except Exception as exc:  # a bad event must not stop the others
            log.exception("inbound CRM event %s could not be applied", event_id)
            db.session.rollback()
            event = db.session.get(OutboxEvent, event_id)
            outbox.mark_dead(event, f"could not be applied: {type(exc).__name__}")
            report.failed += 1
            report.errors.append(type(exc).__name__)
        else:
            event = db.session.get(OutboxEvent, event_id)
            if event.status == outbox.CANCELLED:  # its lead was erased by this very event
                event.status = outbox.IN_FLIGHT
            event.lead_id = outcome.lead_id
            if outcome.forget:
                event.payload = {}
            if outcome.applied:
                outbox.mark_done([event])
                event.last_error = outcome.reason[:2000]
                report.applied += 1
            else:
                outbox.mark_ignored(event, outcome.reason)
                report.ignored += 1
        db.session.commit()
    return report


def apply_all(crm: CRM | None = None) -> ApplyReport:
    """Apply every inbound event due now, batch after batch."""
    total = ApplyReport()
    while True:
        report = apply_pending(crm)
        for name in ("claimed", "applied", "ignored", "failed"):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        total.errors += report.errors
        if report.claimed < 100:
            return total


def apply_body(crm: CRM | None = None) -> BatchResult:
    """One round of the CRM worker: apply a batch of changes from HubSpot."""
    report = apply_pending(crm)
    return BatchResult(
        claimed=report.claimed,
        done=report.applied + report.ignored,
        failed=report.failed,
        errors=report.errors,
    )


def status(where=None) -> dict:
    """Return the inbound counts: received, applied, ignored, failed (and waiting)."""
    counts = outbox.status_counts(CHANNEL, where)
    return {
        "inbound_received": sum(counts.values()),
        "inbound_waiting": counts[outbox.PENDING] + counts[outbox.IN_FLIGHT],
        "inbound_applied": counts[outbox.DONE],
        "inbound_ignored": counts[outbox.IGNORED],
        "inbound_failed": counts[outbox.FAILED] + counts[outbox.DEAD],
    }
