"""``make audit``: Lighthouse on the home page, a country profile and the inquiry form.

Serves the app on a loopback port (production settings, a throwaway SQLite database), runs the
Lighthouse CLI (installed by ``make audit`` into tests/browser/audit/node_modules) with Debian's
Chromium from ``CHROME_PATH``, saves the JSON reports to test-artifacts/lighthouse/ and prints
the four category scores of each page. Set ``AUDIT_PRESET=desktop`` for the desktop profile
(the default is Lighthouse's mobile profile, with simulated throttling).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.browser.audit.scores import format_table, read_scores, shortfalls
from tests.browser.servers import ROOT, serve_app

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
OUT = ROOT / "test-artifacts" / "lighthouse"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
PAGES = {
    "home": "/",
    "country profile": "/countries/serbia/",
    "inquiry form": "/contact/",
}


def run_lighthouse(url: str, out: Path) -> dict:
    """Run the Lighthouse CLI on one URL; return its JSON report."""
    env = dict(os.environ)
    env.setdefault("CHROME_PATH", "/usr/bin/chromium")
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--only-categories=performance,accessibility,best-practices,seo",
        f"--chrome-flags={CHROME_FLAGS}",
        "--no-enable-error-reporting",
    ]
    if os.environ.get("AUDIT_PRESET") == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, env=env, check=True, timeout=300)
    return json.loads(out.read_text(encoding="utf-8"))


def main() -> int:
    """Audit the three pages and print their scores."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} missing: run `make audit`", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = serve_app(
            Path(tmp) / "audit.db",
            config="production",
            SECRET_KEY=secrets.token_hex(16),
            RATELIMIT_ENABLED=False,
        )
        rows, notes, failed = [], [], []
        try:
            for name, path in PAGES.items():
                slug = name.replace(" ", "-")
                try:
                    report = run_lighthouse(server.url + path, OUT / f"{slug}.json")
                except subprocess.CalledProcessError:
                    failed.append(name)
                    report = {}
                rows.append((f"{name} (`{path}`)", read_scores(report)))
                notes += [f"  {name}: {line}" for line in shortfalls(report)]
        finally:
            server.stop()
    preset = os.environ.get("AUDIT_PRESET") or "mobile"
    print(f"\nLighthouse scores ({preset} profile; reports in {OUT}):\n")
    print(format_table(rows))
    if notes:
        print("\nWhat cost points:")
        print("\n".join(notes))
    if failed:
        print(f"\nLighthouse could not audit: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
