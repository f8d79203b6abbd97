"""The benchmark table: one row per comparison, printed and written to ``bench/results.md``."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from bench import stats

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    """One comparison: what, the figures (medians), the ratio with its spread, the target."""

    part: str
    measure: str
    figures: str
    ratio: stats.Ratio | None
    target: str
    met: bool | None


@dataclass
class Table:
    """The rows of one ``make bench`` run, plus notes printed under the table."""

    rows: list[Row] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (part, text)

    def add(self, *args) -> None:
        """Append a row."""
        self.rows.append(Row(*args))

    # -- part 1 ------------------------------------------------------------------------------
    def cold(self, run: dict) -> None:
        """Rows of the cold freeze vs Hugo at one size."""
        size, results = run["size"], run["results"]
        for row in results:
            for name in ("gateway", "hugo"):
                row[name]["files_per_s"] = row[name]["files"] / row[name]["seconds"]
                row[name]["per_page_ms"] = 1000 * row[name]["seconds"] / row[name]["files"]
        ratio = stats.ratio(results, "gateway", "hugo", "files_per_s")
        ours, theirs = results[0]["gateway"], results[0]["hugo"]
        figures = (
            f"{stats.median(results, 'gateway', 'files_per_s'):.0f} vs "
            f"{stats.median(results, 'hugo', 'files_per_s'):.0f} files/s; files "
            f"{ours['files']} vs {theirs['files']}, MB {ours['bytes'] / 1e6:.1f} vs "
            f"{theirs['bytes'] / 1e6:.1f}"
        )
        self.add(
            "1",
            f"cold freeze / Hugo, {size:,} stories",
            figures,
            ratio,
            "≥ 0.50",
            ratio.median >= 0.5,
        )
        self.per_page_ms = getattr(self, "per_page_ms", {})
        self.per_page_ms[size] = [row["gateway"]["per_page_ms"] for row in results]
        if len(self.per_page_ms) >= 2:
            small, large = sorted(self.per_page_ms)[:1] + sorted(self.per_page_ms)[-1:]
            scaling = stats.Ratio(
                [
                    b / a
                    for a, b in zip(self.per_page_ms[small], self.per_page_ms[large], strict=False)
                ]
            )
            self.add(
                "1",
                f"time per file at {large:,} / at {small:,}",
                "scaling of the freeze",
                scaling,
                "≤ 1.10",
                scaling.median <= 1.1,
            )

    # -- part 2 ------------------------------------------------------------------------------
    def warm(self, run: dict) -> None:
        """Row of the warm rebuild."""
        results = run["results"]
        ratio = stats.ratio(results, "warm", "cold", "seconds")
        last = results[-1]["warm"]
        figures = (
            f"{stats.median(results, 'warm', 'seconds'):.2f} s vs "
            f"{stats.median(results, 'cold', 'seconds'):.2f} s; rewrote "
            f"{last['n_rewritten']} of {results[-1]['cold']['files']} files "
            f"({len(last['changed'])} changed)"
        )
        self.add(
            "2",
            f"warm rebuild / cold, {run['size']:,} stories",
            figures,
            ratio,
            "≤ 0.05, only affected",
            ratio.median <= 0.05 and set(last["rewritten"]) <= set(last["changed"]),
        )
        self.notes.append(("2", "warm rebuild rewrote: " + ", ".join(last["rewritten"][:40])))

    # -- part 3 ------------------------------------------------------------------------------
    def live(self, run: dict) -> None:
        """Rows of the live page vs hello vs nginx."""
        results = run["results"]
        rps = stats.ratio(results, "page", "hello", "rps")
        p99 = stats.ratio(results, "page", "hello", "p99_ms")
        vs_nginx = stats.ratio(results, "page", "nginx", "rps")
        med = {n: stats.median(results, n, "rps") for n in ("page", "hello", "nginx")}
        p99s = {n: stats.median(results, n, "p99_ms") for n in ("page", "hello", "nginx")}
        figures = (
            f"{med['page']:.0f} vs {med['hello']:.0f} req/s; p99 {p99s['page']:.1f} vs "
            f"{p99s['hello']:.1f} ms"
        )
        self.add("3", "live page / hello, req/s", figures, rps, "≥ 0.90", rps.median >= 0.9)
        self.add("3", "live page / hello, p99", "(lower is better)", p99, "reported", None)
        self.add(
            "3",
            "live page / nginx file, req/s",
            f"{med['page']:.0f} vs {med['nginx']:.0f} req/s; p99 nginx {p99s['nginx']:.1f} ms",
            vs_nginx,
            "reported",
            None,
        )
        if not run["same_bytes"]:
            self.notes.append(("3", "WARNING: the live page differs from its frozen file"))
        errors = sum(r[n]["other"] for r in results for n in r)
        self.notes.append(("3", f"{errors} responses other than 200 in all rounds"))

    # -- part 4 ------------------------------------------------------------------------------
    def post(self, database: str, run: dict) -> None:
        """Rows of the lead POST vs hello on one database."""
        results = run["results"]
        rps = stats.ratio(results, "post", "hello", "rps")
        p99 = stats.ratio(results, "post", "hello", "p99_ms")
        failed = sum(r["post"]["other"] for r in results)
        lost = max(0, run["answered"] - run["stored"])
        figures = (
            f"{stats.median(results, 'post', 'rps'):.0f} vs "
            f"{stats.median(results, 'hello', 'rps'):.0f} req/s; stored {run['stored']} for "
            f"{run['answered']} answered 303 ({failed} failed, {lost} lost)"
        )
        self.add("4", f"lead POST / hello, {database}", figures, rps, "≥ 0.50", rps.median >= 0.5)
        p99_figures = (
            f"p99 {stats.median(results, 'post', 'p99_ms'):.0f} vs "
            f"{stats.median(results, 'hello', 'p99_ms'):.0f} ms"
        )
        self.add(
            "4",
            f"lead POST p99 / hello p99, {database}",
            p99_figures,
            p99,
            "≤ 3.0, 0 lost",
            p99.median <= 3.0 and lost == 0,
        )
        self.notes.append(
            (
                "4",
                f"lead POST ({database}): rate limit and bot checks off for the benchmark "
                "(RATELIMIT_ENABLED false, FORM_MIN_SECONDS 0); CSRF on. Stored minus answered "
                "= posts still in flight when wrk stopped (it does not count their answers).",
            )
        )

    # -- parts 5 and 6 -----------------------------------------------------------------------
    def extend(self, run: dict) -> None:
        """Rows and notes a part built itself (the CRM relay)."""
        self.rows.extend(run["rows"])
        self.notes.extend(run["notes"])

    # -- output ------------------------------------------------------------------------------
    def render(self) -> str:
        """Return the table as aligned text."""
        head = ("part", "measure", "figures (medians)", "ratio median (spread)", "target", "met")
        lines = [head] + [
            (r.part, r.measure, r.figures, str(r.ratio or "—"), r.target, _met(r.met))
            for r in self.rows
        ]
        widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
        out = [" | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
        out.insert(1, "-+-".join("-" * w for w in widths))
        return "\n".join(out + [""] + [f"- part {part}: {note}" for part, note in self.notes])


def _met(met: bool | None) -> str:
    return {True: "yes", False: "NO", None: "—"}[met]


def machine() -> str:
    """Describe the machine the figures come from."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.node()}: {platform.machine()}, {cores} cores, Python "
        f"{platform.python_version()}, load average at the end {load}"
    )


def save(table: Table, out: Path) -> None:
    """Write ``out`` (Markdown) and its data beside it (``.json``), keeping earlier parts.

    A run of some parts (``--parts 5 6``) replaces those parts' rows and keeps the others', each
    with the time and machine it was measured on.
    """
    data_path = out.with_suffix(".json")
    try:
        data = json.loads(data_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    when = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    fresh: dict[str, dict] = {}
    for r in table.rows:
        fresh.setdefault(r.part, {"when": when, "machine": machine(), "rows": [], "notes": []})
        fresh[r.part]["rows"].append(
            [r.part, r.measure, r.figures, str(r.ratio or "—"), r.target, _met(r.met)]
        )
    for part, note in table.notes:
        fresh.setdefault(part, {"when": when, "machine": machine(), "rows": [], "notes": []})
        fresh[part]["notes"].append(note)
    for part, rows in fresh.items():
        old = data.get(part, {"rows": []})
        measures = {row[1] for row in rows["rows"]}
        kept = [row for row in old["rows"] if row[1] not in measures]  # e.g. the other size
        data[part] = {**rows, "rows": kept + rows["rows"]}
    data_path.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    out.write_text(markdown(data), encoding="utf-8")


def markdown(data: dict) -> str:
    """Return ``bench/results.md`` from the saved parts."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m bench`). Ratios are medians of interleaved rounds",
        "(A, B, A, B, …) with the lowest and highest round in brackets; absolute figures on a",
        "shared machine swing between runs.",
        "",
        "| part | measure | figures (medians) | ratio median (spread) | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for part in sorted(data):
        for row in data[part]["rows"]:
            lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    for part in sorted(data):
        lines.append(f"Part {part}: measured {data[part]['when']} on {data[part]['machine']}.")
        lines += [f"- {note}" for note in data[part]["notes"]]
        lines.append("")
    return "\n".join(lines)


def freeze_real_site(dest: Path) -> Path:
    """Freeze the real content into ``dest`` (for nginx to serve); return ``dest``."""
    from bench.freeze_bench import freeze

    shutil.rmtree(dest, ignore_errors=True)
    freeze(ROOT / "content", dest)
    return dest
