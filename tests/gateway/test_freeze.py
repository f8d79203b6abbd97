"""``flask freeze``: a static site whose every internal link resolves, with no live-only pages."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from gateway.content_app import get_store
from gateway.freeze import MANIFEST, MARKER, freeze_site
from tests.support.apps import ROOT, build_app

pytestmark = pytest.mark.database  # each test builds its own app on a database

SITE = "https://www.example.test"
LEADS = "https://app.example.test"


@pytest.fixture
def app_overrides():
    return {"SITE_URL": SITE, "LEADS_URL": LEADS}


@pytest.fixture
def backend():
    """The freeze reads content, not the database: one backend is enough."""
    return "sqlite"


@pytest.fixture(scope="module")
def frozen(tmp_path_factory, request) -> Path:
    """The site frozen once for the tests that only read it (by an app set up as ``app`` is)."""
    tmp = tmp_path_factory.mktemp("frozen")
    app = build_app("sqlite", tmp, request, SITE_URL=SITE, LEADS_URL=LEADS)
    with app.app_context():
        result = freeze_site(app, tmp / "site")
    assert result.urls > 50
    return result.dest


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def target_file(root: Path, path: str) -> Path:
    local = root / path.lstrip("/")
    return local / "index.html" if path.endswith("/") else local


def test_every_internal_link_resolves_to_a_file(frozen):
    pages = list(frozen.rglob("*.html"))
    assert len(pages) > 50
    checked = 0
    for page in pages:
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme in ("mailto", "tel"):
                continue
            if parts.netloc and f"{parts.scheme}://{parts.netloc}" != SITE:
                continue  # another site, or the live app at LEADS_URL
            if not parts.path:
                continue  # a fragment on the same page
            assert parts.path.startswith("/"), f"{page}: relative link {link}"
            assert target_file(frozen, parts.path).is_file(), f"{page}: broken link {link}"
            checked += 1
    assert checked > 1000


def test_every_page_in_every_language_is_written(frozen, app):
    store = get_store()
    for prefix in ("", "de/", "sv/"):
        assert (frozen / prefix / "index.html").is_file()
        for kind in ("countries", "sectors", "case-studies", "events"):
            for entry in store.all(kind):
                assert (frozen / prefix / entry.url_path.lstrip("/") / "index.html").is_file()
        for slug in ("albania", "serbia"):
            filtered = frozen / prefix / "case-studies" / "country" / slug / "index.html"
            assert filtered.is_file()
    for name in ("sitemap.xml", "robots.txt", "feed.atom", "404.html", "static/css/site.css"):
        assert (frozen / name).is_file(), name


def test_no_staff_form_meeting_or_health_pages(frozen):
    files = [p.relative_to(frozen).as_posix() for p in frozen.rglob("*") if p.is_file()]
    forbidden = re.compile(r"(^|/)(staff|contact|report|healthz|meet)(/|$)")
    assert not [f for f in files if forbidden.search(f)]
    event = (frozen / "events" / "munich-investor-roadshow-2027" / "index.html").read_text()
    assert f'href="{LEADS}/events/munich-investor-roadshow-2027/meet/"' in event
    assert f'href="{LEADS}/contact/"' in (frozen / "index.html").read_text()


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_every_frozen_file_is_what_the_live_site_serves(frozen, app):
    client = app.test_client()
    files = _files(frozen)
    for name, data in files.items():
        if name in (MARKER, MANIFEST, "404.html"):
            continue
        url = "/" + name.removesuffix("index.html")
        with client.get(url) as response:
            assert response.data == data, f"{name} differs from {url} on the live site"
    # Each language keeps its own interface strings (no locale carried over between pages).
    assert "Zum Inhalt springen" in files["de/index.html"].decode()
    assert "Skip to content" in files["index.html"].decode()


@pytest.mark.skipif(
    "fork" not in __import__("multiprocessing").get_all_start_methods(),
    reason="parallel freezing forks worker processes",
)
def test_one_process_and_two_processes_write_the_same_site(app, tmp_path):
    one = freeze_site(app, tmp_path / "one", workers=1)
    two = freeze_site(app, tmp_path / "two", workers=2)
    assert one.urls == two.urls
    assert _files(one.dest) == _files(two.dest)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_page_that_fails_stops_the_freeze(app, tmp_path, monkeypatch, workers):
    from gateway.public import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "today", broken)  # asked on every home and events page
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with pytest.raises((RuntimeError, ValueError), match=r"500|boom"):
        freeze_site(app, tmp_path / "out", workers=workers)


def test_refreezing_removes_stale_files_but_never_foreign_folders(app, tmp_path):
    dest = tmp_path / "out"
    freeze_site(app, dest)
    stale = dest / "old-page" / "index.html"
    stale.parent.mkdir()
    stale.write_text("stale")
    freeze_site(app, dest)
    assert not stale.exists()
    assert (dest / MARKER).is_file()

    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("keep me")
    from gateway.freeze import DestinationNotEmpty

    with pytest.raises(DestinationNotEmpty):
        freeze_site(app, foreign)
    assert (foreign / "thesis.txt").read_text() == "keep me"


def test_freeze_command(runner, tmp_path):
    result = runner.invoke(args=["freeze", "--dest", str(tmp_path / "cli")])
    assert result.exit_code == 0, result.output
    assert "froze" in result.output
    assert (tmp_path / "cli" / "countries" / "serbia" / "index.html").is_file()


STORY = "cortex-academy-training-results"


@pytest.fixture
def editable(tmp_path, request) -> tuple:
    """An app over a copy of the content, so a test can edit a story between freezes."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    app = build_app("sqlite", tmp_path, request, CONTENT_DIR=str(content), SITE_URL=SITE)
    return app, content


def _mtimes(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }


def _edit_story(content: Path) -> None:
    path = content / "case-studies" / f"{STORY}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nA sentence added by an editor.\n", encoding="utf-8")


def test_a_rebuild_rewrites_only_the_pages_that_show_the_changed_story(editable, tmp_path):
    app, content = editable
    dest = freeze_site(app, tmp_path / "site").dest
    before = _mtimes(dest)
    _edit_story(content)
    freeze_site(app, dest)
    after = _mtimes(dest)
    rewritten = {name for name, mtime in after.items() if before.get(name) != mtime}
    assert f"case-studies/{STORY}/index.html" in rewritten
    assert f"de/case-studies/{STORY}/index.html" not in rewritten  # its own German text
    other = "case-studies/semos-education-career-centre/index.html"
    assert other in after
    assert other not in rewritten
    assert "static/css/site.css" not in rewritten
    assert len(rewritten) < len(after) / 2


def test_a_rebuild_writes_the_same_site_as_a_cold_freeze(editable, tmp_path):
    app, content = editable
    warm = freeze_site(app, tmp_path / "warm").dest
    _edit_story(content)
    freeze_site(app, warm)
    cold = freeze_site(app, tmp_path / "cold").dest
    assert _files(warm) == _files(cold)


def test_without_the_keys_of_the_last_freeze_every_page_is_rendered(editable, tmp_path):
    app, _ = editable
    dest = freeze_site(app, tmp_path / "site").dest
    (dest / MANIFEST).unlink()
    page = dest / "case-studies" / STORY / "index.html"
    page.write_text("edited by hand")
    freeze_site(app, dest)
    assert page.read_text() != "edited by hand"
