"""The CRM adapter this app uses, the settings read back from the CRM, and the queue's status."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import func, select, true

from core.extensions import db
from leads.crm.base import CRM, NullCRM
from leads.models import OutboxEvent, Setting, utcnow
from leads.queue import outbox
from leads.queue.events import Channel

SCHEMA_KEY = "crm.schema"
PAUSE_KEY = "crm.paused"


def configured() -> bool:
    """Tell whether a HubSpot token is set (without loading the SDK)."""
    return bool(current_app.config.get("HUBSPOT_ACCESS_TOKEN"))


def get_crm() -> CRM:
    """Return this app's CRM adapter, built once: HubSpot with a token, else the null CRM."""
    app = current_app._get_current_object()
    crm = app.extensions.get("crm")
    if crm is None:
        if not configured():
            crm = NullCRM()
        else:
            # Imported here: the SDK loads only where a token says it will be used.
            from leads.crm.hubspot import HubSpotCRM

            config = app.config
            timeout = float(config["HUBSPOT_TIMEOUT"])
            crm = HubSpotCRM(
                config["HUBSPOT_ACCESS_TOKEN"],
                base_url=config["HUBSPOT_BASE_URL"],
                api_version=config["HUBSPOT_API_VERSION"],
                rate_limit=int(config["HUBSPOT_RATE_LIMIT"]),
                rate_window=float(config["HUBSPOT_RATE_WINDOW"]),
                timeout=(min(5.0, timeout), timeout),
                search_rate_limit=int(config["HUBSPOT_SEARCH_RATE_LIMIT"]),
            )
        app.extensions["crm"] = crm
    return crm


# -- settings read back from the CRM ----------------------------------------------------------


def setting(key: str) -> dict | None:
    """Return a stored CRM setting, or None."""
    row = db.session.get(Setting, key)
    return dict(row.value) if row is not None else None


def store_setting(key: str, value: dict | None) -> None:
    """Store (or with None, delete) a CRM setting in the caller's transaction."""
    row = db.session.get(Setting, key)
    if value is None:
        if row is not None:
            db.session.delete(row)
        return
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value


def run_setup(crm: CRM | None = None) -> dict:
    """Create the CRM schema and deal pipeline (safe to repeat) and store the stage ids."""
    crm = crm or get_crm()
    info = crm.ensure_schema()
    value = {"pipeline_id": info.pipeline_id, "stage_ids": dict(info.stage_ids)}
    store_setting(SCHEMA_KEY, value)
    db.session.commit()
    return value


def paused_until() -> dt.datetime | None:
    """Return when the relay may send again after HubSpot's daily limit, if it is paused."""
    value = setting(PAUSE_KEY)
    if not value:
        return None
    until = dt.datetime.fromisoformat(value["until"])
    return until if until > utcnow() else None


def status(where=None) -> dict:
    """Return the CRM queues: outbound counts and last_success, inbound counts and last_pull.

    ``where`` narrows it to some events (a country user's organisation's leads).
    """
    from leads.crm import inbound, pull

    counts = outbox.status_counts(Channel.CRM, where)
    last = db.session.scalar(
        select(func.max(OutboxEvent.done_at)).where(
            OutboxEvent.channel == Channel.CRM,
            OutboxEvent.status == outbox.DONE,
            true() if where is None else where,
        )
    )
    return {
        "pending": counts[outbox.PENDING],
        "in_flight": counts[outbox.IN_FLIGHT],
        "failed": counts[outbox.FAILED],
        "dead": counts[outbox.DEAD],
        "done": counts[outbox.DONE],
        "last_success": last.replace(tzinfo=dt.UTC).isoformat() if last else None,
        **inbound.status(where),
        "last_pull": pull.last_pull(),
    }
