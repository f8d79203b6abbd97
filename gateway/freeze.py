"""``flask freeze``: write every public page, feed, sitemap and asset as static files.

Only the pages listed by :func:`gateway.seo.site_pages` (in every language) plus the crawler
files and ``static/`` are written: staff pages, forms, meeting requests and ``/healthz`` are
live-only, and frozen pages link to them on ``LEADS_URL``.
"""

from __future__ import annotations

import mimetypes
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask, current_app
from flask_frozen import Freezer, MissingURLGeneratorWarning

from gateway.content_app import get_store
from gateway.locales import LANGUAGES
from gateway.seo import site_pages

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DEST = BASE_DIR / "build" / "site"
MARKER = ".gateway-freeze"  # marks a folder we own, so stale files may be removed from it
NOT_FOUND_PROBE = "/__freeze-404__/"

mimetypes.add_type("application/atom+xml", ".atom")


@dataclass(frozen=True)
class FreezeResult:
    """What a freeze wrote and how long it took."""

    dest: Path
    urls: int
    seconds: float

    @property
    def pages_per_second(self) -> float:
        """Return the throughput of the freeze."""
        return self.urls / self.seconds if self.seconds else float("inf")


class DestinationNotEmpty(click.ClickException):
    """The destination holds files the freeze did not write."""


def _check_destination(dest: Path) -> None:
    if dest.exists() and any(dest.iterdir()) and not (dest / MARKER).exists():
        raise DestinationNotEmpty(
            f"{dest} is not empty and was not written by 'flask freeze'; "
            "choose an empty or new folder"
        )


def make_freezer(app: Flask, dest: Path) -> Freezer:
    """Return a Frozen-Flask freezer that knows every public URL and nothing else."""
    app.config.update(
        FREEZER_DESTINATION=str(dest),
        FREEZER_DESTINATION_IGNORE=[MARKER],
        FREEZER_REMOVE_EXTRA_FILES=True,
        FREEZER_RELATIVE_URLS=False,
    )
    freezer = Freezer(app, with_static_files=True, with_no_argument_rules=False, log_url_for=False)

    @freezer.register_generator
    def public_pages():
        for page in site_pages(get_store()):
            for lang in LANGUAGES:
                yield page.endpoint, {"lang": lang, **dict(page.values)}
        for endpoint in ("public.sitemap", "public.robots", "public.feed"):
            yield endpoint, {}

    return freezer


def _write_not_found_page(app: Flask, dest: Path) -> None:
    """Write ``404.html``, which most static hosts serve for unknown paths."""
    response = app.test_client().get(NOT_FOUND_PROBE)
    (dest / "404.html").write_bytes(response.data)


def freeze_site(app: Flask, dest: str | Path | None = None) -> FreezeResult:
    """Freeze the public site into ``dest`` and return what was written."""
    dest = Path(dest or app.config.get("FREEZE_DEST") or DEFAULT_DEST).resolve()
    _check_destination(dest)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / MARKER).write_text("Written by 'flask freeze'; safe to delete.\n")
    started = time.perf_counter()
    with app.app_context():
        store = app.extensions["content"]
        store.refresh()
    saved = {key: app.config.get(key) for key in ("CONTENT_AUTO_RELOAD", "CONTENT_ERRORS_VISIBLE")}
    app.config["CONTENT_AUTO_RELOAD"] = False  # content is read once; not re-scanned per page
    app.config["CONTENT_ERRORS_VISIBLE"] = False  # a frozen site is published: leave out, log
    try:
        freezer = make_freezer(app, dest)
        with warnings.catch_warnings():
            # Staff, form and health endpoints are deliberately left out.
            warnings.simplefilter("ignore", MissingURLGeneratorWarning)
            urls = freezer.freeze()
        _write_not_found_page(app, dest)
    finally:
        app.config.update(saved)
    return FreezeResult(dest, len(urls) + 1, time.perf_counter() - started)


@click.command("freeze")
@click.option(
    "--dest",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Output folder (default: {DEFAULT_DEST.relative_to(BASE_DIR)}).",
)
def freeze_command(dest: Path | None) -> None:
    """Write the public site as static files."""
    app = current_app._get_current_object()
    store = app.extensions["content"]
    for error in store.errors:
        click.echo(f"warning: left out: {error}", err=True)
    result = freeze_site(app, dest)
    click.echo(
        f"froze {result.urls} files into {result.dest} in {result.seconds:.2f} s "
        f"({result.pages_per_second:.0f} per second)"
    )


def init_app(app: Flask) -> None:
    """Register ``flask freeze``."""
    app.cli.add_command(freeze_command)
