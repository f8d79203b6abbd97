"""The content store inside the app, and the ``flask content`` commands."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app

from gateway.content import ContentStore, check_store, freshness
from gateway.content.check import (
    fallback_warnings,
    missing_figure_warnings,
    placeholder_warnings,
)
from gateway.content.urls import KINDS


def get_store() -> ContentStore:
    """Return the app's content store, reloading changed files when auto-reload is on."""
    store: ContentStore = current_app.extensions["content"]
    if current_app.config.get("CONTENT_AUTO_RELOAD", current_app.debug):
        store.refresh()
    return store


@click.group("content")
def content_cli() -> None:
    """Check the Markdown content."""


@content_cli.command("check")
@click.option("--strict", is_flag=True, help="Fail on warnings (English fallbacks) too.")
def check_command(strict: bool) -> None:
    """Validate every content file; print ``path:line: message`` per problem.

    Warnings list, per language, every visible text that falls back to English.
    """
    store = get_store()
    store.refresh()
    static = current_app.static_folder
    assert static is not None  # create_app always sets it
    problems = check_store(store, static)
    warnings = fallback_warnings(store)
    for warning in warnings:
        click.echo(str(warning))
    if warnings:
        click.echo(f"{len(warnings)} text(s) shown in English on translated pages", err=True)
        if strict:
            problems = [*problems, *warnings]
    for problem in problems:
        click.echo(str(problem))
    for warning in placeholder_warnings(store) + missing_figure_warnings(store):
        click.echo(f"{warning} (warning)")
    for warning in freshness.freshness_warnings(store):
        click.echo(f"{warning} (warning)")
    counts = {kind: len(store.slugs(kind)) for kind in KINDS}
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    if problems:
        click.echo(f"{len(problems)} problem(s) in content ({summary})", err=True)
        sys.exit(1)
    click.echo(f"content OK: {summary}")


@content_cli.command("sources")
def sources_command() -> None:
    """Print the share of primary sources and of recent periods, and every missing figure."""
    store = get_store()
    store.refresh()
    report = freshness.sources_report(store)
    click.echo(f"sourced figures and facts: {report.total}")
    for kind, count in sorted(report.by_kind.items()):
        click.echo(f"  {kind}: {count}")
    click.echo(f"primary publisher (directly or via press): {report.primary_share:.0%}")
    since = freshness.RECENT_FROM
    click.echo(f"period {since} or later: {report.recent_share:.0%} of {report.with_period} dated")
    click.echo(f"missing: {len(report.missing)}")
    for path, dotted, reason in report.missing:
        click.echo(f"  {path}: {dotted}" + (f": {reason}" if reason else ""))


def init_app(app: Flask) -> None:
    """Load the content folder once and register the CLI group."""
    app.extensions["content"] = ContentStore(app.config["CONTENT_DIR"])
    app.cli.add_command(content_cli)
