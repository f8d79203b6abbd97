"""One CRM batch: the events of one claim, sent to the CRM in one pass of batch calls.

One batch of up to 100 events costs a handful of API calls: one batch upsert each for contacts,
companies, deals and notes, then one batch of default associations per pair of object types,
sent only where something new was linked. Every write is an upsert by a unique key, so a batch
that is sent again (after a timeout, a crash or a second relay) updates what is there instead of
making duplicates. HubSpot ids are stored on the lead and the inquiry. ``leads.crm.relay``
decides when batches run; this module says what one batch does.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from leads.crm import payloads as pl
from leads.crm import properties as p
from leads.crm.base import AUTH, CRM, NOT_CONFIGURED, RATE_LIMIT, CRMError, DailyLimitReached
from leads.crm.snapshot import snapshot_of
from leads.models import Inquiry, Lead, OutboxEvent, utcnow
from leads.queue import outbox
from leads.queue.events import Kind
from leads.queue.worker import BatchResult

log = logging.getLogger(__name__)

# Any event of the channel with a lead id asks for that lead's current state to be sent, except
# the GDPR delete (Kind.CONTACT_ERASE) queued by leads.privacy.erase.
# Errors that say nothing about the events themselves: put the batch back without counting.
HOLD_CATEGORIES = frozenset({AUTH, NOT_CONFIGURED, RATE_LIMIT})
HOLD_SECONDS = {AUTH: 300, NOT_CONFIGURED: 300, RATE_LIMIT: 5}


class Batch:
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
        self._erasures()
        leads = self._live_leads()
        if leads:
            self.sync(leads)
        for lead_id, events in self.by_lead.items():
            if lead_id in self.failed:
                for event in events:
                    self.fail(event, self.failed[lead_id])
            else:
                self.done(events)

    def _erasures(self) -> None:
        """Send the GDPR deletions first; their payloads are emptied once delivered."""
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

    def _live_leads(self) -> dict[int, Lead]:
        """Return the leads to send; events whose lead is gone or erased are done."""
        ids = [lead_id for lead_id in self.by_lead if lead_id is not None]
        leads = {
            lead.id: lead
            for lead in db.session.scalars(
                select(Lead)
                .where(Lead.id.in_(ids))
                .options(selectinload(Lead.inquiries), selectinload(Lead.countries))
            )
        }
        for lead_id, events in list(self.by_lead.items()):
            lead = leads.get(lead_id) if lead_id is not None else None
            if lead is None or not lead.email or lead.erased_at is not None:
                self.done(events)
                del self.by_lead[lead_id]
                if lead_id is not None:
                    leads.pop(lead_id, None)
        return leads

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
        inputs = {lead.id: pl.company_input(snaps[lead.id]) for lead in self._live(leads)}
        items = {k: v for k, v in inputs.items() if v is not None}
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
            undo=lambda lead: _forget_notes(new_notes[lead.id]),
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


def _forget_notes(inquiries: list) -> None:
    """Undo the note ids of a batch that failed: the notes are sent again next time."""
    for inquiry in inquiries:
        inquiry.crm_note_id = None
