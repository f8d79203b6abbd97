"""``flask mail …``: relay the queued lead emails."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from leads.notify.relay import send_pending

mail_cli = AppGroup("mail", help="Send the queued lead emails.")


@mail_cli.command("send")
@click.option("--limit", default=50, show_default=True, help="Events per batch.")
@click.option("--loop", is_flag=True, help="Keep running, sending new mail as it is queued.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between batches.")
def send_command(limit: int, loop: bool, interval: float) -> None:
    """Send queued mail over SMTP (MAIL_SERVER) or into MAIL_FOLDER."""
    while True:
        result = send_pending(limit=limit)
        click.echo(
            f"sent {result.sent}, deferred {result.deferred}, failed {result.failed}, "
            f"dead {result.dead}, cancelled {result.cancelled}"
        )
        for error in result.errors:
            click.echo(error, err=True)
        if not loop:
            raise SystemExit(1 if result.failed or result.dead else 0)
        time.sleep(interval)
