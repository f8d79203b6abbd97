"""The plan's roadshow meeting as an iCalendar file (RFC 5545, METHOD:PUBLISH, with VTIMEZONE).

PUBLISH, not REQUEST: the file is for the investor's own calendar and asks nobody to answer
(the invitation itself, where one is sent, comes by mail). The start and end carry the time
zone of the venue, and ``add_missing_timezones`` writes the VTIMEZONE they name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from icalendar import Calendar, Event

PRODID = "-//Western Balkans Outsourcing gateway//Plan//EN"


@dataclass(frozen=True)
class PlanMeeting:
    """A roadshow meeting as the plan shows it."""

    uid: str
    title: str  # the event
    starts: dt.datetime  # aware, in the venue's time zone
    minutes: int
    location: str
    time_zone: str

    @property
    def ends(self) -> dt.datetime:
        """Return when the meeting ends (aware)."""
        return self.starts + dt.timedelta(minutes=self.minutes)


def meeting_ics(meeting: PlanMeeting, now: dt.datetime | None = None) -> bytes:
    """Return the meeting as an iCalendar file to add to a calendar."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", now or dt.datetime.now(dt.UTC))
    event.add("dtstart", meeting.starts)
    event.add("dtend", meeting.ends)
    event.add("summary", meeting.title)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("status", "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
