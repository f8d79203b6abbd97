"""``flask privacy …``: the data protection commands."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from leads.privacy.export import export_person

privacy_cli = AppGroup("privacy", help="Data protection: export (and erase) personal data.")


@privacy_cli.command("export")
@click.argument("email")
def export_command(email: str) -> None:
    """Print everything stored about EMAIL as JSON; exit 1 if the address is unknown."""
    data = export_person(email)
    if data is None:
        click.echo(f"no lead with the email address {email}", err=True)
        raise SystemExit(1)
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))
