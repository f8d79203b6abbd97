"""The outbox vocabulary: which channels exist, which event kinds each carries, and their payloads.

Every producer queues through one ``enqueue_…`` function here and every consumer compares
against these enums, so an event's name and payload are written down once. The values are the
strings stored in ``outbox_events.channel`` / ``.kind`` (``StrEnum``: a member equals its value).

- ``crm`` ``lead.upserted`` / ``lead.stage_changed``: send the lead's current state (the relay
  reads the lead, not the payload). ``contact.erase``: a GDPR delete; the payload holds the
  email and/or CRM contact id until the relay delivers it and clears it.
- ``mail`` ``team.notification`` / ``investor.acknowledgement`` / ``investor.report``: one
  message about one inquiry (payload ``inquiry_id``; the report mail adds ``promised``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypedDict

from leads import outbox
from leads.models import OutboxEvent


class Channel(StrEnum):
    CRM = "crm"
    MAIL = "mail"


class Kind(StrEnum):
    LEAD_UPSERTED = "lead.upserted"
    LEAD_STAGE_CHANGED = "lead.stage_changed"
    CONTACT_ERASE = "contact.erase"
    TEAM_NOTIFICATION = "team.notification"
    ACKNOWLEDGEMENT = "investor.acknowledgement"
    REPORT_DELIVERY = "investor.report"


MAIL_KINDS = (Kind.TEAM_NOTIFICATION, Kind.ACKNOWLEDGEMENT, Kind.REPORT_DELIVERY)


class InquiryPayload(TypedDict):
    inquiry_id: int


class ErasurePayload(TypedDict, total=False):
    email: str
    crm_contact_id: str


def _about_inquiry(channel: Channel, kind: Kind, lead_id: int, inquiry_id: int, dedupe_key: str):
    payload: InquiryPayload = {"inquiry_id": inquiry_id}
    return outbox.enqueue(
        channel, kind, lead_id=lead_id, payload=dict(payload), dedupe_key=dedupe_key
    )


def enqueue_lead_upserted(lead_id: int, inquiry_id: int | None = None) -> OutboxEvent:
    """Queue a lead's current state for the CRM, after an inquiry or on its own (caller commits)."""
    if inquiry_id is None:
        return outbox.enqueue(Channel.CRM, Kind.LEAD_UPSERTED, lead_id=lead_id)
    key = f"crm:lead.upserted:{inquiry_id}"
    return _about_inquiry(Channel.CRM, Kind.LEAD_UPSERTED, lead_id, inquiry_id, key)


def enqueue_stage_changed(lead_id: int) -> OutboxEvent:
    """Queue a lead whose stage changed; the relay sends its stage as it is then."""
    return outbox.enqueue(Channel.CRM, Kind.LEAD_STAGE_CHANGED, lead_id=lead_id)


def enqueue_erasure(
    lead_id: int | None, email: str | None, contact_id: str | None = None
) -> OutboxEvent:
    """Cancel the person's pending CRM events and queue a GDPR delete (caller commits)."""
    if lead_id is not None:
        outbox.cancel_for_lead(lead_id, Channel.CRM)
    payload: ErasurePayload = {"email": email} if email else {}
    if contact_id:
        payload["crm_contact_id"] = contact_id
    return outbox.enqueue(Channel.CRM, Kind.CONTACT_ERASE, lead_id=lead_id, payload=dict(payload))


def enqueue_team_notification(lead_id: int, inquiry_id: int) -> OutboxEvent:
    """Queue the team's mail about a new inquiry (caller commits)."""
    key = f"mail:team:{inquiry_id}"
    return _about_inquiry(Channel.MAIL, Kind.TEAM_NOTIFICATION, lead_id, inquiry_id, key)


def enqueue_investor_mail(lead_id: int, inquiry_id: int, *, report: bool) -> OutboxEvent:
    """Queue the investor's acknowledgement, or the report mail for a report request."""
    kind = Kind.REPORT_DELIVERY if report else Kind.ACKNOWLEDGEMENT
    return _about_inquiry(Channel.MAIL, kind, lead_id, inquiry_id, f"mail:investor:{inquiry_id}")
