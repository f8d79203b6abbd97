"""CRM sync: the CRM interface, the HubSpot adapter, payloads, the relay and its commands."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the ``flask crm`` commands."""
    from leads.crm.cli import crm_cli

    app.cli.add_command(crm_cli)
