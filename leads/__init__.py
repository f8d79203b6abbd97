"""Leads: capture, staff qualification, scoring and routing, privacy, CRM sync."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the lead features: models, forms, staff area, CLI commands."""
    from leads import (
        capture,
        crm,
        followup,
        models,  # noqa: F401 - registers the tables with SQLAlchemy
        notify,
        partners,  # noqa: F401 - registers the introduction tables with SQLAlchemy
        plan,
        privacy,
        staff,
    )
    from leads.cli import leads_cli

    staff.init_app(app)
    capture.init_app(app)
    notify.init_app(app)
    privacy.init_app(app)
    crm.init_app(app)
    followup.init_app(app)
    plan.init_app(app)
    app.cli.add_command(leads_cli)
