"""Lead stages: the one place the qualification pipeline is defined."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Stage(StrEnum):
    """Where a lead stands in the qualification pipeline."""

    NEW = "new"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    MEETING = "meeting"
    SITE_VISIT = "site_visit"
    WON = "won"
    LOST = "lost"
    DISQUALIFIED = "disqualified"


PIPELINE: tuple[Stage, ...] = (
    Stage.NEW,
    Stage.CONTACTED,
    Stage.QUALIFIED,
    Stage.MEETING,
    Stage.SITE_VISIT,
    Stage.WON,
)
CLOSED: frozenset[Stage] = frozenset({Stage.WON, Stage.LOST, Stage.DISQUALIFIED})
NEEDS_REASON: frozenset[Stage] = frozenset({Stage.LOST, Stage.DISQUALIFIED})
QUALIFIED_STAGES: frozenset[Stage] = frozenset(
    {Stage.QUALIFIED, Stage.MEETING, Stage.SITE_VISIT, Stage.WON}
)

STAGE_LABELS = {
    Stage.NEW: _l("New"),
    Stage.CONTACTED: _l("Contacted"),
    Stage.QUALIFIED: _l("Qualified"),
    Stage.MEETING: _l("Meeting"),
    Stage.SITE_VISIT: _l("Site visit"),
    Stage.WON: _l("Investment won"),
    Stage.LOST: _l("Lost"),
    Stage.DISQUALIFIED: _l("Disqualified"),
}


class CloseReason(StrEnum):
    """Why a lead was lost or disqualified."""

    NO_RESPONSE = "no_response"
    CHOSE_OTHER_LOCATION = "chose_other_location"
    PROJECT_CANCELLED = "project_cancelled"
    BUDGET = "budget"
    TIMING = "timing"
    NOT_AN_INVESTOR = "not_an_investor"
    SPAM = "spam"
    DUPLICATE = "duplicate"
    OTHER = "other"


CLOSE_REASON_LABELS = {
    CloseReason.NO_RESPONSE: _l("No response from the investor"),
    CloseReason.CHOSE_OTHER_LOCATION: _l("Chose another location"),
    CloseReason.PROJECT_CANCELLED: _l("Project cancelled or postponed"),
    CloseReason.BUDGET: _l("Budget or cost"),
    CloseReason.TIMING: _l("Timing"),
    CloseReason.NOT_AN_INVESTOR: _l("Not an investor (e.g. job seeker, vendor)"),
    CloseReason.SPAM: _l("Spam"),
    CloseReason.DUPLICATE: _l("Duplicate"),
    CloseReason.OTHER: _l("Other"),
}
