"""Follow-up test helpers: an adviser, an inquiry at a given time, the mails of one kind."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path

from core.extensions import db
from leads.capture.service import ConsentProof, Submission, record_submission
from leads.choices import UPDATES
from leads.models import Lead
from tests.support.staff import make_user

CONSENT = ConsentProof("answer_inquiry", "v1", "0" * 64, "contact", "/contact/")
UPDATES_CONSENT = ConsentProof(UPDATES, "v1", "0" * 64, "contact", "/contact/")
DAY = dt.timedelta(days=1)


def mails(app, kind: str) -> list[email.message.EmailMessage]:
    folder = Path(app.config["MAIL_FOLDER"])
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob(f"*-{kind}.eml"))
    ]


def adviser(address="ana@ras.example.org", notify="each"):
    ana = make_user(address, "ipa-serbia", "country")
    ana.display_name, ana.job_title, ana.notify = "Ana Petrović", "Investment Adviser", notify
    db.session.commit()
    return ana


def inquire(address, *, updates=False, lang="en", received=None, **lead) -> Lead:
    fields = {"full_name": "Eva Gruber", "company": "Gruber IT GmbH", "hq_country": "DE"}
    fields.update(preferred_language=lang, **lead)
    recorded = record_submission(
        Submission(
            kind="inquiry",
            email=address,
            consent=CONSENT,
            extra_consents=(UPDATES_CONSENT,) if updates else (),
            lead=fields,
            countries=("serbia",),
            lang=lang,
        ),
        now=received,
    )
    db.session.commit()
    return db.session.get(Lead, recorded.lead_id)
