"""The pull: what changed in HubSpot since the last cursor, for when webhooks are off or missed.

Deals (filtered on ``hs_lastmodifieddate``) and contacts (``lastmodifieddate``) come through the
CRM search API, oldest first, paged within its own rate limit (the adapter narrows the window
at the 10,000-result ceiling). Each object becomes inbound events of the same shape webhooks
store, keyed by object id and modified date, and is applied by the same worker code path. The
cursor (one per object type) moves after each page is stored, so a crash repeats a page at most.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app

from core.extensions import db
from leads.crm import intake
from leads.crm import properties as p
from leads.crm.adapter import get_crm
from leads.crm.base import CRM
from leads.crm.settings import CURSOR_KEY, setting, store_setting
from leads.crm.webhooks import parse_hubspot_time, to_ms
from leads.models import utcnow
from leads.queue.worker import BatchResult

PULLED = {
    p.DEALS: (p.DEALSTAGE, p.PIPELINE, p.OWNER, p.WBO_LEAD_REF),
    p.CONTACTS: (p.MERGED_IDS,),
}
# A first pull (no cursor, no --since) looks back this far.
FIRST_LOOKBACK = dt.timedelta(days=1)
# Each pull starts this long before the cursor: HubSpot's search index trails its writes by a
# few seconds, and what is read twice is stored once.
OVERLAP = dt.timedelta(minutes=1)


@dataclass
class PullReport:
    """What one pull read and stored."""

    objects: int = 0
    stored: int = 0
    skipped: str = ""


def _cursor() -> dict:
    return setting(CURSOR_KEY) or {}


def _save_cursor(value: dict) -> None:
    store_setting(CURSOR_KEY, value)


def last_pull() -> str | None:
    """Return when the last pull finished (ISO 8601, UTC), or None."""
    return _cursor().get("last_pull")


def events_for(object_type: str, obj: dict) -> list[tuple[str, str, dict]]:
    """Return the inbound events (kind, key, payload) that one pulled object stands for."""
    props = obj.get("properties") or {}
    object_id = str(obj.get("id") or "")
    modified = parse_hubspot_time(props.get(p.MODIFIED_PROPERTY[object_type]))
    if not object_id.isdigit() or modified is None:
        return []
    base = {"source": intake.SOURCE_PULL, "object_id": object_id, "occurred_at": to_ms(modified)}
    rows: list[tuple[str, str, dict]] = []

    def add(name: str, payload: dict) -> None:
        key = intake.event_key("pull", object_type, object_id, name, payload["occurred_at"])
        rows.append((intake.KIND_PULL, key, payload))

    if object_type == p.DEALS:
        for name in (p.DEALSTAGE, p.OWNER):
            if name in props:
                add(
                    name,
                    base
                    | {
                        "type": intake.DEAL_PROPERTY_CHANGE,
                        "property": name,
                        "value": str(props.get(name) or "")[:100],
                        "lead_ref": str(props.get(p.WBO_LEAD_REF) or "")[:100],
                    },
                )
    elif object_type == p.CONTACTS:
        merged = [m for m in str(props.get(p.MERGED_IDS) or "").split(";") if m.strip().isdigit()]
        if merged:
            add(
                "merge",
                base
                | {
                    "type": intake.CONTACT_MERGE,
                    "merged_ids": [m.strip() for m in merged][:100],
                    "surviving_id": object_id,
                },
            )
    return rows


def pull(crm: CRM | None = None, *, since: dt.datetime | None = None) -> PullReport:
    """Read deals and contacts changed since the cursor (or ``since``) into the inbound queue."""
    crm = crm or get_crm()
    if not crm.configured:
        return PullReport(skipped="CRM is not configured")
    report = PullReport()
    cursor = _cursor()
    started = utcnow()
    for object_type, names in PULLED.items():
        start = since
        if start is None and cursor.get(object_type):
            start = dt.datetime.fromisoformat(cursor[object_type]) - OVERLAP
        if start is None:
            start = started - FIRST_LOOKBACK
        for page in crm.changed_since(object_type, start, names):
            rows = [row for obj in page for row in events_for(object_type, obj)]
            report.objects += len(page)
            report.stored += intake.store(rows)
            modified = p.MODIFIED_PROPERTY[object_type]
            seen = [parse_hubspot_time((o.get("properties") or {}).get(modified)) for o in page]
            newest = max([start, *(m for m in seen if m is not None)])
            cursor = _cursor() | {object_type: newest.isoformat()}
            _save_cursor(cursor)
            db.session.commit()
    _save_cursor(_cursor() | {"last_pull": started.replace(tzinfo=dt.UTC).isoformat()})
    db.session.commit()
    return report


def pull_due(now: dt.datetime | None = None) -> bool:
    """Tell whether the periodic pull should run (``HUBSPOT_PULL_MINUTES``; 0 turns it off)."""
    minutes = float(current_app.config.get("HUBSPOT_PULL_MINUTES", 5))
    if minutes <= 0:
        return False
    last = last_pull()
    if last is None:
        return True
    moment = dt.datetime.fromisoformat(last).replace(tzinfo=None)
    return (now or utcnow()) - moment >= dt.timedelta(minutes=minutes)


def pull_body(crm: CRM | None = None) -> BatchResult:
    """One round of the CRM worker: pull when due (``HUBSPOT_PULL_MINUTES``), else nothing."""
    crm = crm or get_crm()
    if not crm.configured:
        return BatchResult(skipped="CRM is not configured")
    if not pull_due():
        return BatchResult(skipped="no pull due")
    report = pull(crm)
    # What it stored is applied by the inbound runner; the loop goes round again at once.
    return BatchResult(claimed=report.stored, done=report.stored)
