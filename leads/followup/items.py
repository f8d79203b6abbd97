"""What an owner has to follow up today: the sections of the reminder digest and the dashboard.

``owner_items`` is the one definition; the daily digest mails it and the dashboard shows it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from leads.common.overdue import is_overdue
from leads.followup import timing
from leads.lifecycle import referrals
from leads.lifecycle.stages import CLOSED, Stage
from leads.models import Lead, StaffUser

LAND_WINDOW_DAYS = 30  # expected land dates this close are in the digest


class Section(StrEnum):
    """A section of the reminder digest, in the order it is shown."""

    OVERDUE = "overdue"
    QUIET = "quiet"
    LANDING = "landing"
    REFERRALS = "referrals"
    OUTCOMES = "outcomes"
    AFTERCARE = "aftercare"


SECTION_LABELS = {
    Section.OVERDUE: _l("First responses overdue"),
    Section.QUIET: _l("No activity for %(days)d days"),
    Section.LANDING: _l("Expected to land within %(days)d days"),
    Section.REFERRALS: _l("Referrals waiting for an answer"),
    Section.OUTCOMES: _l("Outcomes to complete"),
    Section.AFTERCARE: _l("Aftercare check-ins due"),
}


def section_label(section: Section) -> str:
    """Return a section's heading, with its number of days where it has one."""
    days = {
        Section.QUIET: current_app.config["FOLLOW_UP_DAYS"],
        Section.LANDING: LAND_WINDOW_DAYS,
    }.get(section)
    label = SECTION_LABELS[section]
    return str(label % {"days": days} if days is not None else label)


def _open_leads(staff: StaffUser) -> list[Lead]:
    return list(
        db.session.scalars(
            select(Lead)
            .where(Lead.owner_id == staff.id, Lead.erased_at.is_(None))
            .options(selectinload(Lead.countries))
            .order_by(Lead.created_at)
        )
    )


def aftercare_item(lead_timing: timing.LeadTiming, today: dt.date) -> str | None:
    """Return the aftercare check-in due for a won lead ("3 months"), or None."""
    landed = timing.landed_on(lead_timing)
    if landed is None:
        return None
    done = lead_timing.steps.get(timing.Step.AFTERCARE)
    due_now = None
    for months, due in timing.aftercare_due(landed):
        if due <= today and (done is None or done.date() < due):
            due_now = months
    return str(_l("%(months)d months after landing", months=due_now)) if due_now else None


def owner_items(staff: StaffUser, now: dt.datetime) -> dict[Section, list[tuple[Lead, str]]]:
    """Return what an owner has to follow up, by section: (lead, why); no empty sections."""
    quiet_days = current_app.config["FOLLOW_UP_DAYS"]
    quiet_since = now - dt.timedelta(days=quiet_days)
    leads = _open_leads(staff)
    today = now.date()
    items: dict[Section, list[tuple[Lead, str]]] = {section: [] for section in Section}
    won = [lead for lead in leads if lead.stage == Stage.WON.value]
    timings = {t.lead_id: t for t in timing.lead_timings(won)}
    for lead in leads:
        if lead.stage in CLOSED:
            if lead.outcome_to_complete:
                items[Section.OUTCOMES].append((lead, str(_l("closed without its outcome"))))
            if lead.stage == Stage.WON.value:
                why = aftercare_item(timings[lead.id], today)
                if why:
                    items[Section.AFTERCARE].append((lead, why))
            continue
        if is_overdue(lead, now):
            due = lead.response_due_at
            items[Section.OVERDUE].append((lead, str(_l("due %(day)s", day=f"{due:%Y-%m-%d}"))))
        elif lead.last_activity_at is not None and lead.last_activity_at <= quiet_since:
            idle = (now - lead.last_activity_at).days
            items[Section.QUIET].append((lead, str(_l("quiet for %(days)d days", days=idle))))
        land = lead.expected_land_date
        if land is not None and today <= land <= today + dt.timedelta(days=LAND_WINDOW_DAYS):
            items[Section.LANDING].append((lead, str(_l("expected %(day)s", day=land.isoformat()))))
    for referral in referrals.pending_for(staff.organisation):
        waiting = (now - referral.created_at).days
        why = _l(
            "from %(org)s, waiting %(days)d days", org=referral.from_organisation.name, days=waiting
        )
        items[Section.REFERRALS].append((referral.lead, str(why)))
    return {section: rows for section, rows in items.items() if rows}


def snapshot(items: dict[Section, list[tuple[Lead, str]]]) -> list[dict]:
    """Return the items as stored with a digest: section, lead id and why."""
    return [
        {"section": section.value, "lead_id": lead.id, "why": why}
        for section, rows in items.items()
        for lead, why in rows
    ]
