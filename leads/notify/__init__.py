"""Notifications of the lead forms: team mail and investor acknowledgements via the outbox."""

from flask import Flask

from leads.notify.cli import mail_cli


def init_app(app: Flask) -> None:
    """Register the ``flask mail`` commands."""
    app.cli.add_command(mail_cli)
