"""The investor's plan: the messages they sent from it and the next steps agreed with them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import Model
from leads.models import Lead, StaffUser, utcnow


class PlanMessage(Model):
    """A message the investor wrote on their plan page (shown on the lead's timeline)."""

    __tablename__ = "plan_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    lead: Mapped[Lead] = relationship()


class PlanStep(Model):
    """A next step agreed with the investor, written by staff for the investor to read.

    Separate from staff's own next step: this list is what the plan page shows.
    """

    __tablename__ = "plan_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[dt.date | None]
    done: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    author: Mapped[StaffUser | None] = relationship()
