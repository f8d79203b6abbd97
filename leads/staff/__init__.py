"""The staff area: accounts, lead qualification, reporting."""

from flask import Flask

from leads.staff.cli import staff_cli


def init_app(app: Flask) -> None:
    """Register the staff area, sign-in and its commands."""
    from core.extensions import login_manager
    from leads.staff import (  # noqa: F401
        auth,
        labels,
        views_auth,
        views_dashboard,
        views_followup,
        views_leads,
        views_partners,
        views_plan,
        views_sync,
    )
    from leads.staff.blueprint import bp

    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    login_manager.session_protection = "basic"
    app.register_blueprint(bp)
    app.cli.add_command(staff_cli)
