"""``flask freeze``: write every public page, feed, sitemap and asset as static files.

Only the pages listed by :func:`gateway.seo.site_pages` (in every language) plus the crawler
files and ``static/`` are written: staff pages, forms, meeting requests and ``/healthz`` are
live-only, and frozen pages link to them on ``LEADS_URL``.

Freezing again into the same folder renders only the pages whose inputs changed. Every page
gets a key: a hash of the code, templates, translations, settings and date (the *build*), and
of the content it shows. Stories are the many pages, and a story's body shows only on its own
page: that page is keyed by the story and the small kinds (``STORY_PAGE_SHOWS``); every other
page (listings, filters, home, countries, feed, sitemap) by the stories' front matter and all
the other content. The keys of the last freeze are kept in the folder (``MANIFEST``); a
page whose key and file are unchanged is left as it is, and a file is written only when its
bytes change. A new folder, or a deleted manifest, means a cold freeze.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import itertools
import json
import mimetypes
import multiprocessing as mp
import os
import time
import traceback
import warnings
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask, current_app, url_for
from flask.testing import FlaskClient
from flask_frozen import Freezer, MissingURLGeneratorWarning, walk_directory
from werkzeug.urls import unquote

from core.locales import LANGUAGES
from gateway.content.check import placeholder_warnings
from gateway.content.urls import KINDS
from gateway.content_app import get_store
from gateway.seo import site_pages

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DEST = BASE_DIR / "build" / "site"
MARKER = ".gateway-freeze"  # marks a folder we own, so stale files may be removed from it
MANIFEST = ".gateway-freeze-keys.json"  # the page keys of the last freeze into the folder
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


class PageClient(FlaskClient):
    """A test client that serves every request in a fresh context, as a live server does.

    Frozen-Flask fetches pages while its URL generators run inside a request context of their
    own; without isolation every page would share one ``g`` and so one cached locale.
    """

    def open(self, *args, **kwargs):
        """Serve one request with no application or request context inherited."""
        return contextvars.Context().run(super().open, *args, **kwargs)


def make_freezer(app: Flask, dest: Path) -> Freezer:
    """Return a Frozen-Flask freezer that knows every public URL and nothing else."""
    app.config.update(
        FREEZER_DESTINATION=str(dest),
        FREEZER_DESTINATION_IGNORE=[MARKER, MANIFEST],
        FREEZER_REMOVE_EXTRA_FILES=True,
        FREEZER_RELATIVE_URLS=False,
    )
    freezer = Freezer(app, with_static_files=True, with_no_argument_rules=False, log_url_for=False)
    freezer.register_generator(public_pages)
    return freezer


def public_pages():
    """Yield (endpoint, values) of every public page and fact sheet in every language, then the
    crawler files."""
    for page in site_pages(get_store()):
        for lang in LANGUAGES:
            yield page.endpoint, {"lang": lang, **dict(page.values)}
    for entry in get_store().all("countries"):
        for lang in LANGUAGES:
            yield "factsheets.fact_sheet", {"lang": lang, "slug": entry.slug}
    for lang in LANGUAGES:  # the data file the estimator's script reads, beside its page
        yield "costs.data", {"lang": lang}
    for endpoint in ("public.sitemap", "public.robots", "public.feed"):
        yield endpoint, {}


# A story's page shows the story and entries of these kinds (names in its facts, navigation);
# other pages show no story's body. A template that starts showing more must change this, or a
# rebuild would keep a page stale (tests/gateway/test_freeze.py compares a rebuild with a cold
# freeze).
STORIES, STORY_PAGE = "case-studies", "public.case_study"
STORY_PAGE_SHOWS = ("countries", "sectors", "pages")
BUILD_INPUTS = (
    "core",
    "gateway",
    "factory.py",
    "translations",
    "requirements.txt",
)  # under BASE_DIR
_SECRET_SETTING = ("SECRET", "TOKEN", "PASSWORD", "KEY")


def build_digest(app: Flask) -> str:
    """Return a hash of everything besides content that pages are made of.

    Code and templates (``core/``, ``gateway/``), compiled translations, pinned dependencies,
    the static files' names and sizes, the settings (secrets and the freeze's own left out) and
    the date.
    """
    digest = hashlib.sha256()
    for name in BUILD_INPUTS:
        root = BASE_DIR / name
        paths = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in paths:
            if path.is_file() and path.suffix not in (".pyc", ".po", ".pot"):
                digest.update(f"{path.relative_to(BASE_DIR)}\0".encode())
                digest.update(path.read_bytes())
    static = app.static_folder
    assert static is not None  # create_app always sets it
    for path in sorted(Path(static).rglob("*")):
        digest.update(f"{path.relative_to(static)}:{path.stat().st_size}".encode())
    settings = sorted(
        (key, repr(value))
        for key, value in app.config.items()
        if isinstance(value, (str, int, float, bool, type(None)))
        and not any(word in key for word in _SECRET_SETTING)
        and not key.startswith("FREEZE")  # where and how we freeze, not what pages hold
    )
    digest.update(repr((settings, dt.date.today().isoformat())).encode())
    return digest.hexdigest()


def page_key(store, build: str, endpoint: str, values: dict) -> str:
    """Return the key of one page: it changes whenever the page's bytes may change."""
    if endpoint == STORY_PAGE:
        shown = (store.digest(STORIES, values["slug"]), *map(store.digest, STORY_PAGE_SHOWS))
    else:
        others = [kind for kind in KINDS if kind != STORIES]
        shown = (store.digest(STORIES, front_matter=True), *map(store.digest, others))
    text = repr((build, endpoint, sorted(values.items()), shown))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def page_keys(app: Flask, pages: list[tuple[str, dict]]) -> dict[str, str]:
    """Return {url: key} of the pages (URLs as Frozen-Flask computes them)."""
    store = app.extensions["content"]
    build = build_digest(app)
    with app.test_request_context():
        return {
            unquote(url_for(endpoint, **values)): page_key(store, build, endpoint, values)
            for endpoint, values in pages
        }


def _read_manifest(dest: Path) -> dict[str, str]:
    try:
        return json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_not_found_page(app: Flask, dest: Path) -> None:
    """Write ``404.html``, which most static hosts serve for unknown paths."""
    response = app.test_client().get(NOT_FOUND_PROBE)
    _write_if_changed(dest / "404.html", response.data)


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless the file already holds it (its date then says when it changed)."""
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


def worker_count(app: Flask, wanted: int | None = None) -> int:
    """Return how many processes the freeze uses (``FREEZE_WORKERS``; 0 means one per core)."""
    if wanted is None:
        wanted = int(app.config.get("FREEZE_WORKERS") or 0)
    if "fork" not in mp.get_all_start_methods():
        return 1  # workers inherit the loaded content by forking; elsewhere freeze in-process
    if wanted <= 0:
        wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return max(1, wanted)


def _freeze_share(app: Flask, dest: Path, share: list[tuple[str, dict]]) -> list[tuple[str, str]]:
    """Freeze ``share`` of the URLs with Frozen-Flask; return (url, path) of every file written."""
    freezer = make_freezer(app, dest)
    app.config["FREEZER_REMOVE_EXTRA_FILES"] = False  # the parent removes stale files at the end
    freezer.url_generators = [lambda: iter(share)]  # static files are part of the shares
    with warnings.catch_warnings():
        # Staff, form and health endpoints are deliberately left out.
        warnings.simplefilter("ignore", MissingURLGeneratorWarning)
        return [(page.url, str(page.path)) for page in freezer.freeze_yield()]


def _worker(app: Flask, dest: Path, share: list, conn) -> None:
    result: tuple[str, object]
    try:
        result = ("ok", _freeze_share(app, dest, share))
    except BaseException:  # noqa: BLE001 - any failure is reported to the parent
        result = ("error", traceback.format_exc())
    conn.send(result)
    conn.close()


def _page_of(url: tuple[str, dict]) -> tuple:
    endpoint, values = url
    return endpoint, sorted((k, v) for k, v in values.items() if k != "lang")


def split(urls: list[tuple[str, dict]], workers: int) -> list[list[tuple[str, dict]]]:
    """Split the URLs into ``workers`` shares, keeping the languages of a page together.

    A page's body is rendered on first use: in one share, it is rendered once, not per share.
    """
    shares: list[list] = [[] for _ in range(workers)]
    for n, (_, group) in enumerate(itertools.groupby(urls, key=_page_of)):
        shares[n % workers].extend(group)
    return shares


def _freeze_parallel(
    app: Flask, dest: Path, urls: list[tuple[str, dict]], workers: int
) -> list[tuple[str, str]]:
    """Split the URLs between forked processes, each running Frozen-Flask on its share."""
    shares = split(urls, workers)
    if workers == 1:
        return _freeze_share(app, dest, shares[0])
    context = mp.get_context("fork")
    running = []
    for share in shares[1:]:
        parent_end, child_end = context.Pipe(duplex=False)
        process = context.Process(target=_worker, args=(app, dest, share, child_end), daemon=True)
        process.start()
        child_end.close()
        running.append((process, parent_end))
    try:
        written = _freeze_share(app, dest, shares[0])
    except BaseException:
        for process, conn in running:  # no orphans: stop the other workers, then re-raise
            process.terminate()
            process.join()
            conn.close()
        raise
    failures = []
    for process, conn in running:
        try:
            status, value = conn.recv()
        except EOFError:
            status, value = "error", "a freeze worker stopped without an answer"
        process.join()
        if status == "ok":
            written += value
        else:
            failures.append(value)
    if failures:
        raise RuntimeError("the freeze failed in a worker process:\n" + "\n".join(failures))
    return written


def _remove_stale_files(dest: Path, written: set[Path]) -> None:
    """Remove files of an earlier freeze that this one did not write (as Frozen-Flask does)."""
    for relative in set(walk_directory(dest, ignore=[MARKER])) - {str(p) for p in written}:
        path = dest / relative
        path.unlink()
        with suppress(OSError):
            path.parent.rmdir()


def freeze_site(
    app: Flask, dest: str | Path | None = None, workers: int | None = None
) -> FreezeResult:
    """Freeze the public site into ``dest`` and return what was written."""
    dest = Path(dest or app.config.get("FREEZE_DEST") or DEFAULT_DEST).resolve()
    _check_destination(dest)
    dest.mkdir(parents=True, exist_ok=True)
    _write_if_changed(dest / MARKER, b"Written by 'flask freeze'; safe to delete.\n")
    started = time.perf_counter()
    with app.app_context():
        store = app.extensions["content"]
        store.refresh()
    saved = {
        key: app.config.get(key)
        for key in (
            "CONTENT_AUTO_RELOAD",
            "CONTENT_ERRORS_VISIBLE",
            "PAGE_CACHE_MB",
            "FREEZER_SKIP_EXISTING",
        )
    }
    app.config["CONTENT_AUTO_RELOAD"] = False  # content is read once; not re-scanned per page
    app.config["PAGE_CACHE_MB"] = 0  # every page is rendered once: keeping them would only cost
    app.config["CONTENT_ERRORS_VISIBLE"] = False  # a frozen site is published: leave out, log
    workers = worker_count(app, workers)
    client_class, app.test_client_class = app.test_client_class, PageClient
    try:
        with app.app_context():  # only to list the URLs: each page gets its own context
            pages = list(public_pages())
            keys = page_keys(app, pages)
            static = list(make_freezer(app, dest).static_files_urls())
        previous = _read_manifest(dest)
        (dest / MANIFEST).unlink(missing_ok=True)  # a freeze that stops half way leaves none
        unchanged = {url for url, key in keys.items() if previous.get(url) == key}
        app.config["FREEZER_SKIP_EXISTING"] = lambda url, _path: url in unchanged
        written = _freeze_parallel(app, dest, [*pages, *static], workers)
        _write_not_found_page(app, dest)
        _remove_stale_files(dest, {Path(path) for _, path in written} | {Path("404.html")})
        (dest / MANIFEST).write_text(json.dumps(keys, indent=0, sort_keys=True), encoding="utf-8")
    finally:
        app.config.update(saved)
        app.test_client_class = client_class
    urls = {url for url, _ in written}
    return FreezeResult(dest, len(urls) + 1, time.perf_counter() - started)


@click.command("freeze")
@click.option(
    "--dest",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Output folder (default: {DEFAULT_DEST.relative_to(BASE_DIR)}).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Processes to freeze with (default: FREEZE_WORKERS; 0: one per core).",
)
def freeze_command(dest: Path | None, workers: int | None) -> None:
    """Write the public site as static files."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy method
    store = app.extensions["content"]
    for error in store.errors:
        click.echo(f"warning: left out: {error}", err=True)
    result = freeze_site(app, dest, workers=workers)
    for placeholder in placeholder_warnings(store):
        click.echo(f"warning: {placeholder}", err=True)
    click.echo(
        f"froze {result.urls} files into {result.dest} in {result.seconds:.2f} s "
        f"({result.pages_per_second:.0f} per second)"
    )


def init_app(app: Flask) -> None:
    """Register ``flask freeze``."""
    app.cli.add_command(freeze_command)
