"""Where the investor's request stands, in their words, from the lead's stage and first response."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from leads.lifecycle.stages import CLOSED, Stage


class Status(StrEnum):
    """The steps an investor sees, in order."""

    RECEIVED = "received"
    ASSIGNED = "assigned"
    ANSWERED = "answered"
    MEETING = "meeting"
    VISIT = "visit"
    CLOSED = "closed"


STATUS_LABELS = {
    Status.RECEIVED: _l("Request received"),
    Status.ASSIGNED: _l("Adviser assigned"),
    Status.ANSWERED: _l("Answered"),
    Status.MEETING: _l("Meeting agreed"),
    Status.VISIT: _l("Visit planned"),
    Status.CLOSED: _l("Closed"),
}
# The steps shown in a row; "closed" replaces the row's end when it is reached.
PATH = (Status.RECEIVED, Status.ASSIGNED, Status.ANSWERED, Status.MEETING, Status.VISIT)
ANSWERED_STAGES = frozenset({Stage.CONTACTED, Stage.QUALIFIED, Stage.MEETING, Stage.SITE_VISIT})


@dataclass(frozen=True)
class StatusView:
    """The current status and each step of the path, reached or not."""

    current: Status
    steps: list[tuple[Status, bool]]


def status_of(
    stage: str, has_owner: bool, first_response: bool, meeting_confirmed: bool = False
) -> Status:
    """Return the investor's status of a lead (pure: its stage, owner and first response)."""
    if stage in CLOSED:
        return Status.CLOSED
    if stage == Stage.SITE_VISIT:
        return Status.VISIT
    if stage == Stage.MEETING or meeting_confirmed:
        return Status.MEETING
    if first_response or stage in ANSWERED_STAGES:
        return Status.ANSWERED
    if has_owner:
        return Status.ASSIGNED
    return Status.RECEIVED


def status_view(current: Status) -> StatusView:
    """Return the path with the steps up to ``current`` marked reached."""
    if current == Status.CLOSED:
        return StatusView(current, [(step, True) for step in PATH[:3]] + [(Status.CLOSED, True)])
    reached = PATH.index(current)
    return StatusView(current, [(step, index <= reached) for index, step in enumerate(PATH)])
