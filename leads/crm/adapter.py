"""The CRM adapter this app uses, built once from its settings, and the CRM's one-time setup."""

from __future__ import annotations

from flask import current_app

from core.extensions import db
from leads.crm.base import CRM, NullCRM
from leads.crm.settings import SCHEMA_KEY, store_setting


def configured() -> bool:
    """Tell whether a HubSpot token is set (without loading the SDK)."""
    return bool(current_app.config.get("HUBSPOT_ACCESS_TOKEN"))


def get_crm() -> CRM:
    """Return this app's CRM adapter, built once: HubSpot with a token, else the null CRM."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy method
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


def run_setup(crm: CRM | None = None) -> dict:
    """Create the CRM schema and deal pipeline (safe to repeat) and store the stage ids."""
    crm = crm or get_crm()
    info = crm.ensure_schema()
    value = {"pipeline_id": info.pipeline_id, "stage_ids": dict(info.stage_ids)}
    store_setting(SCHEMA_KEY, value)
    db.session.commit()
    return value
