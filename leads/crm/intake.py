"""Changes reported by HubSpot, stored as events of the ``crm_inbound`` queue, each once.

Webhooks (``leads.crm.views``, after ``leads.crm.webhooks`` verified and parsed the batch) and
the pull (``leads.crm.pull``) store what HubSpot reports here, in the caller's transaction,
keyed by ``event_key`` so that a repeat is stored once. Nothing is applied here: the inbound
runner (``leads.crm.inbound_runner``) does that, by the rules in ``leads.crm.inbound``.

A stored payload has ``source``, ``type`` (the classic subscription type), ``object_id``,
``occurred_at`` (milliseconds) and what the change is; no personal property values.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.extensions import db
from leads.crm import properties as p
from leads.crm.webhooks import Event, to_ms
from leads.models import OutboxEvent, utcnow
from leads.queue import outbox
from leads.queue.events import Channel, Kind

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
    return [str(v) for v in values if isinstance(v, int | str) and str(v).isdigit()][:100]


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


def event_key(*parts) -> str:
    """Return the dedupe key of an inbound event made of ``parts`` (same parts, same key)."""
    digest = hashlib.sha256("|".join(str(x) for x in parts).encode()).hexdigest()[:48]
    return f"hubspot:{digest}"


def webhook_key(event: Event) -> str:
    """Key a webhook event by its eventId (and what it is about: HubSpot's id is not global)."""
    return event_key(
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
    table = OutboxEvent.__table__  # a Table at run time; the model base types it loosely
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values(values)  # type: ignore[arg-type]  # __table__ is a Table
    statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
    result = db.session.execute(statement)
    return max(getattr(result, "rowcount", 0) or 0, 0)  # a CursorResult for an INSERT


def store_webhook_batch(events: list[Event]) -> int:
    """Store a webhook batch in the caller's transaction; return how many events were new."""
    return store([(KIND_WEBHOOK, webhook_key(e), webhook_payload(e)) for e in events])
