"""Demo leads for a fresh installation, so the staff area has something to show.

Every demo person and company is fictional and uses a reserved ``example.*`` domain. The leads
go through the same ``record_submission`` as real forms, so they are scored, routed and queued
exactly like real ones.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets

from sqlalchemy import func, select

from gateway.countries import COUNTRY_SLUGS
from gateway.extensions import db
from leads.assignment import available_staff
from leads.capture.service import ConsentProof, Submission, record_submission
from leads.choices import HEADCOUNT_BANDS, INVESTMENT_BANDS, PROJECT_TYPES, TIMELINES, values
from leads.models import Lead, Notify, Organisation, utcnow
from leads.pipeline import change_stage
from leads.staff.auth import create_staff_user, find_user
from leads.stages import CloseReason, Stage

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
# passwords are random and never shown: nobody signs in as them.
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
                    notify=Notify.NONE.value,
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
    return Submission(
        kind=rng.choice(("inquiry", "inquiry", "inquiry", "meeting", "report")),
        email=email,
        consent=DEMO_NOTICE,
        lead=lead,
        inquiry=inquiry,
        answers={"email": email, **lead, **inquiry, "countries": list(countries)},
        countries=countries,
        attribution={"utm_source": rng.choice(("linkedin", "roadshow", "")), "landing_page": "/"},
        page="/contact/",
    )


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
        if n % 3 == 0:
            lead = db.session.get(Lead, recorded.lead_id)
            stage = STAGE_PLAN[(n // 3) % len(STAGE_PLAN)]
            reason = CloseReason.CHOSE_OTHER_LOCATION if stage == Stage.LOST else None
            change_stage(lead, stage, None, reason="demo data", close_reason=reason)
            db.session.commit()
    return count
