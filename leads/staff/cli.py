"""``flask staff …``: organisations and staff accounts."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from gateway.extensions import db
from leads.models import Organisation
from leads.organisations import sync_organisations

staff_cli = AppGroup("staff", help="Organisations and staff accounts.")


@staff_cli.command("orgs")
def orgs_command() -> None:
    """List organisations as SLUG<TAB>COUNTRY<TAB>NAME."""
    for org in db.session.scalars(select(Organisation).order_by(Organisation.slug)):
        click.echo(f"{org.slug}\t{org.country}\t{org.name}")


@staff_cli.command("sync-orgs")
def sync_orgs_command() -> None:
    """Load the organisations from the data file (safe to repeat)."""
    changed = sync_organisations()
    click.echo(f"organisations up to date ({changed} added or changed)")
