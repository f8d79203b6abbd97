"""Leads: capture, staff qualification, scoring and routing, privacy, CRM sync."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the lead features: models, forms, staff area, CLI commands."""
    from leads import (
        models,  # noqa: F401 - registers the tables with SQLAlchemy
        staff,
    )

    staff.init_app(app)
