"""The outbox vocabulary: which channels exist, which event kinds each carries, and their payloads.

Every producer queues through one ``enqueue_…`` function here and every consumer compares
against these enums, so an event's name and payload are written down once. The values are the
strings stored in ``outbox_events.channel`` / ``.kind`` (``StrEnum``: a member equals its value).

- ``crm`` ``lead.upserted`` / ``lead.stage_changed``: send the lead's current state (the relay
  reads the lead, not the payload). ``contact.erase``: a GDPR delete; the payload holds the
  email and/or CRM contact id until the relay delivers it and clears it.
- ``crm_inbound`` ``hubspot.webhook`` / ``hubspot.pull``: a change made in HubSpot, as a
  webhook reported it or the pull found it (``leads.crm.intake``: payload ``type``,
  ``object_id``, ``occurred_at`` and what the change is); applied by the CRM worker.
- ``mail`` ``team.notification`` / ``investor.acknowledgement`` / ``investor.report`` /
  ``investor.estimate``: one message about one inquiry (payload ``inquiry_id``; the report mail
  adds ``promised``). Which investor mail an inquiry gets depends on its kind (``INVESTOR_MAILS``);
  the acknowledgement is the investor's first reply, from the lead's owner.
- ``mail`` ``staff.owner_notice`` ("a lead is assigned to you") / ``staff.shared_notice`` (FYI
  to a person of an organisation the lead is shared with): payload ``inquiry_id`` (or None) and
  ``staff_id``; the person's notice setting is read again when the mail is sent.
  ``staff.digest``: the day's leads of one person who chose the daily digest (payload
  ``staff_id``, ``lead_ids``, ``since``). ``staff.reminders``: an owner's daily follow-up digest
  (payload ``digest_id``).
- ``crm`` ``lead.introduction``: a step of an introduction to a partner was recorded (payload
  ``step_id``); the relay sends the lead with each step not yet in the CRM as a note on the
  contact (never a deal: that waits for qualification).
- ``mail`` ``investor.check_in``: a check-in with a silent investor who agreed to updates
  (payload ``check_in_id``).
- ``mail`` ``staff.plan_message``: the investor wrote from their plan page; the owner (else the
  team) is told (payload ``message_id``). ``investor.plan_link``: a new plan link the investor
  asked for at ``/plan/`` (no payload: the link is made when the mail is sent).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypedDict

from leads.models import OutboxEvent
from leads.queue import outbox


class Channel(StrEnum):
    CRM = "crm"
    CRM_INBOUND = "crm_inbound"
    MAIL = "mail"


class Kind(StrEnum):
    LEAD_UPSERTED = "lead.upserted"
    LEAD_STAGE_CHANGED = "lead.stage_changed"
    CONTACT_ERASE = "contact.erase"
    HUBSPOT_WEBHOOK = "hubspot.webhook"
    HUBSPOT_PULL = "hubspot.pull"
    TEAM_NOTIFICATION = "team.notification"
    ACKNOWLEDGEMENT = "investor.acknowledgement"
    REPORT_DELIVERY = "investor.report"
    ESTIMATE_DELIVERY = "investor.estimate"
    OWNER_NOTICE = "staff.owner_notice"
    SHARED_NOTICE = "staff.shared_notice"
    STAFF_DIGEST = "staff.digest"
    REMINDER_DIGEST = "staff.reminders"
    CHECK_IN = "investor.check_in"
    INTRODUCTION_STEP = "lead.introduction"
    PLAN_MESSAGE = "staff.plan_message"
    PLAN_LINK = "investor.plan_link"


MAIL_KINDS = (
    Kind.TEAM_NOTIFICATION,
    Kind.ACKNOWLEDGEMENT,
    Kind.REPORT_DELIVERY,
    Kind.ESTIMATE_DELIVERY,
    Kind.OWNER_NOTICE,
    Kind.SHARED_NOTICE,
    Kind.STAFF_DIGEST,
    Kind.REMINDER_DIGEST,
    Kind.CHECK_IN,
    Kind.PLAN_MESSAGE,
    Kind.PLAN_LINK,
)
STAFF_NOTICES = (Kind.OWNER_NOTICE, Kind.SHARED_NOTICE)
# The investor's mail by inquiry kind; every other kind gets the acknowledgement.
INVESTOR_MAILS = {"report": Kind.REPORT_DELIVERY, "estimate": Kind.ESTIMATE_DELIVERY}
# Sent before any other mail: the investor's first reply (the acknowledgement), the report and
# the estimate an investor asked for. Staff notices and digests can wait a minute; they cannot.
INVESTOR_FIRST = (Kind.ACKNOWLEDGEMENT, Kind.REPORT_DELIVERY, Kind.ESTIMATE_DELIVERY)


class InquiryPayload(TypedDict):
    inquiry_id: int


class StaffNoticePayload(TypedDict):
    inquiry_id: int | None
    staff_id: int


class DigestPayload(TypedDict):
    staff_id: int
    lead_ids: list[int]
    since: str  # ISO 8601, UTC


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


def enqueue_investor_mail(lead_id: int, inquiry_id: int, inquiry_kind: str) -> OutboxEvent:
    """Queue the investor's mail about an inquiry: report, estimate, or the acknowledgement."""
    kind = INVESTOR_MAILS.get(inquiry_kind, Kind.ACKNOWLEDGEMENT)
    return _about_inquiry(Channel.MAIL, kind, lead_id, inquiry_id, f"mail:investor:{inquiry_id}")


def enqueue_owner_notice(lead_id: int, inquiry_id: int | None, staff_id: int) -> OutboxEvent:
    """Queue "a lead is assigned to you" for its new owner (caller commits)."""
    payload: StaffNoticePayload = {"inquiry_id": inquiry_id, "staff_id": staff_id}
    key = f"mail:owner:{lead_id}:{inquiry_id or 0}:{staff_id}"
    return outbox.enqueue(
        Channel.MAIL, Kind.OWNER_NOTICE, lead_id=lead_id, payload=dict(payload), dedupe_key=key
    )


def enqueue_shared_notice(
    lead_id: int, inquiry_id: int | None, organisation_id: int, staff_id: int
) -> OutboxEvent:
    """Queue an FYI for one person of an organisation the lead is shared with (caller commits)."""
    payload: StaffNoticePayload = {"inquiry_id": inquiry_id, "staff_id": staff_id}
    key = f"mail:shared:{lead_id}:{organisation_id}:{staff_id}"
    return outbox.enqueue(
        Channel.MAIL, Kind.SHARED_NOTICE, lead_id=lead_id, payload=dict(payload), dedupe_key=key
    )


def enqueue_staff_digest(staff_id: int, lead_ids: list[int], since: str, day: str) -> OutboxEvent:
    """Queue one person's digest of new leads (caller commits)."""
    payload: DigestPayload = {"staff_id": staff_id, "lead_ids": lead_ids, "since": since}
    return outbox.enqueue(
        Channel.MAIL,
        Kind.STAFF_DIGEST,
        payload=dict(payload),
        dedupe_key=f"mail:digest:{staff_id}:{day}",
    )


def enqueue_reminder_digest(staff_id: int, digest_id: int, day: str) -> OutboxEvent:
    """Queue an owner's follow-up digest of one day (once per owner and day; caller commits)."""
    key = f"mail:reminders:{staff_id}:{day}"
    payload = {"digest_id": digest_id}
    return outbox.enqueue(Channel.MAIL, Kind.REMINDER_DIGEST, payload=payload, dedupe_key=key)


def enqueue_introduction_step(lead_id: int, step_id: int) -> OutboxEvent:
    """Queue a recorded introduction step for the CRM, as a note on the contact (caller commits)."""
    key = f"crm:introduction:{step_id}"
    return outbox.enqueue(
        Channel.CRM,
        Kind.INTRODUCTION_STEP,
        lead_id=lead_id,
        payload={"step_id": step_id},
        dedupe_key=key,
    )


def enqueue_check_in(lead_id: int, check_in_id: int) -> OutboxEvent:
    """Queue a check-in mail to a silent investor (caller commits)."""
    key = f"mail:check-in:{check_in_id}"
    payload = {"check_in_id": check_in_id}
    return outbox.enqueue(
        Channel.MAIL, Kind.CHECK_IN, lead_id=lead_id, payload=payload, dedupe_key=key
    )


def enqueue_plan_message(lead_id: int, message_id: int) -> OutboxEvent:
    """Queue the owner's notice of a message the investor sent from the plan (caller commits)."""
    key = f"mail:plan-message:{message_id}"
    payload = {"message_id": message_id}
    return outbox.enqueue(
        Channel.MAIL, Kind.PLAN_MESSAGE, lead_id=lead_id, payload=payload, dedupe_key=key
    )


def enqueue_plan_link(lead_id: int) -> OutboxEvent:
    """Queue a mail with the investor's plan link, asked for at ``/plan/`` (caller commits)."""
    return outbox.enqueue(Channel.MAIL, Kind.PLAN_LINK, lead_id=lead_id)
