"""Demo leads for a fresh installation, so the staff area has something to show.

Every demo person and company is fictional and uses a reserved ``example.*`` domain. The leads
go through the same ``record_submission`` as real forms, so they are scored, routed and queued
exactly like real ones.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import replace
from typing import cast

from sqlalchemy import func, select, update

from core.countries import COUNTRY_SLUGS
from core.extensions import db
from gateway.content.schemas import EventDoc
from gateway.content_app import get_store
from leads.capture.service import ConsentProof, Submission, record_submission
from leads.choices import (
    COMPETITORS,
    HEADCOUNT_BANDS,
    INVESTMENT_BANDS,
    LIKELIHOODS,
    PROJECT_TYPES,
    TIMELINES,
    UPDATES,
    values,
)
from leads.lifecycle.assignment import available_staff
from leads.lifecycle.outcomes import Outcome, date_in_range
from leads.lifecycle.pipeline import change_stage
from leads.lifecycle.stages import CloseReason, Stage
from leads.models import AuditEntry, Lead, Notify, Organisation, utcnow
from leads.staff.auth import create_staff_user, find_user

FIRST = ("Anna", "Lukas", "Sofia", "Jonas", "Elin", "Felix", "Maja", "Paul", "Lena", "Erik")
LAST = ("Berger", "Lindqvist", "Huber", "Schmidt", "Nilsson", "Wagner", "Eriksson", "Gruber")
COMPANIES = (
    ("Nordlicht Software", "SE"),
    ("Alpenblick Services", "AT"),
    ("Rheinwerk Digital", "DE"),
    ("Fjord Analytics", "SE"),
    ("Donau Customer Care", "AT"),
    ("Hanse Ledger", "DE"),
    ("Baltic Play Studios", "SE"),
    ("Isar Cloud Systems", "DE"),
)
TITLES = ("CEO", "Head of Operations", "Procurement Manager", "CTO", "Director Shared Services")
STAGE_PLAN = (
    Stage.CONTACTED,
    Stage.QUALIFIED,
    Stage.QUALIFIED,
    Stage.MEETING,
    Stage.SITE_VISIT,
    Stage.WON,
    Stage.LOST,
)
# Fictional advisers, so demo leads get owners by the same round robin as real ones. Their
# passwords are random and never shown: nobody signs in as them. Their mail (example.org
# addresses) is only ever written to MAIL_FOLDER in development.
DEMO_STAFF = {
    "absl-western-balkans": ("Mira Demo", "Dino Demo"),
    "ipa-albania": ("Elira Demo", "Arben Demo"),
    "ipa-bosnia-and-herzegovina": ("Lejla Demo", "Amir Demo"),
    "ipa-kosovo": ("Drita Demo", "Blerim Demo"),
    "ipa-montenegro": ("Milena Demo", "Luka Demo"),
    "ipa-north-macedonia": ("Ivana Demo", "Stefan Demo"),
    "ipa-serbia": ("Jelena Demo", "Marko Demo"),
    "absl-serbia": ("Nina Demo",),
}
DEMO_TITLE = "Investment Adviser (demo)"


def ensure_demo_staff() -> int:
    """Give each organisation that has nobody available fictional advisers; return how many."""
    made = 0
    for slug, names in DEMO_STAFF.items():
        organisation = db.session.scalar(select(Organisation).filter_by(slug=slug))
        if organisation is None or available_staff(organisation.id):
            continue
        for name in names:
            local = name.lower().replace(" ", ".").encode("ascii", "ignore").decode()
            email = f"{local}@{slug}.example.org"
            if find_user(email) is None:
                create_staff_user(
                    email,
                    slug,
                    "country",
                    secrets.token_urlsafe(24),
                    display_name=name,
                    job_title=DEMO_TITLE,
                    # One mail a day (the follow-up digest), not one per demo lead.
                    notify=Notify.DIGEST.value,
                )
                made += 1
    db.session.commit()
    return made


DEMO_NOTICE = ConsentProof(
    purpose="answer_inquiry",
    notice_version="demo",
    notice_hash="0" * 64,
    form="demo",
    page="/contact/",
    method="demo data, no real person",
)


def demo_submission(n: int, rng: random.Random) -> Submission:
    """Return the n-th fictional inquiry."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    company, hq = COMPANIES[n % len(COMPANIES)]
    domain = f"{company.lower().replace(' ', '-')}.example.com"
    countries = tuple(rng.sample(COUNTRY_SLUGS, k=rng.choice((1, 1, 1, 2))))
    lead = {
        "full_name": f"{first} {last}",
        "company": company,
        "job_title": rng.choice(TITLES),
        "company_website": f"https://{domain}",
        "company_domain": domain,
        "hq_country": hq,
        "interest": rng.choice(("ict", "bpo", "both")),
    }
    inquiry = {
        "project_type": rng.choice(values(PROJECT_TYPES)),
        "headcount_band": rng.choice(values(HEADCOUNT_BANDS)),
        "investment_band": rng.choice(values(INVESTMENT_BANDS)),
        "timeline": rng.choice(values(TIMELINES)),
        "message": "Demo inquiry: we are exploring a nearshore team in the region.",
    }
    email = f"{first}.{last}.{n}@{domain}".lower()
    kind = rng.choice(("inquiry", "inquiry", "inquiry", "meeting", "report"))
    if kind == "meeting":
        # A meeting request names its roadshow, as the meeting form does.
        roadshows = meeting_events()
        if roadshows:
            inquiry["event_slug"] = roadshows[n % len(roadshows)]
    # Every fourth demo investor also ticked the optional check-ins box.
    updates = (replace(DEMO_NOTICE, purpose=UPDATES),) if n % 4 == 1 and kind != "report" else ()
    return Submission(
        kind=kind,
        email=email,
        consent=DEMO_NOTICE,
        extra_consents=updates,
        lead=lead,
        inquiry=inquiry,
        answers={"email": email, **lead, **inquiry, "countries": list(countries)},
        countries=countries,
        attribution={"utm_source": rng.choice(("linkedin", "roadshow", "")), "landing_page": "/"},
        page="/contact/",
    )


def meeting_events() -> list[str]:
    """Return the slugs of the events that take meeting requests, from the content."""
    return sorted(e.slug for e in get_store().all("events") if cast(EventDoc, e.meta).meetings)


def demo_outcome(lead: Lead, stage: Stage, rng: random.Random) -> Outcome | None:
    """Return a fictional outcome for a won or lost demo lead (None for other stages)."""
    if stage == Stage.WON:
        country = lead.country_slugs[0] if lead.country_slugs[0] in COUNTRY_SLUGS else "serbia"
        return Outcome(
            won_country=country,
            jobs_planned=rng.choice((25, 60, 120)),
            investment_eur=rng.choice((400_000, 1_500_000, 3_000_000)),
            land_date=(lead.created_at + dt.timedelta(days=120)).date(),
        )
    if stage == Stage.LOST:
        return Outcome(lost_to=(lead.rivals or ["bulgaria"])[0])
    return None


def load_demo_leads(count: int = 40, *, seed: int = 2026) -> int:
    """Create ``count`` fictional leads if the database has none; return how many were made."""
    if db.session.scalar(select(func.count(Lead.id))):
        return 0
    ensure_demo_staff()
    rng = random.Random(seed)
    start = utcnow() - dt.timedelta(days=75)
    for n in range(count):
        received = start + dt.timedelta(days=75 * n / count, hours=rng.randint(8, 17))
        recorded = record_submission(demo_submission(n, rng), now=received)
        lead = db.session.get_one(Lead, recorded.lead_id)
        # Routing and the owner happen at the inquiry, as they do for a live one.
        db.session.execute(
            update(AuditEntry)
            .where(AuditEntry.lead_id == lead.id, AuditEntry.created_at > received)
            .values(created_at=received)
        )
        if n % 3 == 0:
            stage = STAGE_PLAN[(n // 3) % len(STAGE_PLAN)]
            reason = CloseReason.CHOSE_OTHER_LOCATION if stage == Stage.LOST else None
            if stage in (Stage.QUALIFIED, Stage.MEETING, Stage.LOST):
                lead.rivals = sorted(rng.sample(values(COMPETITORS), 2))
                lead.likelihood = rng.choice(values(LIKELIHOODS))
            entry = change_stage(
                lead,
                stage,
                lead.owner,
                reason="demo data",
                close_reason=reason,
                outcome=demo_outcome(lead, stage, rng),
            )
            entry.created_at = received + dt.timedelta(days=rng.randint(3, 20))
            if stage in (Stage.MEETING, Stage.SITE_VISIT):
                expected = utcnow().date() + dt.timedelta(days=rng.randint(10, 90))
                # Demo dates keep to the range the staff forms accept, like their land dates.
                lead.expected_land_date = expected if date_in_range(expected) else None
        if n % 3 != 2:  # two in three demo leads had a personal first response
            lead.first_response_at = received + dt.timedelta(hours=rng.randint(2, 80))
            lead.last_activity_at = max(
                lead.first_response_at,
                entry.created_at if n % 3 == 0 else lead.first_response_at,
            )
        db.session.commit()
    return count
