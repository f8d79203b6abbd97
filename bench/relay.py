"""Parts 5 and 6: the CRM relay against the HubSpot double's rate limit, healthy and after an
outage.

The double (``tests/hubspot_double``) runs on loopback and enforces HubSpot's limit for private
apps, 100 requests per rolling 10 seconds, answering every call after 150 ms. The ceiling in
leads per second is what that limit allows for the calls a lead needs::

    ceiling = (100 requests / 10 s) / (API calls per lead)

so the fraction of the ceiling is the relay's rate of calls over the limit; it is printed with
the figures. Every run is bounded in time (``MAX_SECONDS``).
"""

from __future__ import annotations

import collections
import tempfile
import threading
import time
from pathlib import Path

from bench import stats
from bench.report import Row

TOKEN = "bench-token"
LIMIT, WINDOW, LATENCY = 100, 10.0, 0.150
OUTAGE_SECONDS = 60.0
MAX_SECONDS = 900.0  # a run that has not drained by then is reported as such


def make_double(outage_until: list[float] | None = None):
    """Return a started double enforcing the limit; 502 while ``outage_until[0]`` is ahead."""
    from tests.hubspot_double import HubSpotDouble

    class Double(HubSpotDouble):
        """The double, with its look-ups by unique key indexed, as HubSpot's are.

        The double finds a record by scanning all of them: at 10,000 records and 100 inputs a
        call, that scan (not the relay) would set the pace. Records are only added here.
        """

        _index: dict  # (object type, property) -> (records by value, how many indexed)

        def find(self, object_type, prop, value):
            with self.lock:
                table, seen = self._index.setdefault((object_type, prop), ({}, [0]))
                objects = list(self.objects[object_type].values())
                for obj in objects[seen[0] :]:
                    key = str(obj["properties"].get(prop, "")).lower()
                    table.setdefault(key, []).append(obj)
                seen[0] = len(objects)
                return list(table.get(str(value).lower(), []))

        def handle(self, method, raw_path, headers, raw_body):
            if outage_until and time.monotonic() < outage_until[0]:
                with self.lock:
                    self.requests.append(_record(method, raw_path, 502))
                status, answer = self.error(502, "bad gateway", "INTERNAL_ERROR")
                return status, answer, {}, LATENCY
            return super().handle(method, raw_path, headers, raw_body)

    double = Double(TOKEN, rate_limit=LIMIT, window=WINDOW)
    double._index = {}
    double.delay = LATENCY
    return double.start()


def _record(method: str, path: str, status: int):
    from tests.hubspot_double.server import Record

    return Record(method, path.split("?")[0], None, status, time.monotonic())


def make_app(database_url: str, double, **settings):
    """Return the app pointed at ``double``, with the schema migrated and the CRM set up."""
    from core.extensions import db
    from factory import create_app

    app = create_app(
        {
            "CONFIG": "production",
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "HUBSPOT_ACCESS_TOKEN": TOKEN,
            "HUBSPOT_BASE_URL": double.url,
            "HUBSPOT_RATE_LIMIT": LIMIT,
            "HUBSPOT_RATE_WINDOW": WINDOW,
            **settings,
        }
    )
    with app.app_context():
        db.create_all()
    return app


def seed(app, count: int) -> None:
    """Queue ``count`` new leads for the CRM (one inquiry each; every fourth qualified)."""
    from core.extensions import db
    from leads.models import Inquiry, Lead, LeadCountry
    from leads.queue import events

    with app.app_context():
        for start in range(0, count, 1000):
            leads = []
            for n in range(start, min(count, start + 1000)):
                lead = Lead(
                    email=f"bench{n}@example{n % 500}.de",
                    full_name=f"Bench Investor {n}",
                    company=f"Example {n % 500} GmbH",
                    company_website=f"https://example{n % 500}.de",
                    company_domain=f"example{n % 500}.de",
                    hq_country="DE",
                    interest="ict",
                    stage="qualified" if n % 4 == 0 else "new",
                )
                lead.countries = [LeadCountry(country="serbia")]
                lead.inquiries.append(
                    Inquiry(kind="inquiry", countries=["serbia"], sector="ict", answers={})
                )
                leads.append(lead)
            db.session.add_all(leads)
            db.session.flush()
            for lead in leads:
                events.enqueue_lead_upserted(lead.id)
            db.session.commit()


def duplicates(double) -> int:
    """Return how many CRM records repeat a unique key (emails, lead and inquiry references)."""
    keys = {"contacts": "email", "deals": "wbo_lead_ref", "notes": "wbo_inquiry_ref"}
    repeated = 0
    with double.lock:
        for object_type, prop in keys.items():
            seen = collections.Counter(
                (record.get("properties") or {}).get(prop)
                for record in double.objects[object_type].values()
            )
            repeated += sum(n - 1 for key, n in seen.items() if key and n > 1)
    return repeated


def outcome(app) -> dict:
    """Return the outbox counts and the leads still without a CRM contact."""
    from sqlalchemy import func, select

    from core.extensions import db
    from leads.crm import status
    from leads.models import Lead

    with app.app_context():
        counts = status.status()
        missing = db.session.scalar(
            select(func.count()).select_from(Lead).where(Lead.crm_contact_id.is_(None))
        )
    return {**counts, "missing": missing}


def calls_between(double, start: float, end: float) -> collections.Counter:
    """Return the double's answers by status between two moments."""
    with double.lock:
        return collections.Counter(r.status for r in double.requests if start <= r.at <= end)


def summarise(leads: int, seconds: float, statuses: collections.Counter) -> dict:
    """Return leads/s, calls per lead and the fraction of the ceiling for one drain."""
    ok = sum(n for status, n in statuses.items() if status < 300)
    calls_per_lead = ok / leads if leads else float("nan")
    ceiling = (LIMIT / WINDOW) / calls_per_lead if calls_per_lead else float("nan")
    rate = leads / seconds if seconds else float("nan")
    return {
        "seconds": seconds,
        "leads_per_s": rate,
        "calls_per_lead": calls_per_lead,
        "ceiling": ceiling,
        "fraction": rate / ceiling if ceiling else float("nan"),
        "status_429": statuses.get(429, 0),
        "calls": sum(statuses.values()),
    }


def drain(database_url: str, leads: int, *, outage: float = 0.0, **settings) -> dict:
    """Queue ``leads`` leads, run the CRM worker until the outbox is empty; return figures.

    With ``outage`` seconds, the double answers 502 for that long from the moment the worker
    starts; the time to drain is then counted from when it is healthy again.
    """
    from leads.crm import adapter, relay
    from leads.queue.worker import StopFlag

    outage_until = [0.0]
    double = make_double(outage_until)
    try:
        app = make_app(database_url, double, HUBSPOT_IDLE_SECONDS=0.2, **settings)
        seed(app, leads)
        with app.app_context():
            crm = adapter.get_crm()
            adapter.run_setup(crm)
        time.sleep(WINDOW + 0.5)  # the set-up's calls leave the rolling window
        stop = StopFlag("bench relay")
        started = time.monotonic()
        outage_until[0] = started + outage
        state: dict = {}

        def watch() -> None:
            with app.app_context():
                while not stop:
                    state.update(outcome(app))
                    if state["pending"] + state["in_flight"] + state["failed"] == 0:
                        break
                    if time.monotonic() - started > MAX_SECONDS:
                        state["timed_out"] = True
                        break
                    time.sleep(1.0)
            stop.event.set()

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        with app.app_context():
            relay.run_forever(crm, idle_seconds=0.2, stop=stop)
        watcher.join(timeout=30)
        ended = time.monotonic()
        healthy_from = started + outage
        statuses = calls_between(double, healthy_from, ended)
        with double.lock:
            last_ok = max((r.at for r in double.requests if r.status < 300), default=ended)
            outage_calls = sum(1 for r in double.requests if started <= r.at < healthy_from)
        result = summarise(leads, last_ok - healthy_from, statuses)
        result.update(
            duplicates=duplicates(double),
            outage_calls=outage_calls,
            timed_out=bool(state.get("timed_out")),
            **{k: v for k, v in outcome(app).items() if k != "last_success"},
        )
        return result
    finally:
        double.stop()


def _database(tmp: str, n: int) -> str:
    return f"sqlite:///{Path(tmp) / f'relay-{n}.db'}"


SCALED_BACKOFF = {"HUBSPOT_BACKOFF_SECONDS": 1, "HUBSPOT_BACKOFF_MAX_SECONDS": 120}


def run(leads: int, rounds: int, *, with_outage: bool = True) -> dict:
    """Parts 5 and 6: per round, a healthy drain of ``leads`` leads, then one after an outage."""
    with tempfile.TemporaryDirectory(prefix="wbo-relay-") as tmp:
        numbers = iter(range(2 * rounds))
        runs = {"healthy": lambda: drain(_database(tmp, next(numbers)), leads, **SCALED_BACKOFF)}
        if with_outage:
            runs["outage"] = lambda: drain(
                _database(tmp, next(numbers)), leads, outage=OUTAGE_SECONDS, **SCALED_BACKOFF
            )
        results = stats.interleave(runs, rounds)
    part = healthy_rows(leads, results)
    if with_outage:
        outage = outage_rows(results)
        part["rows"] += outage["rows"]
        part["notes"] += outage["notes"]
    return part


def _lost(run: dict) -> int:
    return run["missing"] + run["dead"] + run["pending"] + run["failed"] + run["in_flight"]


def healthy_rows(leads: int, results: list[dict]) -> dict:
    """Part 5's row: leads/s as a fraction of the ceiling, calls per lead, 429s, duplicates."""
    runs = [row["healthy"] for row in results]
    fraction = stats.Ratio([r["fraction"] for r in runs])
    med = {k: stats.median(results, "healthy", k) for k in ("leads_per_s", "calls_per_lead")}
    ceiling = stats.median(results, "healthy", "ceiling")
    dupes = sum(r["duplicates"] for r in runs)
    lost = sum(_lost(r) for r in runs)
    n429 = sum(r["status_429"] for r in runs)
    figures = (
        f"{med['leads_per_s']:.1f} leads/s of a ceiling of {ceiling:.1f}; "
        f"{med['calls_per_lead']:.3f} calls/lead; {n429} × 429; {dupes} duplicates; {lost} lost"
    )
    rows = [
        Row(
            "5",
            f"CRM relay / rate ceiling, {leads:,} leads",
            figures,
            fraction,
            "≥ 0.90, 0 dup, 0 lost",
            fraction.median >= 0.9 and dupes == 0 and lost == 0,
        )
    ]
    notes = [
        (
            "5",
            f"ceiling = ({LIMIT} requests / {WINDOW:.0f} s) ÷ (successful API calls per lead), "
            f"every call answered after {LATENCY * 1000:.0f} ms; leads/s = leads ÷ time from "
            "the worker's start to the last successful call",
        )
    ]
    return {"rows": rows, "notes": notes}


def outage_rows(results: list[dict]) -> dict:
    """Part 6's row: calls per lead after an outage over the healthy figure of the round."""
    calls = stats.ratio(results, "outage", "healthy", "calls_per_lead")
    runs = [row["outage"] for row in results]
    dupes = sum(r["duplicates"] for r in runs)
    lost = sum(_lost(r) for r in runs)
    figures = (
        f"drained {stats.median(results, 'outage', 'seconds'):.0f} s after it returned "
        f"(healthy: {stats.median(results, 'healthy', 'seconds'):.0f} s); calls/lead "
        f"{stats.median(results, 'outage', 'calls_per_lead'):.3f} vs "
        f"{stats.median(results, 'healthy', 'calls_per_lead'):.3f}; "
        f"{stats.median(results, 'outage', 'outage_calls'):.0f} calls during the outage; "
        f"{dupes} duplicates; {lost} lost"
    )
    rows = [
        Row(
            "6",
            f"recovery after a {OUTAGE_SECONDS:.0f} s outage, calls/lead vs healthy",
            figures,
            calls,
            "≤ 1.10, 0 dup, 0 lost",
            calls.median <= 1.1 and dupes == 0 and lost == 0,
        )
    ]
    notes = [
        (
            "6",
            f"the double answers 502 for {OUTAGE_SECONDS:.0f} s from the worker's start; "
            f"backoff scaled by settings ({SCALED_BACKOFF}; by default 30 s and 3600 s); calls "
            "per lead count the successful calls after it returned",
        )
    ]
    return {"rows": rows, "notes": notes}
