"""Freeze benchmark: ``python -m bench [--pages 1000 10000] [--repeat 3] [--workers N]``.

For each size, generate the real site's content plus N synthetic case studies in a temporary
folder, then time in the same run:
  * ``flask freeze`` of this project (every page in English, German and Swedish, listings,
    filter pages, feed, sitemap, static assets), cold: app start and content load included;
  * the baseline: plain Frozen-Flask + Python-Markdown rendering each case study on every request;
  * Hugo on the same Markdown, if a ``hugo`` binary is installed (e.g. ``apt-get install hugo``).
Prints pages per second and the ratios, once per repetition (the machine may be busy: compare
ratios measured in the same repetition, not absolute figures across runs).
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from bench import baseline
from bench.synthetic import make_content

ROOT = Path(__file__).resolve().parent.parent


def run_gateway(content: Path, dest: Path, workers: int | None = None) -> tuple[int, float]:
    """Freeze this project's site over ``content`` in a fresh process; return (files, seconds).

    Cold: interpreter imports, app start and content load are included.
    """
    command = [sys.executable, "-m", "bench.gateway_run", str(content), str(dest)]
    if workers is not None:
        command.append(str(workers))
    done = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    files, seconds = done.stdout.split()[-2:]
    return int(files), float(seconds)


def run_hugo(content: Path, work: Path) -> tuple[int, float] | None:
    """Build the same case studies with Hugo, if installed; return (pages, seconds)."""
    hugo = shutil.which("hugo")
    if hugo is None:
        return None
    site = work / "hugo"
    (site / "content").mkdir(parents=True)
    shutil.copytree(content / "case-studies", site / "content" / "case-studies")
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
        '<meta name="description" content="{{ .Params.summary }}"></head><body><header>'
        '<a href="/">Home</a></header><main><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>'
        "{{ .Content }}</main></body></html>"
    )
    (layouts / "list.html").write_text(
        '<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>'
        "{{ end }}</ul>"
    )
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.test/"\ntitle = "bench"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
        "[markup.goldmark.renderer]\nunsafe = false\n"
    )
    started = time.perf_counter()
    subprocess.run(
        [hugo, "--quiet", "--source", str(site), "--destination", str(work / "hugo-out")],
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - started
    pages = sum(1 for _ in (work / "hugo-out").rglob("*.html"))
    return pages, seconds


NAMES = {
    "gateway": "flask freeze (this project, 3 langs)",
    "baseline": "Frozen-Flask + Markdown per request",
    "hugo": "Hugo (same case studies, 1 lang)",
}


def bench_once(size: int, content: Path, work: Path, workers: int | None) -> None:
    """Time the three tools once on ``content`` and print their rows and ratios."""
    work.mkdir()
    rows = {"gateway": run_gateway(content, work / "gateway-out", workers)}
    rows["baseline"] = baseline.run(content, work / "baseline-out")
    hugo = run_hugo(content, work)
    if hugo is not None:
        rows["hugo"] = hugo
    rates = {}
    for key, (files, seconds) in rows.items():
        rates[key] = files / seconds
        print(f"{size:>6} | {NAMES[key]:<34} | {files:>6} | {seconds:>8.2f} | {rates[key]:>8.0f}")
    ratio = rates["gateway"] / rates["baseline"]
    line = f"{size:>6} | ratio gateway/baseline: {ratio:.1f}x"
    if "hugo" in rates:
        line += f"; gateway/Hugo: {rates['gateway'] / rates['hugo']:.2f}"
    print(line, flush=True)


def main() -> None:
    """Run the freeze benchmark and print a table."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--pages", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (default 1)")
    parser.add_argument(
        "--workers", type=int, default=None, help="freeze processes (default: one per core)"
    )
    args = parser.parse_args()
    logging.disable(logging.INFO)
    warnings.simplefilter("ignore")

    print(f"{'pages':>6} | {'tool':<34} | {'files':>6} | {'seconds':>8} | {'files/s':>8}")
    print("-" * 76)
    for size in args.pages:
        with tempfile.TemporaryDirectory(prefix="wbo-bench-") as tmp:
            work = Path(tmp)
            content = make_content(ROOT / "content", work / "content", size)
            for run in range(args.repeat):
                bench_once(size, content, work / f"run-{run}", args.workers)
    if shutil.which("hugo") is None:
        print("Hugo is not installed: comparison with Hugo skipped.")


if __name__ == "__main__":
    main()
