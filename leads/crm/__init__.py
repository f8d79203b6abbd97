"""CRM sync: the CRM interface, the HubSpot adapter, payloads, the relay, webhooks and the pull.

One job per module; ``docs/crm.md`` ("For developers") lists them in the order they depend
on each other.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the ``flask crm`` commands and the HubSpot webhook endpoint."""
    from leads.crm.cli import crm_cli
    from leads.crm.views import bp

    app.cli.add_command(crm_cli)
    app.register_blueprint(bp)
