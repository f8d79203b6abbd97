"""The CRM relay: claims the outbox's CRM events and pushes them to the CRM in batches.

One batch of up to 100 events costs a handful of API calls: one batch upsert each for contacts,
companies, deals and notes, then one batch of default associations per pair of object types,
sent only where something new was linked. Every write is an upsert by a unique key, so a batch
that is sent again (after a timeout, a crash or a second relay) updates what is there instead of
making duplicates. HubSpot ids are stored on the lead and the inquiry.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from gateway.extensions import db
from leads import outbox
from leads.crm import payloads as pl
from leads.crm import properties as p
from leads.crm.base import AUTH, CRM, NOT_CONFIGURED, RATE_LIMIT, CRMError, DailyLimitReached
from leads.crm.client import PAUSE_KEY, SCHEMA_KEY, get_crm, paused_until, setting, store_setting
from leads.crm.snapshot import snapshot_of
from leads.events import Channel, Kind
from leads.models import Inquiry, Lead, OutboxEvent, utcnow
from leads.worker import BatchResult, StopFlag, run_loop, worker_name

log = logging.getLogger(__name__)

# Any event of the channel with a lead id asks for that lead's current state to be sent, except
# the GDPR delete (Kind.CONTACT_ERASE) queued by leads.privacy.erase.
# Errors that say nothing about the events themselves: put the batch back without counting.
HOLD_CATEGORIES = frozenset({AUTH, NOT_CONFIGURED, RATE_LIMIT})
HOLD_SECONDS = {AUTH: 300, NOT_CONFIGURED: 300, RATE_LIMIT: 5}


class ChannelPause:
    """This worker's pause after a batch failed as a whole (HubSpot down or timing out).

    The failed batch waits for the same moment, so after an outage the backlog goes out in
    full batches instead of one lead at a time; until then no other batch is sent.
    """

    def __init__(self) -> None:
        self.until: dt.datetime | None = None
        self.reason = ""
        self._lock = threading.Lock()

    def start(self, until: dt.datetime, reason: str) -> None:
        """Pause until ``until`` (a later pause wins)."""
        with self._lock:
            if self.until is None or until > self.until:
                self.until, self.reason = until, reason

    def end(self) -> None:
        """Lift the pause (time has passed, or an operator retries now)."""
        with self._lock:
            self.until, self.reason = None, ""

    def active(self) -> dt.datetime | None:
        """Return when the pause ends, if it has not yet."""
        until = self.until
        return until if until is not None and until > utcnow() else None


def channel_pause() -> ChannelPause:
    """Return this app's CRM channel pause (one per worker process)."""
    return current_app.extensions.setdefault("crm_pause", ChannelPause())


# -- one batch --------------------------------------------------------------------------------


class _Batch:
    """The events of one claim, grouped by lead, with the outcome of each lead."""

    def __init__(self, crm: CRM, schema: dict, events: list[OutboxEvent], max_attempts: int):
        self.crm = crm
        self.schema = schema
        self.max_attempts = max_attempts
        self.report = BatchResult(claimed=len(events))
        self.erasures = [e for e in events if e.kind == Kind.CONTACT_ERASE]
        self.by_lead: dict[int | None, list[OutboxEvent]] = defaultdict(list)
        for event in events:
            if event.kind != Kind.CONTACT_ERASE:
                self.by_lead[event.lead_id].append(event)
        self.failed: dict[int, CRMError] = {}

    def fail(self, event: OutboxEvent, error: CRMError) -> None:
        message = error.describe()
        self.report.errors.append(message)
        if error.retryable:
            outbox.mark_failed(event, message, max_attempts=self.max_attempts)
        else:
            outbox.mark_dead(event, message)
        if event.status == outbox.DEAD:
            self.report.dead += 1
            log.warning("CRM event %s is dead: %s", event.id, message)
        else:
            self.report.failed += 1

    def done(self, events: list[OutboxEvent]) -> None:
        outbox.mark_done(events)
        self.report.done += len(events)

    def run(self) -> None:
        for event in self.erasures:
            try:
                self.crm.erase_contact(
                    event.payload.get("email"), contact_id=event.payload.get("crm_contact_id")
                )
            except DailyLimitReached:
                raise
            except CRMError as exc:
                if exc.category in HOLD_CATEGORIES:
                    raise
                self.fail(event, exc)
            else:
                event.payload = {}  # the address has no business staying here
                self.done([event])

        ids = [lead_id for lead_id in self.by_lead if lead_id is not None]
        leads = {
            lead.id: lead
            for lead in db.session.scalars(
                select(Lead)
                .where(Lead.id.in_(ids))
                .options(selectinload(Lead.inquiries), selectinload(Lead.countries))
            )
        }
        # Events whose lead is gone or erased have nothing left to send.
        for lead_id, events in list(self.by_lead.items()):
            lead = leads.get(lead_id) if lead_id is not None else None
            if lead is None or not lead.email or lead.erased_at is not None:
                self.done(events)
                del self.by_lead[lead_id]
                leads.pop(lead_id, None)
        if leads:
            self.sync(leads)
        for lead_id, events in self.by_lead.items():
            if lead_id in self.failed:
                for event in events:
                    self.fail(event, self.failed[lead_id])
            else:
                self.done(events)

    def _record_ids(self, leads: dict[int, Lead], items: dict[int, dict], result, attr: str):
        """Store the CRM id each lead's input got in ``attr``; note per-input failures.

        Returns the leads whose id changed (new or different records in the CRM).
        """
        changed: set[int] = set()
        for lead_id, item in items.items():
            lead, trace = leads[lead_id], item["objectWriteTraceId"]
            if trace not in result.ids:
                self.failed[lead_id] = result.errors[trace]
            elif getattr(lead, attr) != result.ids[trace]:
                setattr(lead, attr, result.ids[trace])
                changed.add(lead_id)
        return changed

    def _live(self, leads: dict[int, Lead]) -> list[Lead]:
        return [lead for lead_id, lead in leads.items() if lead_id not in self.failed]

    def sync(self, leads: dict[int, Lead]) -> None:
        """Send the leads' current state: four batch upserts, then the new associations."""
        snaps = {lead_id: snapshot_of(lead) for lead_id, lead in leads.items()}
        # Leads whose contact or company changed: their deal must be linked again.
        relinked = self._contacts(leads, snaps)
        relinked |= self._companies(leads, snaps)
        new_deals = self._deals(leads, snaps)
        new_notes = self._notes(leads, snaps)
        self._associations(leads, relinked, new_deals, new_notes)
        stamp = utcnow()
        for lead in self._live(leads):
            lead.crm_synced_at = stamp

    def _contacts(self, leads: dict[int, Lead], snaps: dict) -> set[int]:
        """Upsert contacts by email; a new contact needs its company linked again."""
        items = {lead_id: pl.contact_input(snap) for lead_id, snap in snaps.items()}
        result = self.crm.upsert_contacts(list(items.values()))
        relinked = self._record_ids(leads, items, result, "crm_contact_id")
        for lead_id in relinked:
            leads[lead_id].crm_company_id = None
        return relinked

    def _companies(self, leads: dict[int, Lead], snaps: dict) -> set[int]:
        """Upsert companies by normalised domain; leads of one company share one input."""
        items = {lead.id: pl.company_input(snaps[lead.id]) for lead in self._live(leads)}
        items = {k: v for k, v in items.items() if v is not None}
        unique = {item["objectWriteTraceId"]: item for item in items.values()}
        result = self.crm.upsert_companies(list(unique.values()))
        return self._record_ids(leads, items, result, "crm_company_id")

    def _deals(self, leads: dict[int, Lead], snaps: dict) -> set[int]:
        """Upsert deals by lead reference, for qualified leads; return the new ones."""
        items = {}
        for lead in self._live(leads):
            item = pl.deal_input(
                snaps[lead.id], self.schema["pipeline_id"], self.schema["stage_ids"]
            )
            if item is not None:
                items[lead.id] = item
        result = self.crm.upsert_deals(list(items.values()))
        return self._record_ids(leads, items, result, "crm_deal_id")

    def _notes(self, leads: dict[int, Lead], snaps: dict) -> dict[int, list[Inquiry]]:
        """Create one note per inquiry not yet in the CRM; return each lead's new notes."""
        items = {}
        for lead in self._live(leads):
            for inquiry in snaps[lead.id].inquiries:
                items[inquiry.id] = (lead, pl.note_input(inquiry))
        result = self.crm.create_notes([item for _lead, item in items.values()])
        inquiries = {i.id: i for lead in leads.values() for i in lead.inquiries}
        new_notes: dict[int, list[Inquiry]] = defaultdict(list)
        for inquiry_id, (lead, item) in items.items():
            trace = item["objectWriteTraceId"]
            if trace not in result.ids:
                self.failed[lead.id] = result.errors[trace]
            else:
                inquiries[inquiry_id].crm_note_id = result.ids[trace]
                new_notes[lead.id].append(inquiries[inquiry_id])
        return new_notes

    def _associations(
        self,
        leads: dict[int, Lead],
        relinked: set[int],
        new_deals: set[int],
        new_notes: dict[int, list[Inquiry]],
    ) -> None:
        """Default associations, only where something was newly created or changed."""
        live = self._live(leads)
        self._link(
            p.CONTACTS,
            p.COMPANIES,
            [
                (lead, lead.crm_contact_id, lead.crm_company_id)
                for lead in live
                if lead.id in relinked
            ],
            undo=lambda lead: setattr(lead, "crm_company_id", None),
        )
        deal_links = [
            lead
            for lead in live
            if lead.crm_deal_id and (lead.id in relinked or lead.id in new_deals)
        ]
        for to_type, attr in ((p.CONTACTS, "crm_contact_id"), (p.COMPANIES, "crm_company_id")):
            self._link(
                p.DEALS,
                to_type,
                [(lead, lead.crm_deal_id, getattr(lead, attr)) for lead in deal_links],
                undo=lambda lead: setattr(lead, "crm_deal_id", None),
            )
        self._link(
            p.NOTES,
            p.CONTACTS,
            [
                (lead, inquiry.crm_note_id, lead.crm_contact_id)
                for lead in live
                for inquiry in new_notes.get(lead.id, [])
            ],
            undo=lambda lead: [setattr(i, "crm_note_id", None) for i in new_notes[lead.id]],
        )

    def _link(self, from_type: str, to_type: str, rows: list, undo) -> None:
        """Associate pairs in batches; a failed pair fails its lead and is linked on retry."""
        rows = [(lead, a, b) for lead, a, b in rows if a and b and lead.id not in self.failed]
        for chunk in pl.chunks(rows):
            result = self.crm.associate(from_type, to_type, [(a, b) for _lead, a, b in chunk])
            for lead, a, b in chunk:
                error = result.errors.get(f"{a}:{b}")
                if error is not None:
                    self.failed.setdefault(lead.id, error)
                    undo(lead)


def _hold(events: list[OutboxEvent], seconds: float) -> None:
    """Put claimed events back without counting an attempt."""
    until = utcnow() + dt.timedelta(seconds=seconds)
    for event in events:
        event.status, event.lease_until, event.available_at = outbox.PENDING, None, until


def run_once(crm: CRM | None = None, *, limit: int = 100) -> BatchResult:
    """Claim one batch of due CRM events, send it, and record each event's outcome."""
    crm = crm or get_crm()
    config = current_app.config
    if not crm.configured:
        return BatchResult(skipped="CRM is not configured: events wait in the outbox")
    until = paused_until()
    if until is not None:
        return BatchResult(skipped="paused: HubSpot's daily limit", paused_until=until)
    until = channel_pause().active()
    if until is not None:
        return BatchResult(skipped=f"paused: {channel_pause().reason}", paused_until=until)
    schema = setting(SCHEMA_KEY)
    if not schema:
        return BatchResult(skipped="run `flask crm setup` first: events wait in the outbox")
    events = outbox.claim_batch(
        Channel.CRM,
        worker_name(),
        limit=limit,
        lease_seconds=int(config["HUBSPOT_LEASE_SECONDS"]),
    )
    if not events:
        return BatchResult()
    batch = _Batch(crm, schema, events, int(config["HUBSPOT_MAX_ATTEMPTS"]))
    try:
        batch.run()
    except DailyLimitReached as exc:
        db.session.rollback()
        _hold([e for e in events if e.status == outbox.IN_FLIGHT], 0)
        reset = exc.reset_at.astimezone(dt.UTC).replace(tzinfo=None)
        store_setting(PAUSE_KEY, {"until": reset.isoformat(), "reason": exc.describe()})
        batch.report.paused_until = reset
        batch.report.held = len(events)
        log.warning("HubSpot's daily limit is spent; CRM sync paused until %s", reset)
    except CRMError as exc:
        # The whole batch failed (HubSpot down, a timeout, a rejected request). Forget what
        # this batch learnt: the retry upserts the same records again and links them afresh.
        db.session.rollback()
        if exc.category in HOLD_CATEGORIES:
            _hold(events, HOLD_SECONDS.get(exc.category, 30))
            batch.report.held = len(events)
            batch.report.errors.append(exc.describe())
            log.warning("CRM sync held: %s", exc.describe())
        elif exc.retryable:
            batch.report = _back_off(events, exc)
        else:
            batch.report = BatchResult(claimed=len(events))
            for event in events:
                batch.fail(event, exc)
    db.session.commit()
    return batch.report


def _back_off(events: list[OutboxEvent], error: CRMError) -> BatchResult:
    """Retry a batch that failed as a whole, as a whole: one wait for all, the channel paused.

    Nothing is wrong with the events themselves, so they keep together; giving each its own
    jittered wait would bring the backlog back in fragments of a few leads, each paying a
    full batch's calls, exactly when there is most to catch up.
    """
    config = current_app.config
    attempts = max(event.attempts for event in events) + 1
    wait = outbox.batch_backoff_seconds(
        attempts,
        base=float(config["HUBSPOT_BACKOFF_SECONDS"]),
        cap=float(config["HUBSPOT_BACKOFF_MAX_SECONDS"]),
    )
    retry_at = utcnow() + dt.timedelta(seconds=wait)
    message = error.describe()
    report = BatchResult(claimed=len(events), errors=[message], paused_until=retry_at)
    for event in events:
        outbox.mark_failed(
            event, message, max_attempts=int(config["HUBSPOT_MAX_ATTEMPTS"]), retry_at=retry_at
        )
        if event.status == outbox.DEAD:
            report.dead += 1
        else:
            report.failed += 1
    channel_pause().start(retry_at, message)
    log.warning("CRM batch failed as a whole (%s); retrying it in %.0f s", message, wait)
    return report


def concurrency() -> int:
    """Return how many batches to send at once (``HUBSPOT_CONCURRENCY``; 1 on in-memory SQLite,
    whose one connection threads cannot share)."""
    engine = db.engine
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        return 1
    return max(1, int(current_app.config["HUBSPOT_CONCURRENCY"]))


def run_round(crm: CRM | None = None) -> BatchResult:
    """Send up to ``concurrency()`` batches at once and return their total.

    At 150 ms a call, one batch at a time reaches about two thirds of HubSpot's limit; batches
    in flight together fill it. Each runs in its own thread and database session; all share
    the client's rate limiter, so together they stay within the limit. Claims never overlap
    (see ``outbox.claim_batch``) and every write is an upsert, so there are no duplicates.
    """
    crm = crm or get_crm()
    workers = concurrency()
    if workers == 1:
        return run_once(crm)
    app = current_app._get_current_object()

    def one() -> BatchResult:
        with app.app_context():
            return run_once(crm)

    with ThreadPoolExecutor(workers, thread_name_prefix="crm-batch") as pool:
        futures = [pool.submit(one) for _ in range(workers)]
        results = [future.result() for future in futures]
    total = BatchResult()
    for result in results:
        total.add(result)
    paused = [result.paused_until for result in results if result.paused_until is not None]
    total.paused_until = max(paused, default=None)
    if any(result.claimed for result in results):
        total.skipped = ""  # some batches found work: not idle
    return total


def sync(crm: CRM | None = None, *, max_batches: int | None = None) -> BatchResult:
    """Relay every due CRM event once, batch after batch, and return the totals."""
    total = BatchResult()
    batches = 0
    while max_batches is None or batches < max_batches:
        report = run_round(crm) if max_batches is None else run_once(crm)
        batches += 1
        total.add(report)
        if report.idle:
            break
    return total


def run_forever(
    crm: CRM | None = None, *, idle_seconds: float | None = None, stop: StopFlag | None = None
) -> None:
    """Run the CRM worker until stopped: relay events, apply HubSpot's changes, pull when due."""
    from leads.crm import inbound, pull

    crm = crm or get_crm()
    idle = current_app.config["HUBSPOT_IDLE_SECONDS"] if idle_seconds is None else idle_seconds
    run_loop(
        "CRM worker",
        [lambda: run_round(crm), lambda: inbound.apply_body(crm), lambda: pull.pull_body(crm)],
        idle_seconds=float(idle),
        stop=stop,
    )
