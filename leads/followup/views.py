"""``/unsubscribe/<token>``: GET asks to confirm, POST unsubscribes from check-ins (one click).

The POST is CSRF-exempt: a mail client's one-click request (RFC 8058) carries no token. The
signed, single-use token in the address is what makes it safe; a forged or used one changes
nothing and the page says so.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from core.i18n import localized_route
from leads.followup.checkins import Outcome, check_token, unsubscribe

bp = Blueprint("followup", __name__, template_folder="../templates")

STATUS = {Outcome.VALID: 200, Outcome.USED: 409, Outcome.INVALID: 400}


@localized_route(bp, "/unsubscribe/<token>", methods=["GET"])
def unsubscribe_confirm(token: str):
    """Show what the link does and a button to confirm (or why it does nothing)."""
    outcome, _check_in = check_token(token)
    page = render_template("leads/followup/unsubscribe.html", outcome=outcome.value, done=False)
    return page, STATUS[outcome], {"Cache-Control": "no-store"}


@localized_route(bp, "/unsubscribe/<token>", methods=["POST"], endpoint="unsubscribe")
def unsubscribe_post(token: str):
    """Unsubscribe from check-ins: append the withdrawal to the consent record."""
    outcome, _check_in = unsubscribe(token)
    page = render_template("leads/followup/unsubscribe.html", outcome=outcome.value, done=True)
    return page, STATUS[outcome], {"Cache-Control": "no-store"}
