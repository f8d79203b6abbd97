"""Lead data: organisations, staff, leads, inquiries, consent, audit and the outbox."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import text as sa_text
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import Model
from leads.lifecycle.stages import Stage


def utcnow() -> dt.datetime:
    """Return the current time in UTC, without tzinfo (stored as UTC everywhere)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Organisation(Model):
    """An IPA, a national ABSL chapter, the regional ABSL body or the brand lead."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    country: Mapped[str] = mapped_column(String(32))  # a country slug, or "regional"
    kind: Mapped[str] = mapped_column(String(16))  # ipa | absl | regional | brand
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(default=True)
    # How many new leads the organisation has handed out automatically (round robin); bumped
    # under a row lock on the organisation, so concurrent inquiries never pick the same person.
    assigned_count: Mapped[int] = mapped_column(default=0, server_default="0")


class Notify(StrEnum):
    """How a staff member hears of new leads (assigned to them, or shared with their team)."""

    EACH = "each"  # an email for each new lead
    DIGEST = "digest"  # one email a day
    NONE = "none"  # no email; the lead list and dashboard only


class StaffUser(Model):
    """A staff account of an organisation."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(16))  # admin | coordinator | country
    active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(64))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_counter: Mapped[int | None]
    failed_logins: Mapped[int] = mapped_column(default=0)
    first_failed_at: Mapped[dt.datetime | None]
    locked_until: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    # Shown to investors in the first reply: "Jelena Petrović, Investment Adviser, RAS".
    display_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    job_title: Mapped[str] = mapped_column(String(120), default="", server_default="")
    # Takes part in the round robin of the organisation's new leads.
    available_for_leads: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    notify: Mapped[str] = mapped_column(
        String(16), default=Notify.EACH.value, server_default=Notify.EACH.value
    )
    # The organisation's round-robin counter when this person last got a new lead.
    last_assigned_seq: Mapped[int | None]

    organisation: Mapped[Organisation] = relationship()

    @property
    def name(self) -> str:
        """Return the name shown to investors and colleagues (the email when none is set)."""
        return self.display_name or self.email


class Lead(Model):
    """A person who asked us something, deduplicated by normalised email."""

    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)  # None once erased
    full_name: Mapped[str] = mapped_column(String(200), default="")
    company: Mapped[str] = mapped_column(String(200), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    company_website: Mapped[str] = mapped_column(String(300), default="")
    company_domain: Mapped[str] = mapped_column(String(255), default="")
    hq_country: Mapped[str] = mapped_column(String(2), default="")  # ISO 3166-1 alpha-2
    preferred_language: Mapped[str] = mapped_column(String(8), default="en")
    interest: Mapped[str] = mapped_column(String(16), default="unsure")
    source: Mapped[str] = mapped_column(String(16), default="inquiry")
    campaign: Mapped[str] = mapped_column(String(200), default="")
    stage: Mapped[str] = mapped_column(String(16), default=Stage.NEW.value, index=True)
    close_reason: Mapped[str | None] = mapped_column(String(32))
    score: Mapped[int] = mapped_column(default=0, index=True)
    high_value: Mapped[bool] = mapped_column(default=False)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_activity_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    response_due_at: Mapped[dt.datetime | None]
    first_response_at: Mapped[dt.datetime | None]
    erased_at: Mapped[dt.datetime | None]
    crm_contact_id: Mapped[str | None] = mapped_column(String(32))
    crm_company_id: Mapped[str | None] = mapped_column(String(32))
    crm_deal_id: Mapped[str | None] = mapped_column(String(32))
    crm_synced_at: Mapped[dt.datetime | None]
    # A later inquiry from the company of a won investment: its expansion (aftercare).
    expansion_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    # Qualification: the locations the investor weighs against us (``choices.RIVAL_LOCATIONS``),
    # how likely they are to land here (``choices.LIKELIHOODS``) and when.
    rivals: Mapped[list[str]] = mapped_column(JSON, default=list)
    likelihood: Mapped[str] = mapped_column(String(16), default="", server_default="")
    expected_land_date: Mapped[dt.date | None]
    # The outcome (``leads.lifecycle.outcomes``): won = country, jobs, investment, land date;
    # lost = the location chosen instead (and ``close_reason``).
    won_country: Mapped[str] = mapped_column(String(32), default="", server_default="")
    jobs_planned: Mapped[int | None]  # in the first two years
    investment_eur: Mapped[int | None]
    land_date: Mapped[dt.date | None]
    lost_to: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # The HubSpot owner id last seen on the lead's deal, and when the stage and the owner last
    # changed (here, or in HubSpot at the time HubSpot reports): an older change never wins.
    crm_owner_id: Mapped[str | None] = mapped_column(String(32))
    stage_changed_at: Mapped[dt.datetime | None]
    owner_changed_at: Mapped[dt.datetime | None]
    # Closed without the outcome fields the gateway asks for (a close reason; for won and lost
    # the ``leads.lifecycle.outcomes`` fields), e.g. in HubSpot: the owner is asked to complete
    # them.
    outcome_to_complete: Mapped[bool] = mapped_column(default=False)
    # The investor's plan link (``leads.plan.token``): its version (raised to revoke every
    # link sent so far) and the last mail carrying it or visit to it (the 180 days run from it).
    plan_version: Mapped[int] = mapped_column(default=1, server_default="1")
    plan_active_at: Mapped[dt.datetime | None]

    organisation: Mapped[Organisation | None] = relationship()
    owner: Mapped[StaffUser | None] = relationship()
    expansion_of: Mapped[Lead | None] = relationship(remote_side="Lead.id")
    countries: Mapped[list[LeadCountry]] = relationship(
        back_populates="lead", cascade="all, delete-orphan", order_by="LeadCountry.country"
    )
    inquiries: Mapped[list[Inquiry]] = relationship(
        back_populates="lead", cascade="all, delete-orphan", order_by="Inquiry.created_at"
    )
    consents: Mapped[list[ConsentRecord]] = relationship(
        back_populates="lead", cascade="all, delete-orphan", order_by="ConsentRecord.created_at"
    )
    shared_with: Mapped[list[LeadOrganisation]] = relationship(
        back_populates="lead", cascade="all, delete-orphan", order_by="LeadOrganisation.id"
    )
    referrals: Mapped[list[Referral]] = relationship(
        back_populates="lead", cascade="all, delete-orphan", order_by="Referral.id"
    )

    @property
    def country_slugs(self) -> list[str]:
        """Return the countries of interest (slugs, or "undecided")."""
        return [c.country for c in self.countries]


class LeadCountry(Model):
    """A country a lead is interested in (or "undecided")."""

    __tablename__ = "lead_countries"

    lead_id: Mapped[int] = mapped_column(
        ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True
    )
    country: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)

    lead: Mapped[Lead] = relationship(back_populates="countries")


class LeadRole(StrEnum):
    """What an organisation other than the owning one has to do with a lead."""

    INFORMED = "informed"  # told of the lead (e.g. the country's ABSL chapter); no ownership
    REFERRED_BY = "referred_by"  # owned the lead before it accepted a referral elsewhere


class LeadOrganisation(Model):
    """An organisation a lead is shared with, and in what role.

    The owning organisation stays ``Lead.organisation_id``; this table holds the others, as the
    routing decided them (``LeadRole.INFORMED``: the ABSL chapter of the lead's one country).
    Routing again replaces the rows of its roles. Notices use it today; staff access rules may
    read it ("which leads may this organisation see?") through
    ``leads.lifecycle.routing.shared_lead_ids``.
    """

    __tablename__ = "lead_organisations"
    __table_args__ = (
        UniqueConstraint("lead_id", "organisation_id", "role", name="uq_lead_organisations"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16), default=LeadRole.INFORMED.value)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    lead: Mapped[Lead] = relationship(back_populates="shared_with")
    organisation: Mapped[Organisation] = relationship()


class ReferralStatus(StrEnum):
    """Where a referral of a lead to another organisation stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Referral(Model):
    """The owning organisation hands a lead to another one, which accepts or declines.

    A lead has at most one pending referral: the database holds the rule (a partial unique
    index), so two concurrent "refer" posts cannot both store one.
    """

    __tablename__ = "referrals"
    __table_args__ = (
        Index(
            "uq_referrals_lead_pending",
            "lead_id",
            unique=True,
            sqlite_where=sa_text("status = 'pending'"),
            postgresql_where=sa_text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    from_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    to_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(
        String(16), default=ReferralStatus.PENDING.value, index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")  # why it was declined
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]

    lead: Mapped[Lead] = relationship(back_populates="referrals")
    from_organisation: Mapped[Organisation] = relationship(foreign_keys=[from_organisation_id])
    to_organisation: Mapped[Organisation] = relationship(foreign_keys=[to_organisation_id])
    created_by: Mapped[StaffUser | None] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[StaffUser | None] = relationship(foreign_keys=[decided_by_id])


class Inquiry(Model):
    """One submission of a lead form, with its answers and attribution."""

    __tablename__ = "inquiries"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # inquiry | meeting | report
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the form as typed
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    sector: Mapped[str] = mapped_column(String(16), default="")
    project_type: Mapped[str] = mapped_column(String(32), default="")
    headcount_band: Mapped[str] = mapped_column(String(16), default="")
    investment_band: Mapped[str] = mapped_column(String(16), default="")
    timeline: Mapped[str] = mapped_column(String(16), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    event_slug: Mapped[str] = mapped_column(String(120), default="", index=True)
    lang: Mapped[str] = mapped_column(String(8), default="en")
    page: Mapped[str] = mapped_column(String(500), default="")
    utm_source: Mapped[str] = mapped_column(String(200), default="")
    utm_medium: Mapped[str] = mapped_column(String(200), default="")
    utm_campaign: Mapped[str] = mapped_column(String(200), default="")
    utm_term: Mapped[str] = mapped_column(String(200), default="")
    utm_content: Mapped[str] = mapped_column(String(200), default="")
    referrer: Mapped[str] = mapped_column(String(500), default="")
    landing_page: Mapped[str] = mapped_column(String(500), default="")
    crm_note_id: Mapped[str | None] = mapped_column(String(32))

    lead: Mapped[Lead] = relationship(back_populates="inquiries")


class ConsentRecord(Model):
    """Proof of consent (GDPR Art. 7): what was shown, when, where and how. Append-only."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id", ondelete="SET NULL"))
    purpose: Mapped[str] = mapped_column(String(32))
    granted: Mapped[bool]  # False records a withdrawal
    notice_version: Mapped[str] = mapped_column(String(32))
    notice_hash: Mapped[str] = mapped_column(String(64))
    form: Mapped[str] = mapped_column(String(32))
    page: Mapped[str] = mapped_column(String(500), default="")
    method: Mapped[str] = mapped_column(String(64))  # e.g. "unticked checkbox, web form"
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    lead: Mapped[Lead] = relationship(back_populates="consents")


class Note(Model):
    """A staff note on a lead."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    author: Mapped[StaffUser | None] = relationship()


class AuditEntry(Model):
    """Who did what to which lead, when, from what to what, and why."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    action: Mapped[str] = mapped_column(String(48))
    from_value: Mapped[str] = mapped_column(String(200), default="")
    to_value: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[StaffUser | None] = relationship()


class OutboxEvent(Model):
    """A message to another system, written in the same transaction as the change it reports."""

    __tablename__ = "outbox_events"
    __table_args__ = (
        Index("ix_outbox_events_due", "channel", "status", "available_at"),
        UniqueConstraint("dedupe_key", name="uq_outbox_events_dedupe_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))  # crm | mail
    kind: Mapped[str] = mapped_column(String(48))
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    available_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[dt.datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    done_at: Mapped[dt.datetime | None]


class Setting(Model):
    """A value the app learns at run time (e.g. CRM pipeline stage ids)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
