"""Privacy: export of a person's data, erasure and retention."""

from flask import Flask

from leads.privacy.cli import privacy_cli


def init_app(app: Flask) -> None:
    """Register the ``flask privacy`` commands."""
    app.cli.add_command(privacy_cli)
