"""The relay as operators run it: real worker processes, killed, stopped, and side by side."""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import select, update

from core.extensions import db
from leads.crm import adapter, relay
from leads.crm import status as crm_status
from leads.crm.hubspot import HubSpotCRM
from leads.models import OutboxEvent, utcnow
from leads.queue import outbox
from tests.support.apps import ROOT
from tests.support.crm import TOKEN, assert_delivered_once, crm_settings, queue_leads

pytestmark = pytest.mark.slow


@pytest.fixture
def app_overrides(hubspot_double, api_version):
    """Point the app's CRM settings at the double."""
    return crm_settings(hubspot_double, api_version, HUBSPOT_TIMEOUT=5.0)


def start_worker(app, hubspot_double, api_version, *args, **settings):
    """Start ``flask crm sync`` in a separate process on the test database."""
    env = dict(os.environ) | {f"FLASK_{key}": value for key, value in settings.items()}
    env.update(
        {
            "APP_CONFIG": "testing",
            "FLASK_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "FLASK_HUBSPOT_ACCESS_TOKEN": TOKEN,
            "FLASK_HUBSPOT_BASE_URL": hubspot_double.url,
            "FLASK_HUBSPOT_API_VERSION": api_version,
            "FLASK_HUBSPOT_LEASE_SECONDS": "2",
            "FLASK_HUBSPOT_IDLE_SECONDS": "0.2",
            "FLASK_CONTENT_DIR": str(ROOT / "content"),
        }
    )
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "crm", "sync", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


def test_worker_killed_mid_batch_loses_and_doubles_nothing(
    app, hubspot_double, api_version, make_lead
):
    adapter.run_setup()
    leads = queue_leads(make_lead, 150) + queue_leads(make_lead, 100, stage="qualified")
    hubspot_double.requests.clear()
    hubspot_double.delay = 0.1
    # One batch at a time, so that "its second batch" is one batch.
    worker = start_worker(app, hubspot_double, api_version, "--loop", HUBSPOT_CONCURRENCY="1")
    try:
        # Kill it in the middle of its second batch: after HubSpot has taken some writes
        # that the worker has not recorded yet.
        wait_for(lambda: len(hubspot_double.requests) >= 8)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.stdout.close()
    assert worker.returncode == -signal.SIGKILL
    db.session.expire_all()
    assert crm_status.status()["in_flight"] > 0

    hubspot_double.delay = 0.0
    # The killed worker's lease runs out: time passes (its end moves into the past) instead of
    # the test sleeping through it; the relay reclaims what the lease held.
    expired = utcnow() - dt.timedelta(seconds=1)
    in_flight = OutboxEvent.status == outbox.IN_FLIGHT
    db.session.execute(update(OutboxEvent).where(in_flight).values(lease_until=expired))
    db.session.commit()
    relay.sync()

    status = crm_status.status()
    assert {k: status[k] for k in ("pending", "in_flight", "failed", "dead", "done")} == {
        "pending": 0,
        "in_flight": 0,
        "failed": 0,
        "dead": 0,
        "done": 250,
    }
    assert_delivered_once(hubspot_double, leads)
    assert len(hubspot_double.objects["contacts"]) == 250
    assert len(hubspot_double.objects["deals"]) == 100
    assert len(hubspot_double.objects["companies"]) == 250


def test_worker_finishes_its_batch_on_sigterm(app, hubspot_double, api_version, make_lead):
    adapter.run_setup()
    leads = queue_leads(make_lead, 120)
    hubspot_double.requests.clear()
    hubspot_double.delay = 0.2
    # One batch at a time, so that there is a next batch the stopping worker must not start.
    worker = start_worker(app, hubspot_double, api_version, "--loop", HUBSPOT_CONCURRENCY="1")
    try:
        wait_for(lambda: len(hubspot_double.requests) >= 1)
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()
    assert worker.returncode == 0, output
    db.session.expire_all()
    status = crm_status.status()
    assert status["in_flight"] == 0
    assert status["done"] == 100  # the batch in flight, and not the next one
    assert status["pending"] == 20
    assert_delivered_once(hubspot_double, leads[:100])


def test_two_relays_at_once_send_every_event_once(
    app, backend, hubspot_double, api_version, make_lead
):
    if backend != "postgresql":
        pytest.skip("several relays at once run against PostgreSQL")
    adapter.run_setup()
    leads = queue_leads(make_lead, 600)
    hubspot_double.requests.clear()
    hubspot_double.delay = 0.05
    claimed = {}

    def work(name):
        crm = HubSpotCRM(TOKEN, base_url=hubspot_double.url, api_version=api_version)
        total = 0
        with app.app_context():
            while True:
                report = relay.run_once(crm)
                if not report.claimed:
                    break
                total += report.claimed
            db.session.remove()
        claimed[name] = total

    threads = [threading.Thread(target=work, args=(f"relay-{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sum(claimed.values()) == 600
    assert all(count > 0 for count in claimed.values()), claimed
    sent = [
        item["id"]
        for record in hubspot_double.calls("/contacts/batch/upsert")
        for item in record.body["inputs"]
    ]
    assert len(sent) == len(set(sent)) == 600
    db.session.expire_all()
    events = db.session.scalars(select(OutboxEvent)).all()
    assert {e.status for e in events} == {outbox.DONE}
    assert_delivered_once(hubspot_double, leads)
