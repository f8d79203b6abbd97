"""The first minute under load: a burst of inquiries with the mail worker running.

``python -m bench.first_reply [--inquiries 200] [--postgres URL]`` serves the app with gunicorn
(two workers, production settings, rate limit and bot timing off as in ``bench.live_app``),
starts one mail worker (``flask mail send --loop``), gives every organisation three staff
members who want a notice for each lead (so each inquiry also queues three to five staff
messages), then posts the inquiries from 16 threads at once. For each inquiry it measures the
time from the answered POST (the 303) to its first reply written to ``MAIL_FOLDER`` (the file's
modification time), and prints p50, p99 and the maximum. Loopback only; bounded by ``--timeout``.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from bench import live

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FORM = "/contact/"
THREADS = 16
STAFF_PER_ORGANISATION = 3


def add_staff(database_url: str) -> int:
    """Give every organisation staff who want a notice per lead; return how many."""
    from bench.live_app import make_app
    from core.extensions import db
    from leads.models import Notify, Organisation
    from leads.staff import auth

    app = make_app(database_url)
    with app.app_context():
        made = 0
        for organisation in db.session.scalars(db.select(Organisation)):
            for number in range(STAFF_PER_ORGANISATION):
                user = auth.create_staff_user(
                    f"adviser{number}@{organisation.slug}.example.org",
                    organisation.slug,
                    "country",
                    "bench password 1234",
                )
                user.notify = Notify.EACH.value
                made += 1
        db.session.commit()
        db.engine.dispose()
    return made


@contextmanager
def mail_worker(database_url: str, folder: Path):
    """Run ``flask mail send --loop`` against the benchmark app until the block ends."""
    env = {**os.environ, "BENCH_DATABASE_URL": database_url, "MAIL_FOLDER": str(folder)}
    process = subprocess.Popen(
        [
            str(BIN / "flask"),
            "--app",
            "bench.live_app",
            "mail",
            "send",
            "--loop",
            "--interval",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def form_session(base: str) -> tuple[urllib.request.OpenerDirector, dict]:
    """Open the inquiry form once: a session with its cookie, CSRF and render tokens."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    html = opener.open(base + FORM, timeout=10).read().decode()
    hidden = dict(
        re.findall(r'name="(csrf_token|rendered_at)" (?:type="hidden" )?value="([^"]+)"', html)
    )
    return opener, hidden


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Keep the 303 as the answer: the thank-you page is not part of the POST."""

    def redirect_request(self, *args, **kwargs):
        return None


def post_inquiry(base: str, number: int) -> tuple[str, float, int]:
    """Post one inquiry; return its address, when it was answered and the status."""
    opener, hidden = form_session(base)
    address = f"burst-{number}@example.de"
    fields = [
        *hidden.items(),
        ("full_name", f"Burst Investor {number}"),
        ("email", address),
        ("company", f"Burst {number} Software GmbH"),
        ("job_title", "CFO"),
        ("hq_country", "DE"),
        ("interest", "ict"),
        ("countries", ("serbia", "albania", "kosovo", "north-macedonia")[number % 4]),
        ("headcount_band", "50-249"),
        ("preferred_language", ("de", "sv", "en")[number % 3]),
        ("consent", "y"),
    ]
    data = urllib.parse.urlencode(fields).encode()
    try:
        status = opener.open(base + FORM, data=data, timeout=60).status
    except urllib.error.HTTPError as error:
        status = error.code
    return address, time.time(), status


def first_replies(folder: Path, seen: dict[str, float]) -> None:
    """Note each new first reply's address and the time its file was written."""
    for path in folder.glob("*-investor.acknowledgement.eml"):
        if path.name in seen:
            continue
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        seen[path.name] = path.stat().st_mtime
        seen[f"to:{message['To'].addresses[0].addr_spec}"] = path.stat().st_mtime


def percentile(values: list[float], share: float) -> float:
    """Return the ``share`` quantile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def run(database_url: str, inquiries: int, timeout: float) -> dict:
    """Run the burst once; return the latencies and counts."""
    live.migrate(database_url)
    staff = add_staff(database_url)
    with tempfile.TemporaryDirectory(prefix="wbo-mail-") as tmp:
        folder = Path(tmp)
        os.environ["MAIL_FOLDER"] = str(folder)  # gunicorn inherits it (nothing is sent there)
        with live.gunicorn(database_url) as base, mail_worker(database_url, folder):
            started = time.time()
            with ThreadPoolExecutor(THREADS) as pool:
                answered = list(pool.map(lambda n: post_inquiry(base, n), range(inquiries)))
            burst = time.time() - started
            ok = {address: at for address, at, status in answered if status == 303}
            seen: dict[str, float] = {}
            deadline = time.time() + timeout
            while time.time() < deadline:
                first_replies(folder, seen)
                if all(f"to:{address}" in seen for address in ok):
                    break
                time.sleep(0.2)
            latencies = [
                seen[f"to:{address}"] - at for address, at in ok.items() if f"to:{address}" in seen
            ]
            mails = len(list(folder.glob("*.eml")))
    return {
        "inquiries": inquiries,
        "answered": len(ok),
        "replied": len(latencies),
        "staff": staff,
        "burst_seconds": burst,
        "mails": mails,
        "p50": percentile(latencies, 0.50) if latencies else float("nan"),
        "p99": percentile(latencies, 0.99) if latencies else float("nan"),
        "max": max(latencies) if latencies else float("nan"),
        "mean": statistics.fmean(latencies) if latencies else float("nan"),
    }


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.first_reply", description=__doc__)
    parser.add_argument("--inquiries", type=int, default=200)
    parser.add_argument("--postgres", default="", help="a PostgreSQL server URL (else SQLite)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for replies")
    args = parser.parse_args()
    if args.postgres:
        with live.postgres_database(args.postgres) as url:
            result = run(url, args.inquiries, args.timeout)
        backend = "PostgreSQL"
    else:
        with tempfile.TemporaryDirectory(prefix="wbo-first-reply-") as tmp:
            result = run(f"sqlite:///{tmp}/bench.db", args.inquiries, args.timeout)
        backend = "SQLite"
    print(
        f"{backend}: {result['inquiries']} inquiries in {result['burst_seconds']:.1f} s "
        f"({result['answered']} answered 303, {result['staff']} staff wanting each notice); "
        f"{result['replied']} first replies, {result['mails']} mails written"
    )
    print(
        f"answered POST -> first reply written: p50 {result['p50']:.1f} s, "
        f"p99 {result['p99']:.1f} s, max {result['max']:.1f} s"
    )


if __name__ == "__main__":
    main()
