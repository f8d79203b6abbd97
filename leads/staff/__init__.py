"""The staff area: accounts, lead qualification, reporting."""

from flask import Flask

from leads.staff.cli import staff_cli


def init_app(app: Flask) -> None:
    """Register the staff area and its commands."""
    app.cli.add_command(staff_cli)
