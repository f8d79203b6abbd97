"""Introductions to partners: which partner an investor asked for, and what came of it.

An ``Introduction`` is one partner (a ``content/partners/<slug>.md`` entry) for one lead; its
``steps`` are what the chapter recorded, in order (introduced, then meeting held, contract
signed or no fit). Each step becomes a note on the contact in the CRM (``crm_note_id``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import Model
from leads.models import Lead, Organisation, StaffUser, utcnow


class IntroStatus(StrEnum):
    """Where an introduction stands: asked for, made, and how it ended."""

    REQUESTED = "requested"
    INTRODUCED = "introduced"
    MEETING_HELD = "meeting_held"
    CONTRACT_SIGNED = "contract_signed"
    NO_FIT = "no_fit"


OUTCOMES = (IntroStatus.MEETING_HELD, IntroStatus.CONTRACT_SIGNED, IntroStatus.NO_FIT)
"""What may be recorded once the introduction is made."""


class Introduction(Model):
    """One partner a lead asked to be introduced to (or the chapter chose), and its status."""

    __tablename__ = "introductions"
    __table_args__ = (
        UniqueConstraint("lead_id", "partner_slug", name="uq_introductions_lead_partner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id", ondelete="SET NULL"))
    # The partner as listed when asked: its slug, kind and first country (the directory may
    # change later; the counts keep what the introduction was).
    partner_slug: Mapped[str] = mapped_column(String(120))
    partner_name: Mapped[str] = mapped_column(String(200), default="")
    partner_kind: Mapped[str] = mapped_column(String(32), default="")
    partner_country: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[str] = mapped_column(String(16), default=IntroStatus.REQUESTED.value)
    # The organisation (chapter, or the regional body) that made the introduction.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    introduced_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lead: Mapped[Lead] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    steps: Mapped[list[IntroductionStep]] = relationship(
        back_populates="introduction",
        order_by="IntroductionStep.id",
        cascade="all, delete-orphan",
    )


class IntroductionStep(Model):
    """One recorded step of an introduction: what happened, on which day, who recorded it."""

    __tablename__ = "introduction_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(
        ForeignKey("introductions.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    happened_on: Mapped[dt.date]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    crm_note_id: Mapped[str | None] = mapped_column(String(32))

    introduction: Mapped[Introduction] = relationship(back_populates="steps")
    actor: Mapped[StaffUser | None] = relationship()
