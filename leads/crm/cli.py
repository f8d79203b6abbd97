"""``flask crm setup|sync|pull|status``: thin commands over the relay, pull and inbound runner."""

from __future__ import annotations

import datetime as dt
import json

import click
from flask.cli import AppGroup

from leads.crm import adapter, inbound_runner, pull, relay, status
from leads.crm.base import CRMError

crm_cli = AppGroup("crm", help="HubSpot sync: setup, relay, pull, status.")


@crm_cli.command("setup")
def setup_command() -> None:
    """Create the CRM properties and the roadshow deal pipeline (safe to repeat)."""
    crm = adapter.get_crm()
    if not crm.configured:
        raise click.ClickException("HUBSPOT_ACCESS_TOKEN is not set")
    try:
        schema = adapter.run_setup(crm)
    except CRMError as exc:
        raise click.ClickException(exc.describe()) from exc
    click.echo(f"pipeline {schema['pipeline_id']}")
    for stage, stage_id in schema["stage_ids"].items():
        click.echo(f"stage {stage}\t{stage_id}")


@crm_cli.command("sync")
@click.option("--loop", is_flag=True, help="Keep running; finish the batch in flight on SIGTERM.")
def sync_command(loop: bool) -> None:
    """Relay pending outbox events to the CRM."""
    if loop:
        relay.run_forever()
        return
    report = relay.sync()
    applied = inbound_runner.apply_all()
    click.echo(
        f"from HubSpot: applied {applied.applied}, ignored {applied.ignored}, "
        f"failed {applied.failed}"
    )
    if report.skipped:
        click.echo(report.skipped)
    click.echo(
        f"claimed {report.claimed}, done {report.done}, failed {report.failed}, "
        f"dead {report.dead}, held {report.held}"
    )
    for error in dict.fromkeys(report.errors):
        click.echo(f"error: {error}", err=True)


def _since(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("use an ISO 8601 date or time, e.g. 2026-11-30T08:00") from exc
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


@crm_cli.command("pull")
@click.option("--since", help="Read changes from this UTC date or time (default: the cursor).")
def pull_command(since: str | None) -> None:
    """Read deals and contacts changed in HubSpot and apply them (when webhooks are off)."""
    crm = adapter.get_crm()
    if not crm.configured:
        raise click.ClickException("HUBSPOT_ACCESS_TOKEN is not set")
    try:
        report = pull.pull(crm, since=_since(since))
    except CRMError as exc:
        raise click.ClickException(exc.describe()) from exc
    applied = inbound_runner.apply_all(crm)
    click.echo(
        f"read {report.objects} objects, {report.stored} new changes; applied "
        f"{applied.applied}, ignored {applied.ignored}, failed {applied.failed}"
    )
    for error in dict.fromkeys(applied.errors):
        click.echo(f"error: {error}", err=True)


@crm_cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def status_command(as_json: bool) -> None:
    """Print the CRM queues (to HubSpot and from it), the last success and the last pull."""
    data = status.status()
    if as_json:
        click.echo(json.dumps(data))
        return
    crm = adapter.get_crm()
    click.echo(f"configured\t{'yes' if crm.configured else 'no'}")
    paused = status.paused_until()
    if paused is not None:
        click.echo(f"paused until\t{paused.isoformat()}Z (HubSpot daily limit)")
    for key, value in data.items():
        click.echo(f"{key}\t{value if value is not None else '-'}")
