"""What follow-up has done: the reminder digest each owner got each day, and check-ins sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import Model
from leads.models import Lead, StaffUser, utcnow


class ReminderDigest(Model):
    """One owner's reminder digest of one day: what it held, and whether it was queued.

    The unique (staff, day) pair is what makes ``flask leads remind`` idempotent per day.
    """

    __tablename__ = "reminder_digests"
    __table_args__ = (UniqueConstraint("staff_id", "day", name="uq_reminder_digests_staff_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"))
    day: Mapped[dt.date]
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # section, lead_id
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | skipped
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    staff: Mapped[StaffUser] = relationship()


class CheckIn(Model):
    """A check-in mail to a silent investor who agreed to updates (at most two per lead)."""

    __tablename__ = "check_ins"
    __table_args__ = (UniqueConstraint("lead_id", "number", name="uq_check_ins_lead_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    number: Mapped[int]  # 1 or 2
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Set when its unsubscribe link is used: a link works once.
    unsubscribed_at: Mapped[dt.datetime | None]

    lead: Mapped[Lead] = relationship()
    staff: Mapped[StaffUser | None] = relationship()
