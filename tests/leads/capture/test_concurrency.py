"""200 investors posting at the same moment: 200 inquiries stored, none lost, no error."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from core.extensions import db
from leads.models import ConsentRecord, Inquiry, Lead, OutboxEvent
from tests.support.capture import hidden_fields, inquiry_data

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("later")]
SUBMISSIONS = 200
PEOPLE = 50  # four inquiries each: the dedup on email races too


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_200_concurrent_submissions_are_all_stored(app):
    clients = [app.test_client() for _ in range(SUBMISSIONS)]
    forms = []
    for c in clients:
        with app.app_context():  # a fresh context per request, as a server gives (flask.g)
            forms.append(hidden_fields(c, "/contact/"))
    db.session.remove()  # the threads use their own sessions; release this one's connection
    barrier = threading.Barrier(SUBMISSIONS, timeout=60)

    def post(i: int) -> int:
        data = inquiry_data(email=f"Investor{i % PEOPLE}@Example.com", full_name=f"Investor {i}")
        barrier.wait()
        with app.app_context():
            response = clients[i].post("/contact/", data={**forms[i], **data})
        return response.status_code

    with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
        statuses = list(pool.map(post, range(SUBMISSIONS)))

    assert statuses == [303] * SUBMISSIONS
    assert count(Inquiry) == SUBMISSIONS
    assert count(ConsentRecord) == SUBMISSIONS
    assert count(Lead) == PEOPLE
    crm = select(func.count()).select_from(OutboxEvent).where(OutboxEvent.channel == "crm")
    assert db.session.scalar(crm) == SUBMISSIONS
    per_lead = db.session.execute(
        select(Inquiry.lead_id, func.count()).group_by(Inquiry.lead_id)
    ).all()
    assert sorted(n for _lead, n in per_lead) == [SUBMISSIONS // PEOPLE] * PEOPLE
