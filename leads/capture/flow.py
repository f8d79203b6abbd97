"""The one flow every lead form goes through: screen, store, thank.

A view builds its form and says how to turn it into a ``Submission``; ``handle`` does the
rest, the same way for every form:

1. GET: the form is shown with a fresh signed render time.
2. POST: the CSRF token is checked (an expired one shows the form again with the input
   kept; a bad one is refused with 400). Bot screening follows (``leads.capture.spam``): a
   filled honeypot (or no render time at all) is thanked and nothing is stored; a post sooner
   than ``FORM_MIN_SECONDS`` after the form was *first* rendered comes back with everything
   typed and a short note to check it and send it again: a quick person (autofill, a returning
   visitor) sends it again and is stored, a bot that posts once stores nothing. The re-shown
   form keeps its first render time, so the second send counts from the first render. An
   expired or foreign render time shows the form again. Then the form validates.
3. The submission is recorded in one transaction (``record_submission``). If the database
   is unreachable the form comes back with 503, everything typed and a note to send it again
   in a minute: nothing is acknowledged that is not stored.
4. Stored, or dropped as a bot: a 303 to the form's thank-you page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace

from flask import current_app, redirect, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, validate_csrf
from sqlalchemy.exc import DBAPIError
from wtforms.validators import ValidationError

from core.extensions import db
from core.i18n import current_lang
from leads import choices
from leads.capture import content, promise
from leads.capture.attribution import current_attribution
from leads.capture.forms import BotTrapForm
from leads.capture.service import ConsentProof, Submission, record_submission
from leads.capture.spam import (
    RENDER_EXPIRED,
    TOO_FAST,
    bot_reason,
    log_dropped,
    log_held,
    remember_render,
    sign_render_time,
)
from leads.choices import UNDECIDED

log = logging.getLogger(__name__)

# flask_wtf's messages for a token that is merely stale (the page was open too long, or the
# browser dropped the session cookie); any other failure is refused outright.
_STALE_CSRF = ("The CSRF token has expired.", "The CSRF session token is missing.")
_NOT_ANSWERS = frozenset({"csrf_token", "homepage", "rendered_at"})


def handle(
    name: str,
    form: BotTrapForm,
    submission: Callable[[], Submission],
    *,
    thanks: str,
    template: str,
    context: Callable[[], dict] | None = None,
    on_thanks: Callable[[], None] | None = None,
):
    """Answer one request of a lead form: show it, or screen, store and thank.

    ``name`` names the form in its render token and the log; ``submission`` builds what is
    stored from the validated form; ``context`` gives the rest of the page when the form is
    shown; ``on_thanks`` runs before the redirect to ``thanks``.
    """
    action, note = screen(name, form)
    status = 200
    if action == "save":
        action, note, status = store(name, form, submission)
    if action in ("save", "bot"):
        if on_thanks is not None:
            on_thanks()
        return redirect(thanks, code=303)
    extra = context() if context is not None else {}
    return render_template(template, form=form, note=note, **extra), status


# -- screening -------------------------------------------------------------------------------
class StaleToken(Exception):
    """The CSRF token was genuine but too old: show the form again with the input kept."""


def check_csrf() -> None:
    """Refuse a post without a valid CSRF token; raise StaleToken when it merely expired."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError as exc:
        if str(exc) in _STALE_CSRF:
            raise StaleToken from exc
        raise CSRFError(str(exc)) from exc


def stale_note() -> str:
    """Return the note above a form sent back because its page was open too long."""
    return _(
        "This page was open for a while, so for your security we need you to send the "
        "form again. Everything you typed is still here."
    )


def fresh_render_token(form_name: str, form: BotTrapForm) -> None:
    """Give the form a new signed render time, in the hidden field and the session."""
    token = sign_render_time(form_name)
    remember_render(form_name, token)
    form.rendered_at.data = token


def screen(form_name: str, form: BotTrapForm) -> tuple[str, str | None]:
    """Screen a request: ("show"|"save"|"bot", note). Raises CSRFError on a bad token."""
    if request.method != "POST":
        fresh_render_token(form_name, form)
        return "show", None
    try:
        check_csrf()
    except StaleToken:
        return "show", stale_note()
    reason = bot_reason(form_name, request.form)
    if reason == RENDER_EXPIRED:
        fresh_render_token(form_name, form)
        form.validate()  # show any mistakes too, beside their fields
        return "show", stale_note()
    if reason == TOO_FAST:
        # The hidden field keeps the posted (first) render time: no fresh token here.
        log_held(form_name)
        form.validate()  # show any mistakes too, beside their fields
        return "show", quick_note()
    if reason is not None:
        log_dropped(form_name, reason)
        return "bot", None
    return ("save" if form.validate() else "show"), None


def quick_note() -> str:
    """Return the note above a form sent back because it came back very quickly."""
    return _("Please check your details and send the form again.")


# -- storing ---------------------------------------------------------------------------------
def store(
    form_name: str, form: BotTrapForm, build: Callable[[], Submission]
) -> tuple[str, str | None, int]:
    """Record ``build()``; if the database is unreachable, keep the form for another try.

    Nothing typed is lost: the form comes back (503) with every value and a fresh render
    token, and a note asking the visitor to send it again in a minute. (No local spool: a lead
    is acknowledged only once it is in the database.)
    """
    try:
        promise.remember(record_submission(build()))
    except DBAPIError as exc:  # the message holds the typed values: log the kind only
        log.error("lead form %s not stored, database unavailable: %s", form_name, type(exc.orig))
        with suppress(DBAPIError):
            db.session.rollback()
        fresh_render_token(form_name, form)
        return "show", unavailable_note(), 503
    return "save", None, 200


def unavailable_note() -> str:
    """Return the note above a form that could not be stored because the database is down."""
    return _(
        "We could not save your message just now because of a problem on our side. "
        "Everything you typed is still here: please send the form again in a minute."
    )


# -- what a validated form becomes -----------------------------------------------------------
def answers_of(form: BotTrapForm) -> dict:
    """Return the form as typed, for the inquiry's record."""
    return {
        name: f.data
        for name, f in form._fields.items()
        if name not in _NOT_ANSWERS and f.data not in (None, "", [])
    }


def chosen_countries(values: list[str] | None) -> tuple[str, ...]:
    """Return the countries chosen; none (or only "not decided yet") means undecided."""
    real = tuple(v for v in dict.fromkeys(values or ()) if v != UNDECIDED)
    return real or (UNDECIDED,)


def consent_proof(purpose: str, form_name: str) -> ConsentProof:
    """Return the consent record of this request: notice version and hash, form, page."""
    notice = content.privacy_notice(current_lang())
    return ConsentProof(
        purpose=purpose,
        notice_version=notice.version,
        notice_hash=notice.sha256,
        form=form_name,
        page=request.path,
    )


def contact_core(form: BotTrapForm) -> dict:
    """Return the lead fields every form with the contact core provides."""
    return {
        "full_name": form.full_name.data,
        "company": form.company.data,
        "job_title": form.job_title.data or "",
        "phone": form.phone.data or "",
        "preferred_language": form.preferred_language.data,
    }


def optional_consents(form: BotTrapForm, form_name: str) -> tuple[ConsentProof, ...]:
    """Return the separate, optional purposes the person ticked (check-ins and updates)."""
    updates = getattr(form, "updates", None)
    if updates is None or not updates.data:
        return ()
    proof = consent_proof(choices.UPDATES, form_name)
    return (replace(proof, method="separate optional unticked checkbox, web form"),)


def submission(
    kind: str,
    form: BotTrapForm,
    consent: ConsentProof,
    *,
    extra_answers: dict | None = None,
    **fields,
) -> Submission:
    """Build the submission of a validated form (``extra_answers`` join what was typed)."""
    return Submission(
        kind=kind,
        email=form.email.data,
        consent=consent,
        extra_consents=optional_consents(form, consent.form),
        answers={**answers_of(form), **(extra_answers or {})},
        attribution=current_attribution(),
        lang=current_lang(),
        page=request.path,
        **fields,
    )


# -- thanks ----------------------------------------------------------------------------------
def thanks_context() -> dict:
    """Return what every thank-you page says about the response time."""
    days = current_app.config["RESPONSE_WORKING_DAYS"]
    return {"days": days, "due": promise.promised_due()}
