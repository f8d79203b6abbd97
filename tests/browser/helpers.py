"""Helpers of the browser tests: the public pages to visit, axe-core, the Nu HTML Checker."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from gateway.content import ContentStore
from gateway.content.urls import content_path

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def content_store() -> ContentStore:
    """Return the real content, loaded without Flask."""
    store = ContentStore(ROOT / "content")
    store.refresh()
    return store


def first_slug(kind: str) -> str:
    """Return the first slug of a content kind (in the store's own order)."""
    entries = content_store().all(kind)
    assert entries, f"no {kind} in content/"
    return entries[0].slug


def public_page_types() -> dict[str, str]:
    """Return one path per public page type, keyed by a readable name."""
    store = content_store()
    pages = {
        "home": "/",
        "countries": "/countries/",
        "compare": "/compare/",
        "costs": "/costs/",
        "sectors": "/sectors/",
        "case-studies": "/case-studies/",
        "events": "/events/",
        "about": "/about/",
        "privacy": "/privacy/",
    }
    for kind, name in (
        ("countries", "country"),
        ("sectors", "sector"),
        ("case-studies", "case-study"),
        ("events", "event"),
    ):
        entries = store.all(kind)
        if entries:
            pages[name] = content_path(kind, entries[0].slug)
    return pages


def form_paths() -> dict[str, str]:
    """Return the live lead forms: inquiry, a roadshow meeting request, the report, an estimate."""
    roadshows = [e for e in content_store().all("events") if e.meta.kind == "roadshow"]
    assert roadshows, "no roadshow in content/events"
    return {
        "contact": "/contact/",
        "meet": f"/events/{roadshows[0].slug}/meet/",
        "report": "/report/",
        "estimate": "/costs/estimate/?team=50&mix=software&country=serbia",
    }


def all_public_paths() -> list[str]:
    """Return every public English page: sections and each content entry."""
    store = content_store()
    paths = set(public_page_types().values())
    for kind in ("countries", "sectors", "case-studies", "events"):
        paths.update(content_path(kind, entry.slug) for entry in store.all(kind))
    return sorted(paths)


# --- axe-core --------------------------------------------------------------------------------


def _axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} missing: run `make test-browser` (npm ci) first")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; return serious and critical issues.

    axe is evaluated through the DevTools protocol, so the page's strict CSP stays in force.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate("() => {" + _axe_source() + "\n}")
    result = page.evaluate(
        """async (tags) => {
            const r = await window.axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
                                          summary: n.failureSummary}))}));
        }""",
        WCAG_TAGS,
    )
    return [v for v in result if v["impact"] in BLOCKING_IMPACTS]


def format_violations(url: str, violations: list[dict]) -> str:
    """Describe axe violations: rule, impact, element and what to fix."""
    lines = [f"{url}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"      {node['target']}  {node['html'][:160]}")
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"        {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail with a precise report when axe finds serious or critical WCAG 2.1 A/AA issues."""
    violations = axe_violations(page)
    assert not violations, format_violations(page.url, violations)


# --- the Nu HTML Checker ---------------------------------------------------------------------


def vnu_errors(directory: Path) -> list[dict]:
    """Run the Nu HTML Checker over the HTML files of a directory; return its errors."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found: the Nu HTML Checker needs a Java runtime")
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} missing: run `make test-browser` (npm ci) first")
    proc = subprocess.run(
        [
            java,
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--skip-non-html",
            "--format",
            "json",
            str(directory),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = proc.stderr.strip() or proc.stdout.strip()
    messages = json.loads(output)["messages"] if output else []
    return [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
