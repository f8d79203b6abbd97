"""The reply promise on the thank-you page: the due time stored with the visitor's lead.

The deadline is computed once, when the inquiry is stored (``qualification.response_due``,
working days in the region's time zone), and kept on the lead; the first reply and the staff
pages read it from there. The thank-you page comes after a redirect, so the form remembers the
stored deadline in the session for it (a page the cache never keeps: form pages are
``no-store``). Without one (a bot's post thanked and dropped, an expired session) the page shows
the deadline an inquiry sent now would get.
"""

from __future__ import annotations

import datetime as dt

from flask import session

from leads.capture.service import Recorded
from leads.lifecycle.qualification import response_due
from leads.models import utcnow

SESSION_KEY = "reply_due"


def remember(recorded: Recorded) -> None:
    """Keep the stored deadline of the visitor's lead for the thank-you page."""
    if recorded.response_due_at is not None:
        session[SESSION_KEY] = recorded.response_due_at.isoformat()


def promised_due() -> dt.datetime:
    """Return the deadline to show on the thank-you page (naive UTC)."""
    stored = session.get(SESSION_KEY)
    if isinstance(stored, str):
        try:
            return dt.datetime.fromisoformat(stored)
        except ValueError:
            pass
    return response_due(utcnow())
