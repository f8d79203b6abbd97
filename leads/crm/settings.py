"""What the CRM side keeps between runs: the ``Setting`` table's key/value store, and its keys."""

from __future__ import annotations

from core.extensions import db
from leads.models import Setting

# Every key the CRM side stores, in one place.
SCHEMA_KEY = "crm.schema"  # the deal pipeline id and stage ids ``flask crm setup`` read back
PAUSE_KEY = "crm.paused"  # until when HubSpot's daily limit holds the relay
CURSOR_KEY = "crm.pull"  # the pull's cursor per object type, and when the last pull ran


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
