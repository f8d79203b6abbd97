"""The outbox: claims are exclusive, leases expire, failures back off then die."""

import datetime as dt
import itertools
import random
import statistics
import threading

from core.extensions import db
from leads.models import OutboxEvent, utcnow
from leads.queue import outbox


def add_events(n, channel="crm"):
    for i in range(n):
        outbox.enqueue(channel, "lead.upserted", payload={"i": i})
    db.session.commit()


def test_claim_takes_due_events_of_its_channel_only(app):
    add_events(3)
    add_events(2, channel="mail")
    claimed = outbox.claim_batch("crm", "w1", limit=10)
    assert [e.payload["i"] for e in claimed] == [0, 1, 2]
    assert {e.status for e in claimed} == {outbox.IN_FLIGHT}
    assert outbox.claim_batch("crm", "w2") == []


def test_claim_respects_the_limit(app):
    add_events(5)
    assert len(outbox.claim_batch("crm", "w1", limit=2)) == 2
    assert len(outbox.claim_batch("crm", "w2", limit=10)) == 3


def test_expired_lease_returns_the_event(app):
    add_events(1)
    (event,) = outbox.claim_batch("crm", "killed-worker", lease_seconds=60)
    event.lease_until = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    (again,) = outbox.claim_batch("crm", "w2")
    assert again.id == event.id
    assert again.claimed_by.startswith("w2:")


def test_failures_back_off_then_go_dead(app):
    add_events(1)
    (event,) = outbox.claim_batch("crm", "w1")
    outbox.mark_failed(event, "HubSpot answered 503", max_attempts=2)
    db.session.commit()
    assert event.status == outbox.FAILED
    assert event.available_at > utcnow() - dt.timedelta(seconds=1)
    event.available_at = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    (event,) = outbox.claim_batch("crm", "w1")
    outbox.mark_failed(event, "HubSpot answered 503", max_attempts=2)
    db.session.commit()
    assert event.status == outbox.DEAD
    assert event.last_error == "HubSpot answered 503"


def test_backoff_grows_and_is_capped():
    state = random.getstate()
    random.seed(20261201)  # full jitter draws from random: the same draws on every run
    try:
        draws = {
            attempts: [outbox.backoff_seconds(attempts, base=30, cap=3600) for _ in range(400)]
            for attempts in range(1, 12)
        }
    finally:
        random.setstate(state)
    bounds = [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600]
    for (attempts, delays), bound in zip(draws.items(), bounds, strict=True):
        # Full jitter: anywhere from no wait up to the bound, which doubles until the cap...
        assert all(0 <= delay <= bound for delay in delays), attempts
        assert max(delays) > 0.9 * bound, attempts
        assert min(delays) < 0.1 * bound, attempts
    # ...so the typical wait doubles per attempt, then stays at half the cap.
    medians = [statistics.median(delays) for delays in draws.values()]
    assert all(later > 1.5 * earlier for earlier, later in itertools.pairwise(medians[:7]))
    assert all(1500 < median < 2100 for median in medians[7:])


def test_concurrent_workers_never_claim_the_same_event(app):
    add_events(200)
    seen: list[int] = []
    lock = threading.Lock()

    def work(name):
        with app.app_context():
            while batch := outbox.claim_batch("crm", name, limit=7):
                with lock:
                    seen.extend(e.id for e in batch)
            db.session.remove()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(seen) == sorted(set(seen))
    assert len(seen) == 200
    assert db.session.query(OutboxEvent).filter_by(status=outbox.IN_FLIGHT).count() == 200
