"""The CRM relay: claims outbox events of channel "crm" and pushes them to the CRM in batches.

One batch of up to 100 events costs a handful of API calls: one batch upsert each for contacts,
companies, deals and notes, then one batch of default associations per pair of object types,
sent only where something new was linked. Every write is an upsert by a unique key, so a batch
that is sent again (after a timeout, a crash or a second relay) updates what is there instead of
making duplicates. HubSpot ids are stored on the lead and the inquiry.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from gateway.extensions import db
from leads import outbox
from leads.crm import payloads as pl
from leads.crm import properties as p
from leads.crm.base import (
    AUTH,
    CRM,
    NOT_CONFIGURED,
    RATE_LIMIT,
    CRMError,
    DailyLimitReached,
    NullCRM,
)
from leads.models import Inquiry, Lead, OutboxEvent, Setting, utcnow

log = logging.getLogger(__name__)

CHANNEL = "crm"
# Any event of the channel with a lead id asks for that lead's current state to be sent
# ("lead.upserted" from lead capture, "lead.stage_changed" from the staff area, ...), except
# the GDPR delete queued by leads.privacy.erase.
KIND_UPSERT = "lead.upserted"
KIND_ERASE = "contact.erase"
SCHEMA_KEY = "crm.schema"
PAUSE_KEY = "crm.paused"
# Errors that say nothing about the events themselves: put the batch back without counting.
HOLD_CATEGORIES = frozenset({AUTH, NOT_CONFIGURED, RATE_LIMIT})
HOLD_SECONDS = {AUTH: 300, NOT_CONFIGURED: 300, RATE_LIMIT: 5}


def get_crm() -> CRM:
    """Return this app's CRM adapter, built once: HubSpot with a token, else the null CRM."""
    app = current_app._get_current_object()
    crm = app.extensions.get("crm")
    if crm is None:
        token = app.config.get("HUBSPOT_ACCESS_TOKEN")
        if not token:
            crm = NullCRM()
        else:
            # Imported here: the SDK loads only where a token says it will be used.
            from leads.crm.hubspot import HubSpotCRM

            timeout = float(app.config.get("HUBSPOT_TIMEOUT", 10))
            crm = HubSpotCRM(
                token,
                base_url=app.config.get("HUBSPOT_BASE_URL", "https://api.hubapi.com"),
                api_version=app.config.get("HUBSPOT_API_VERSION", "v3"),
                rate_limit=int(app.config.get("HUBSPOT_RATE_LIMIT", 100)),
                rate_window=float(app.config.get("HUBSPOT_RATE_WINDOW", 10)),
                timeout=(min(5.0, timeout), timeout),
                search_rate_limit=int(app.config.get("HUBSPOT_SEARCH_RATE_LIMIT", 4)),
            )
        app.extensions["crm"] = crm
    return crm


# -- queueing (called by lead capture, the staff area and privacy) ----------------------------


def enqueue_lead_sync(lead_id: int) -> OutboxEvent:
    """Queue a lead for the CRM in the caller's transaction (the relay sends its current state)."""
    return outbox.enqueue(CHANNEL, KIND_UPSERT, lead_id=lead_id)


def enqueue_erasure(
    lead_id: int | None, email: str | None, contact_id: str | None = None
) -> OutboxEvent:
    """Cancel the person's pending CRM events and queue a GDPR delete (caller commits)."""
    if lead_id is not None:
        outbox.cancel_for_lead(lead_id, CHANNEL)
    payload = {"email": email} if email else {}
    if contact_id:
        payload["crm_contact_id"] = contact_id
    return outbox.enqueue(CHANNEL, KIND_ERASE, lead_id=lead_id, payload=payload)


# -- settings read back from the CRM ----------------------------------------------------------


def _setting(key: str) -> dict | None:
    row = db.session.get(Setting, key)
    return dict(row.value) if row is not None else None


def _store_setting(key: str, value: dict | None) -> None:
    row = db.session.get(Setting, key)
    if value is None:
        if row is not None:
            db.session.delete(row)
        return
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value


def run_setup(crm: CRM | None = None) -> dict:
    """Create the CRM schema and deal pipeline (safe to repeat) and store the stage ids."""
    crm = crm or get_crm()
    info = crm.ensure_schema()
    value = {"pipeline_id": info.pipeline_id, "stage_ids": dict(info.stage_ids)}
    _store_setting(SCHEMA_KEY, value)
    db.session.commit()
    return value


def paused_until() -> dt.datetime | None:
    """Return when the relay may send again after HubSpot's daily limit, if it is paused."""
    value = _setting(PAUSE_KEY)
    if not value:
        return None
    until = dt.datetime.fromisoformat(value["until"])
    return until if until > utcnow() else None


# -- one batch --------------------------------------------------------------------------------


@dataclass
class RunReport:
    """What one ``run_once`` did."""

    claimed: int = 0
    done: int = 0
    failed: int = 0
    dead: int = 0
    held: int = 0
    skipped: str = ""
    paused_until: dt.datetime | None = None
    errors: list[str] = field(default_factory=list)


def _note_text(inquiry: Inquiry) -> str:
    details = [
        ("Request", inquiry.kind),
        ("Event", inquiry.event_slug),
        ("Countries", ", ".join(inquiry.countries or [])),
        ("Sector", inquiry.sector),
        ("Project", inquiry.project_type),
        ("Headcount", inquiry.headcount_band),
        ("Investment", inquiry.investment_band),
        ("Timeline", inquiry.timeline),
    ]
    lines = [f"{label}: {value}" for label, value in details if value]
    if inquiry.message:
        lines += ["", inquiry.message]
    return "\n".join(lines) or inquiry.kind


def snapshot_of(lead: Lead) -> pl.LeadSnapshot:
    """Return what the CRM needs to know about a lead now."""
    latest = lead.inquiries[-1] if lead.inquiries else None
    sector = lead.interest if lead.interest not in ("", "unsure") else ""
    if not sector and latest is not None:
        sector = latest.sector
    return pl.LeadSnapshot(
        lead_id=lead.id,
        email=lead.email or "",
        full_name=lead.full_name,
        company=lead.company,
        website=lead.company_website or lead.company_domain,
        job_title=lead.job_title,
        phone=lead.phone,
        country=lead.hq_country,
        countries=tuple(lead.country_slugs),
        sector=sector,
        source=lead.source,
        campaign=lead.campaign or (latest.utm_campaign if latest is not None else ""),
        score=lead.score,
        stage=lead.stage,
        inquiries=tuple(
            pl.Inquiry(i.id, _note_text(i), i.created_at)
            for i in lead.inquiries
            if i.crm_note_id is None
        ),
        has_deal=lead.crm_deal_id is not None,
    )


class _Batch:
    """The events of one claim, grouped by lead, with the outcome of each lead."""

    def __init__(self, crm: CRM, schema: dict, events: list[OutboxEvent], max_attempts: int):
        self.crm = crm
        self.schema = schema
        self.max_attempts = max_attempts
        self.report = RunReport(claimed=len(events))
        self.erasures = [e for e in events if e.kind == KIND_ERASE]
        self.by_lead: dict[int | None, list[OutboxEvent]] = defaultdict(list)
        for event in events:
            if event.kind != KIND_ERASE:
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
        snaps = {lead_id: snapshot_of(lead) for lead_id, lead in leads.items()}
        # Leads whose contact or company changed: their deal must be linked again.
        relinked: set[int] = set()

        # Contacts, by email. A new contact needs its company linked again.
        contact_items = {lead_id: pl.contact_input(snap) for lead_id, snap in snaps.items()}
        result = self.crm.upsert_contacts(list(contact_items.values()))
        for lead_id in self._record_ids(leads, contact_items, result, "crm_contact_id"):
            leads[lead_id].crm_company_id = None
            relinked.add(lead_id)

        # Companies, by normalised domain; leads of one company share one input.
        company_items = {lead.id: pl.company_input(snaps[lead.id]) for lead in self._live(leads)}
        company_items = {k: v for k, v in company_items.items() if v is not None}
        unique = {item["objectWriteTraceId"]: item for item in company_items.values()}
        result = self.crm.upsert_companies(list(unique.values()))
        relinked |= self._record_ids(leads, company_items, result, "crm_company_id")

        # Deals, by lead reference, for qualified leads.
        deal_items = {}
        for lead in self._live(leads):
            item = pl.deal_input(
                snaps[lead.id], self.schema["pipeline_id"], self.schema["stage_ids"]
            )
            if item is not None:
                deal_items[lead.id] = item
        result = self.crm.upsert_deals(list(deal_items.values()))
        new_deals = self._record_ids(leads, deal_items, result, "crm_deal_id")

        # Notes, one per inquiry not yet in the CRM, by inquiry reference.
        note_items = {}
        for lead in self._live(leads):
            for inquiry in snaps[lead.id].inquiries:
                note_items[inquiry.id] = (lead, pl.note_input(inquiry))
        result = self.crm.create_notes([item for _lead, item in note_items.values()])
        inquiries = {i.id: i for lead in leads.values() for i in lead.inquiries}
        new_notes: dict[int, list[Inquiry]] = defaultdict(list)
        for inquiry_id, (lead, item) in note_items.items():
            trace = item["objectWriteTraceId"]
            if trace not in result.ids:
                self.failed[lead.id] = result.errors[trace]
            else:
                inquiries[inquiry_id].crm_note_id = result.ids[trace]
                new_notes[lead.id].append(inquiries[inquiry_id])

        # Default associations, only where something was newly created or changed.
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
        self._link(
            p.DEALS,
            p.CONTACTS,
            [(lead, lead.crm_deal_id, lead.crm_contact_id) for lead in deal_links],
            undo=lambda lead: setattr(lead, "crm_deal_id", None),
        )
        self._link(
            p.DEALS,
            p.COMPANIES,
            [(lead, lead.crm_deal_id, lead.crm_company_id) for lead in deal_links],
            undo=lambda lead: setattr(lead, "crm_deal_id", None),
        )
        note_links = [
            (lead, inquiry.crm_note_id, lead.crm_contact_id)
            for lead in live
            for inquiry in new_notes.get(lead.id, [])
        ]
        self._link(
            p.NOTES,
            p.CONTACTS,
            note_links,
            undo=lambda lead: [setattr(i, "crm_note_id", None) for i in new_notes[lead.id]],
        )

        stamp = utcnow()
        for lead in self._live(leads):
            lead.crm_synced_at = stamp

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


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:40]


def run_once(crm: CRM | None = None, *, limit: int = 100) -> RunReport:
    """Claim one batch of due CRM events, send it, and record each event's outcome."""
    crm = crm or get_crm()
    config = current_app.config
    if not crm.configured:
        return RunReport(skipped="CRM is not configured: events wait in the outbox")
    until = paused_until()
    if until is not None:
        return RunReport(skipped="paused: HubSpot's daily limit", paused_until=until)
    schema = _setting(SCHEMA_KEY)
    if not schema:
        return RunReport(skipped="run `flask crm setup` first: events wait in the outbox")
    events = outbox.claim_batch(
        CHANNEL,
        _worker_name(),
        limit=limit,
        lease_seconds=int(config.get("HUBSPOT_LEASE_SECONDS", 300)),
    )
    if not events:
        return RunReport()
    batch = _Batch(crm, schema, events, int(config.get("HUBSPOT_MAX_ATTEMPTS", 8)))
    try:
        batch.run()
    except DailyLimitReached as exc:
        db.session.rollback()
        _hold([e for e in events if e.status == outbox.IN_FLIGHT], 0)
        reset = exc.reset_at.astimezone(dt.UTC).replace(tzinfo=None)
        _store_setting(PAUSE_KEY, {"until": reset.isoformat(), "reason": exc.describe()})
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
        else:
            batch.report = RunReport(claimed=len(events))
            for event in events:
                batch.fail(event, exc)
    db.session.commit()
    return batch.report


def sync(crm: CRM | None = None, *, max_batches: int | None = None) -> RunReport:
    """Relay every due CRM event once, batch after batch, and return the totals."""
    total = RunReport()
    batches = 0
    while max_batches is None or batches < max_batches:
        report = run_once(crm)
        batches += 1
        for name in ("claimed", "done", "failed", "dead", "held"):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        total.errors += report.errors
        total.skipped = total.skipped or report.skipped
        total.paused_until = report.paused_until
        if not report.claimed or report.held or report.skipped:
            break
    return total


def inbound_step(crm: CRM) -> bool:
    """Apply a batch of changes from HubSpot, and pull when due; tell whether there was work."""
    from leads.crm import inbound, pull

    claimed = 0
    try:
        claimed = inbound.apply_pending(crm).claimed
        if crm.configured and pull.pull_due():
            pull.pull(crm)
    except Exception:  # HubSpot or the database unavailable: the next round tries again
        log.exception("CRM inbound: round failed")
        db.session.rollback()
    db.session.remove()
    return claimed > 0


def run_forever(
    crm: CRM | None = None,
    *,
    idle_seconds: float | None = None,
    stop: outbox.StopFlag | None = None,
) -> None:
    """Relay events until stopped, sleeping when there is nothing due."""
    crm = crm or get_crm()
    idle = (
        idle_seconds
        if idle_seconds is not None
        else float(current_app.config.get("HUBSPOT_IDLE_SECONDS", 5))
    )
    if stop is None:
        stop = outbox.StopFlag("CRM relay")
        stop.install()
    log.info("CRM relay started (%s)", _worker_name())
    while not stop:
        try:
            report = run_once(crm)
        except Exception:  # a database hiccup must not end the worker
            log.exception("CRM relay: batch failed")
            db.session.rollback()
            report = RunReport(skipped="error")
        db.session.remove()
        busy = inbound_step(crm)
        if report.paused_until is not None:
            wait = (report.paused_until - utcnow()).total_seconds()
            stop.wait(max(1.0, min(wait, 600.0)))
        elif (not report.claimed or report.held) and not busy:
            stop.wait(idle)
    log.info("CRM relay stopped")


# -- status and the staff area ----------------------------------------------------------------


def status() -> dict:
    """Return the CRM queues: outbound counts and last_success, inbound counts and last_pull."""
    from leads.crm import inbound, pull

    counts = outbox.status_counts(CHANNEL)
    last = db.session.scalar(
        select(func.max(OutboxEvent.done_at)).where(
            OutboxEvent.channel == CHANNEL, OutboxEvent.status == outbox.DONE
        )
    )
    return {
        "pending": counts[outbox.PENDING],
        "in_flight": counts[outbox.IN_FLIGHT],
        "failed": counts[outbox.FAILED],
        "dead": counts[outbox.DEAD],
        "done": counts[outbox.DONE],
        "last_success": last.replace(tzinfo=dt.UTC).isoformat() if last else None,
        **inbound.status(),
        "last_pull": pull.last_pull(),
    }
