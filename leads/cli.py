"""``flask leads rescore|demo``: commands over the whole lead base."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from gateway.extensions import db
from leads import scoring
from leads.models import Lead

leads_cli = AppGroup("leads", help="Lead qualification.")


@leads_cli.command("rescore")
def rescore_command() -> None:
    """Score every lead again with the current rules."""
    changed = 0
    total = 0
    for lead in db.session.scalars(select(Lead).options(selectinload(Lead.inquiries))):
        before = (lead.score, lead.high_value)
        scoring.apply_score(lead)
        changed += before != (lead.score, lead.high_value)
        total += 1
    db.session.commit()
    click.echo(f"{total} lead(s) scored, {changed} changed")


@leads_cli.command("demo")
@click.option("--count", default=40, show_default=True, help="How many fictional leads.")
def demo_command(count: int) -> None:
    """Create fictional demo leads (only when the database has no leads yet)."""
    from leads.demo import load_demo_leads

    made = load_demo_leads(count)
    if made:
        click.echo(f"{made} fictional demo leads created (example.com addresses)")
    else:
        click.echo("leads already exist: no demo leads added")
