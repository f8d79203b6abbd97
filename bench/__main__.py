"""``make bench`` / ``python -m bench``: six benchmarks, one table, ``bench/results.md``.

1. cold freeze vs Hugo at 1,000 and 10,000 case studies (like for like: same files, same size)
2. warm rebuild after one case study changed (time vs cold, files rewritten)
3. live case-study page vs "hello" in the same app vs nginx on the frozen file (wrk)
4. lead POST vs "hello" on SQLite and PostgreSQL (stored inquiries = successful responses)
5. CRM relay of 10,000 leads against the HubSpot double's rate limit (fraction of the ceiling)
6. CRM recovery after a one-minute outage (time to drain, calls per lead)

Every pair runs interleaved (A, B, A, B, …) for ``--rounds`` rounds; the table shows the median
ratio and its spread (lowest–highest round). Absolute figures on a shared machine swing; the
ratios measured side by side are the result.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

from bench import report

ROOT = Path(__file__).resolve().parent.parent
TOOLS = {"hugo": "/usr/bin/hugo", "nginx": "/usr/sbin/nginx", "wrk": "/usr/bin/wrk"}
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def missing_tools() -> list[str]:
    """Return the benchmark's system tools that are not installed."""
    return [name for name, path in TOOLS.items() if not (shutil.which(name) or Path(path).exists())]


def main() -> None:
    """Run the chosen parts and print (and write) the table."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--parts", type=int, nargs="+", default=[1, 2, 3, 4, 5, 6])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (at least 3)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
        help="PostgreSQL server for part 4 (a throwaway database is created and dropped)",
    )
    parser.add_argument("--leads", type=int, default=10_000, help="leads for parts 5 and 6")
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "bench" / "results.md",
        help="Markdown table (its data goes beside it as .json; parts not run are kept)",
    )
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    missing = missing_tools()
    if missing:
        sys.exit(f"missing: {', '.join(missing)} (make bench installs them with apt-get)")

    table = report.Table()
    with tempfile.TemporaryDirectory(prefix="wbo-bench-") as tmp:
        work = Path(tmp)
        if 1 in args.parts:
            from bench import freeze_bench

            for size in args.sizes:
                print(f"part 1: cold freeze vs Hugo at {size} case studies", flush=True)
                table.cold(freeze_bench.cold_vs_hugo(size, work, args.rounds))
        if 2 in args.parts:
            from bench import freeze_bench

            print("part 2: warm rebuild at 1000 case studies", flush=True)
            table.warm(freeze_bench.warm_rebuild(1000, work, args.rounds))
        if 3 in args.parts:
            from bench import live

            print("part 3: live case-study page (gunicorn -w 2) vs hello vs nginx", flush=True)
            table.live(live.live_page(report.freeze_real_site(work / "site"), args.rounds))
        if 4 in args.parts:
            from bench import live

            print("part 4: lead POST vs hello (rate limit and bot checks off)", flush=True)
            sqlite = f"sqlite:///{work}/leads.db"
            table.post("SQLite", live.lead_post(sqlite, args.rounds))
            with live.postgres_database(args.postgres) as url:
                table.post("PostgreSQL", live.lead_post(url, args.rounds))
        if 5 in args.parts or 6 in args.parts:
            from bench import relay

            print(f"parts 5 and 6: CRM relay of {args.leads} leads, healthy and after an outage")
            table.extend(relay.run(args.leads, args.rounds, with_outage=6 in args.parts))
    text = table.render()
    print(text)
    report.save(table, args.out)
    print(f"written: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
