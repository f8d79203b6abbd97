"""``flask leads rescore|demo|remind``: commands over the whole lead base."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from leads.lifecycle import scoring
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
    from leads.staff.demo import load_demo_leads

    made = load_demo_leads(count)
    if made:
        click.echo(f"{made} fictional demo leads created (example.com addresses)")
    else:
        click.echo("leads already exist: no demo leads added")


@leads_cli.command("remind")
@click.option("--queue-only", is_flag=True, help="Queue only; the mail worker sends.")
@click.option("--loop", is_flag=True, help="Keep running: look again every --interval seconds.")
@click.option("--interval", default=3600.0, show_default=True, help="Seconds between runs.")
def remind_command(queue_only: bool, loop: bool, interval: float) -> None:
    """Mail each owner today's follow-up digest and queue due check-ins (once a day)."""
    from leads.followup.remind import remind_body, run_reminders, send_all
    from leads.queue.worker import run_loop

    if loop:
        run_loop("reminders", lambda: remind_body(send=not queue_only), idle_seconds=interval)
        return
    result = run_reminders()
    skipped = f", {result.cancelled} skipped (no address)" if result.cancelled else ""
    click.echo(f"{result.claimed} digest(s) and {result.done} check-in(s) queued{skipped}")
    if not queue_only:
        sent = send_all()
        click.echo(f"mail: sent {sent.sent}, failed {sent.failed}")
