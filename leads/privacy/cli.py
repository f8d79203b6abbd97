"""``flask privacy …``: the data protection commands."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from core.extensions import db
from leads.privacy.consent import withdraw_consent
from leads.privacy.erase import erase_email, purge_expired
from leads.privacy.export import export_person, find_lead

privacy_cli = AppGroup("privacy", help="Data protection: export, withdraw consent, erase, retain.")


@privacy_cli.command("export")
@click.argument("email")
def export_command(email: str) -> None:
    """Print everything stored about EMAIL as JSON; exit 1 if the address is unknown."""
    data = export_person(email)
    if data is None:
        click.echo(f"no lead with the email address {email}", err=True)
        raise SystemExit(1)
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


@privacy_cli.command("erase")
@click.argument("email")
def erase_command(email: str) -> None:
    """Erase a person's data here and queue the erasure in the CRM; exit 1 if unknown."""
    if not erase_email(email):
        click.echo(f"no lead with the email address {email}", err=True)
        raise SystemExit(1)
    click.echo("erased; the CRM erasure is queued")


@privacy_cli.command("purge-expired")
@click.option("--months", type=int, default=None, help="Default: the RETENTION_MONTHS setting.")
def purge_expired_command(months: int | None) -> None:
    """Erase the leads inactive for longer than the retention period."""
    months = months if months is not None else current_app.config["RETENTION_MONTHS"]
    count = purge_expired(months)
    click.echo(f"{count} lead(s) inactive for more than {months} months erased")


@privacy_cli.command("withdraw")
@click.argument("email")
def withdraw_command(email: str) -> None:
    """Record that EMAIL withdrew consent (queued mail stops); exit 1 if unknown."""
    lead = find_lead(email)
    if lead is None:
        click.echo(f"no lead with the email address {email}", err=True)
        raise SystemExit(1)
    withdrawn = withdraw_consent(lead, form="cli", method="request recorded by an operator")
    db.session.commit()
    if withdrawn:
        click.echo("consent withdrawn: " + ", ".join(r.purpose for r in withdrawn))
    else:
        click.echo("no consent to withdraw")
