"""``flask mail …``: relay the queued lead emails."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from core.extensions import db
from leads.notify import digest
from leads.notify.relay import send_all, send_pending
from leads.queue.worker import BatchResult, run_loop

mail_cli = AppGroup("mail", help="Send the queued lead emails.")


@mail_cli.command("send")
@click.option("--limit", default=50, show_default=True, help="Events per batch.")
@click.option("--loop", is_flag=True, help="Keep running, sending new mail as it is queued.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between batches.")
def send_command(limit: int, loop: bool, interval: float) -> None:
    """Send queued mail over SMTP (MAIL_SERVER) or into MAIL_FOLDER, the investor's first."""
    if not loop:
        result = send_all(limit=limit)  # every batch due, not only the first
        _echo(result)
        raise SystemExit(1 if result.failed or result.dead else 0)
    run_loop(
        "mail relay", lambda: send_pending(limit=limit), idle_seconds=interval, on_result=_echo
    )


@mail_cli.command("digest")
def digest_command() -> None:
    """Queue the daily digest for staff who chose it (run once a day; then `flask mail send`)."""
    queued = digest.queue_digests()
    db.session.commit()
    click.echo(f"{queued} digest(s) queued")


def _echo(result: BatchResult) -> None:
    click.echo(
        f"sent {result.sent}, deferred {result.deferred}, failed {result.failed}, "
        f"dead {result.dead}, cancelled {result.cancelled}"
    )
    for error in result.errors:
        click.echo(error, err=True)
