"""Real-browser fixtures: the app on a local port, a frozen copy on a static server, and
Debian's Chromium driven by Playwright.

Every page a test opens is watched: console errors (a CSP violation is one), uncaught page
errors and failed requests fail the test. When a test fails, a screenshot and the HTML of each
of its pages are saved to ``test-artifacts/browser/`` and the failure report names the files.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from factory import create_app
from tests.browser.servers import bind_static, serve_app, start_static

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The bot time trap of the tests' server: forms posted sooner than this are dropped silently.
FORM_MIN_SECONDS = 1
PHONE = {"width": 360, "height": 740}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser as a browser test (so `-m "not browser"` skips it).

    In parallel runs (``-n 2 --dist loadgroup``) each file stays on one worker, so its module
    fixtures (the staff world) are built once, and every test of the frozen site runs on the
    same worker, so the site is frozen once. Each worker serves the app on its own port and
    database. The artifacts folder is emptied here: xdist starts no test before every worker
    has collected.
    """
    here = Path(__file__).parent
    browser_items = [item for item in items if here in Path(str(item.path)).parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
        group = "frozen-site" if "frozen_site" in item.fixturenames else item.path.stem
        item.add_marker(pytest.mark.xdist_group(group))
    if browser_items:
        shutil.rmtree(ARTIFACTS, ignore_errors=True)


# --- servers ---------------------------------------------------------------------------------


@dataclass
class LiveServer:
    """The app served on a local port, with a handle to its database."""

    url: str
    app: object
    tmp: Path

    def __call__(self, path: str = "/") -> str:
        """Return the absolute URL of a path on this server."""
        return self.url + path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """Serve the app (fresh SQLite database, the real content/) on a free local port."""
    tmp = tmp_path_factory.mktemp("live")
    running = serve_app(
        tmp / "browser.db", FORM_MIN_SECONDS=FORM_MIN_SECONDS, RATELIMIT_ENABLED=False
    )
    try:
        yield LiveServer(url=running.url, app=running.app, tmp=tmp)
    finally:
        running.stop()


@dataclass
class FrozenSite:
    """The public site written by ``flask freeze`` and served by a plain static server."""

    url: str
    root: Path

    def __call__(self, path: str = "/") -> str:
        """Return the absolute URL of a path on the static server."""
        return self.url + path

    def html_files(self) -> list[Path]:
        """Return every HTML file of the frozen site."""
        return sorted(self.root.rglob("*.html"))


@pytest.fixture(scope="session")
def frozen_site(tmp_path_factory, live_server) -> Iterator[FrozenSite]:
    """Freeze the public site (forms pointing at the live server) and serve it statically."""
    tmp = tmp_path_factory.mktemp("frozen")
    dest = tmp / "site"
    dest.mkdir()
    server, url = bind_static(dest)
    app = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'freeze.db'}",
            "CONTENT_DIR": str(ROOT / "content"),
            "SITE_URL": url,
            "LEADS_URL": live_server.url,
        }
    )
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["freeze", "--dest", str(dest)])
    if result.exit_code != 0:
        server.server_close()
        pytest.fail(f"flask freeze failed:\n{result.output}\n{result.exception!r}")
    running = start_static(server, url)
    try:
        yield FrozenSite(url=url, root=dest)
    finally:
        running.stop()


# --- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_instance():
    """Start Playwright's driver (it talks to Chromium over pipes, not the network)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test-browser` to install it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance):
    """Debian's Chromium, headless, with background networking off."""
    chromium = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield chromium
    chromium.close()


@dataclass
class PageWatch:
    """What went wrong on the pages of one test: console errors, page errors, failed requests."""

    pages: list = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def attach(self, page) -> None:
        """Start collecting the problems of a page."""
        self.pages.append(page)
        page.on("console", lambda msg: self._console(page, msg))
        page.on("pageerror", lambda exc: self.console_errors.append(f"{page.url}: {exc}"))
        page.on("requestfailed", self._request_failed)

    def _console(self, page, msg) -> None:
        if msg.type == "error":
            source = (msg.location or {}).get("url") or ""
            where = f" [{source}]" if source and source != page.url else ""
            self.console_errors.append(f"{page.url}: {msg.text}{where}")

    def _request_failed(self, request) -> None:
        failure = request.failure or ""
        # Cancelled by the page moving on (or a link answered with a download): no fault.
        # Refused, blocked (CSP, mixed content) or unreachable loads have other codes.
        if failure == "net::ERR_ABORTED":
            return
        self.failed_requests.append(f"{request.method} {request.url}: {failure}")

    def allow(self, pattern: str) -> None:
        """Accept console errors matching a regex (e.g. the expected 404 of a page)."""
        self.allowed.append(re.compile(pattern))

    def problems(self) -> list[str]:
        """Return the console errors and failed requests that nobody expected."""
        errors = [e for e in self.console_errors if not any(p.search(e) for p in self.allowed)]
        return [f"console error: {e}" for e in errors] + [
            f"request failed: {r}" for r in self.failed_requests
        ]


@pytest.fixture
def browser_watch() -> PageWatch:
    """The problems seen on this test's pages (checked after the test by a hook)."""
    return PageWatch()


@pytest.fixture
def new_page(browser, live_server, browser_watch) -> Iterator[Callable]:
    """Open a watched page in a fresh browser context (options as for ``new_context``)."""
    contexts = []

    def _open(**options):
        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "en-GB")
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        browser_watch.attach(page)
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A watched desktop page (1280 x 800) with JavaScript on."""
    return new_page(viewport={"width": 1280, "height": 800})


def _safe_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1])[:120]


def _save_artifacts(item: pytest.Item, watch: PageWatch) -> list[str]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    saved = []
    for n, page in enumerate(watch.pages):
        if page.is_closed():
            continue
        stem = ARTIFACTS / f"{_safe_name(item.nodeid)}-{n}"
        try:
            page.screenshot(path=f"{stem}.png", full_page=True)
            Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
        except Exception as exc:  # noqa: BLE001 - a broken page must not hide the real failure
            saved.append(f"{stem}: could not save ({exc})")
            continue
        saved.append(f"{stem}.png  {stem}.html  ({page.url})")
    return saved


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    """Fail a passing test whose pages logged errors; save screenshots and HTML on failure."""
    report = yield
    if report.when != "call":
        return report
    watch = getattr(item, "funcargs", {}).get("browser_watch")
    if watch is None:
        return report
    problems = watch.problems()
    if report.passed and problems:
        report.outcome = "failed"
        report.longrepr = "the pages logged errors or failed to load resources:\n  " + (
            "\n  ".join(problems)
        )
    elif problems:
        report.sections.append(("browser problems", "\n".join(problems)))
    if report.failed:
        saved = _save_artifacts(item, watch)
        if saved:
            item.config.stash.setdefault(_FAILED_KEY, []).extend(saved)
            report.sections.append(("browser artifacts", "\n".join(saved)))
    return report


_FAILED_KEY = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Point the log at the screenshots and HTML of failed browser tests."""
    saved = config.stash.get(_FAILED_KEY, [])
    if saved:
        terminalreporter.section("browser artifacts")
        terminalreporter.write_line(f"screenshots and HTML of failed browser tests in {ARTIFACTS}:")
        for line in saved:
            terminalreporter.write_line(f"  {line}")
