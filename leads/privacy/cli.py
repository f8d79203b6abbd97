"""``flask privacy …``: erasure and retention."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from leads.privacy.erase import erase_email, purge_expired

privacy_cli = AppGroup("privacy", help="Personal data: export, erasure, retention.")


@privacy_cli.command("erase")
@click.argument("email")
def erase_command(email: str) -> None:
    """Erase a person's data here and queue the erasure in the CRM."""
    if not erase_email(email):
        click.echo(f"no lead with the email {email}", err=True)
        sys.exit(1)
    click.echo("erased; the CRM erasure is queued")


@privacy_cli.command("purge-expired")
@click.option("--months", type=int, default=None, help="Default: the RETENTION_MONTHS setting.")
def purge_expired_command(months: int | None) -> None:
    """Erase the leads inactive for longer than the retention period."""
    months = months if months is not None else current_app.config["RETENTION_MONTHS"]
    count = purge_expired(months)
    click.echo(f"{count} lead(s) inactive for more than {months} months erased")
