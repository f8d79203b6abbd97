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
import time

TOKEN = "bench-token"
LIMIT, WINDOW, LATENCY = 100, 10.0, 0.150
OUTAGE_SECONDS = 60.0
MAX_SECONDS = 900.0  # a run that has not drained by then is reported as such


def make_double(outage_until: list[float] | None = None):
    """Return a started double enforcing the limit; 502 while ``outage_until[0]`` is ahead."""
    from tests.hubspot_double import HubSpotDouble

    class Double(HubSpotDouble):
        def handle(self, method, raw_path, headers, raw_body):
            if outage_until and time.monotonic() < outage_until[0]:
                with self.lock:
                    self.requests.append(_record(method, raw_path, 502))
                status, answer = self.error(502, "bad gateway", "INTERNAL_ERROR")
                return status, answer, {}, LATENCY
            return super().handle(method, raw_path, headers, raw_body)

    double = Double(TOKEN, rate_limit=LIMIT, window=WINDOW)
    double.delay = LATENCY
    return double.start()


def _record(method: str, path: str, status: int):
    from tests.hubspot_double.server import Record

    return Record(method, path.split("?")[0], None, status, time.monotonic())


def make_app(database_url: str, double, **settings):
    """Return the app pointed at ``double``, with the schema migrated and the CRM set up."""
    from gateway import create_app
    from gateway.extensions import db

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
    from gateway.extensions import db
    from leads.crm import relay
    from leads.models import Inquiry, Lead, LeadCountry

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
                relay.enqueue_lead_sync(lead.id)
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

    from gateway.extensions import db
    from leads.crm import relay
    from leads.models import Lead

    with app.app_context():
        counts = relay.status()
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
