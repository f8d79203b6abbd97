"""Views of the lead forms: thin wrappers over the forms and ``record_submission``."""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import replace

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, validate_csrf
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SelectChoice
from wtforms.validators import ValidationError

from core.countries import COUNTRY_SLUGS
from core.extensions import db, limiter
from core.formatting import date as fmt_date
from core.i18n import current_lang, localized_route
from gateway.content.urls import localise_path
from gateway.content_app import get_store
from gateway.costs import figures, method, present
from gateway.costs.form import MIX_LABELS, costs_form, query_of
from gateway.costs.form import country_choices as cost_country_choices
from leads import choices
from leads.capture import content, promise
from leads.capture.attribution import current_attribution
from leads.capture.estimate import SCENARIO_KEY, inquiry_fields
from leads.capture.forms import (
    EstimateForm,
    InquiryForm,
    MeetingForm,
    ReportForm,
    country_choices,
    hq_country_choices,
    options,
    website_host,
)
from leads.capture.service import ConsentProof, Submission, record_submission
from leads.capture.spam import (
    RENDER_EXPIRED,
    bot_reason,
    log_dropped,
    remember_render,
    sign_render_time,
)
from leads.choices import UNDECIDED

log = logging.getLogger(__name__)

bp = Blueprint("capture", __name__, template_folder="../templates")

# flask_wtf's messages for a token that is merely stale (the page was open too long, or the
# browser dropped the session cookie); any other failure is refused outright.
_STALE_CSRF = ("The CSRF token has expired.", "The CSRF session token is missing.")
_REPORT_SESSION_KEY = "report_requested"
_NOT_ANSWERS = frozenset({"csrf_token", "homepage", "rendered_at"})


def form_rate_limit() -> str:
    """Return the rate limit of the form posts (``FORM_RATE_LIMIT``)."""
    return current_app.config["FORM_RATE_LIMIT"]


# One budget per address across all lead forms: a spammer cannot rotate between them.
limit_posts = limiter.shared_limit(form_rate_limit, scope="lead-forms", methods=["POST"])


@bp.after_request
def _not_stored_by_caches(response):
    """Form pages carry a CSRF token and set the session cookie: no cache may keep them."""
    response.headers["Cache-Control"] = "no-store, private"
    return response


@bp.context_processor
def _form_helpers() -> dict:
    return {"privacy_url": privacy_url}


def privacy_url() -> str:
    """Return the address of the privacy notice in the current language."""
    if "public.privacy" in current_app.view_functions:
        return url_for("public.privacy")
    return localise_path("/privacy/", current_lang())


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


def fresh_render_token(form_name: str, form) -> None:
    """Give the form a new signed render time, in the hidden field and the session."""
    token = sign_render_time(form_name)
    remember_render(form_name, token)
    form.rendered_at.data = token


def screen(form_name: str, form) -> tuple[str, str | None]:
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
    if reason is not None:
        log_dropped(form_name, reason)
        return "bot", None
    return ("save" if form.validate() else "show"), None


def store(form_name: str, form, build) -> tuple[str, str | None, int]:
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


def answers_of(form) -> dict:
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


def contact_core(form) -> dict:
    """Return the lead fields every form with the contact core provides."""
    return {
        "full_name": form.full_name.data,
        "company": form.company.data,
        "job_title": form.job_title.data or "",
        "phone": form.phone.data or "",
        "preferred_language": form.preferred_language.data,
    }


def optional_consents(form, form_name: str) -> tuple[ConsentProof, ...]:
    """Return the separate, optional purposes the person ticked (check-ins and updates)."""
    updates = getattr(form, "updates", None)
    if updates is None or not updates.data:
        return ()
    proof = consent_proof(choices.UPDATES, form_name)
    return (replace(proof, method="separate optional unticked checkbox, web form"),)


def submission(kind: str, form, consent: ConsentProof, **fields) -> Submission:
    """Build the submission of a validated form."""
    return Submission(
        kind=kind,
        email=form.email.data,
        consent=consent,
        extra_consents=optional_consents(form, consent.form),
        answers=answers_of(form),
        attribution=current_attribution(),
        lang=current_lang(),
        page=request.path,
        **fields,
    )


def thanks_context() -> dict:
    """Return what every thank-you page says about the response time."""
    days = current_app.config["RESPONSE_WORKING_DAYS"]
    return {"days": days, "due": promise.promised_due()}


def render_form(template: str, form, note: str | None, status: int = 200, **context):
    """Render a form page with an optional note above it."""
    return render_template(template, form=form, note=note, **context), status


# -- inquiry ---------------------------------------------------------------------------------
def roadshow_choices(lang: str) -> list[SelectChoice]:
    """Return the answers to "meet us at a roadshow?": no, any, or one upcoming roadshow."""
    pairs = [("", _("No, not at the moment")), ("any", _("Yes, at any roadshow"))]
    for event in content.roadshows_open(lang):
        pairs.append((event.slug, f"{event.meta.city}, {fmt_date(event.meta.starts, lang)}"))
    return options(pairs)


@localized_route(bp, "/contact/", methods=["GET", "POST"])
@limit_posts
def contact():
    """Show the investor inquiry form; store a valid inquiry and go to the thank-you page."""
    lang = current_lang()
    form = InquiryForm()
    form.countries.choices = country_choices()
    form.hq_country.choices = hq_country_choices(lang)
    form.roadshow.choices = roadshow_choices(lang)
    action, note = screen("contact", form)
    status = 200
    if action == "save":
        roadshow = form.roadshow.data
        action, note, status = store(
            "contact",
            form,
            lambda: submission(
                "inquiry",
                form,
                consent_proof(choices.ANSWER_INQUIRY, "contact"),
                lead={
                    **contact_core(form),
                    "company_website": form.company_website.data or "",
                    "company_domain": website_host(form.company_website.data or ""),
                    "hq_country": form.hq_country.data,
                    "interest": form.interest.data,
                },
                inquiry={
                    "sector": form.interest.data,
                    "project_type": form.project_type.data,
                    "headcount_band": form.headcount_band.data,
                    "investment_band": form.investment_band.data,
                    "timeline": form.timeline.data,
                    "message": form.message.data or "",
                    "event_slug": "" if roadshow in ("", "any") else roadshow,
                },
                countries=chosen_countries(form.countries.data),
            ),
        )
    if action in ("save", "bot"):
        return redirect(url_for("capture.contact_thanks"), code=303)
    page = get_store().get("pages", "contact", lang)
    return render_form("leads/capture/contact.html", form, note, status, page=page)


@localized_route(bp, "/contact/thanks/")
def contact_thanks():
    """Thank the investor and say what happens next, and by when."""
    return render_template("leads/capture/thanks.html", kind="inquiry", **thanks_context())


# -- roadshow meeting ------------------------------------------------------------------------
def open_event(slug: str):
    """Return the event for a meeting request, or the refusal page to show instead."""
    event = get_store().get("events", slug, current_lang())
    if event is None:
        abort(404)
    refusal = content.meeting_refusal(event)
    if refusal is None:
        return event, None
    status = 410 if refusal == "past" else 404
    page = render_template("leads/capture/meeting_closed.html", event=event, refusal=refusal)
    return event, (page, status)


@localized_route(bp, "/events/<slug>/meet/", methods=["GET", "POST"])
@limit_posts
def meeting(slug: str):
    """Show the meeting request form of a roadshow; store a valid request."""
    event, refused = open_event(slug)
    if refused is not None:
        return refused
    form = MeetingForm()
    allowed = set(event.meta.countries or COUNTRY_SLUGS) | {UNDECIDED}
    form.countries.choices = [c for c in country_choices() if c.value in allowed]
    # Answers are stored in English (the staff read them); the investor reads their language.
    english = get_store().get("events", slug).meta
    slots = zip(english.slots, event.meta.slots, strict=True)
    form.slot.choices = options([("", _("No preference")), *slots])
    form.topics.choices = options(zip(english.topics, event.meta.topics, strict=True))
    action, note = screen(f"meeting:{slug}", form)
    status = 200
    if action == "save":
        action, note, status = store(
            f"meeting:{slug}",
            form,
            lambda: submission(
                "meeting",
                form,
                consent_proof(choices.ARRANGE_MEETING, "meeting"),
                lead=contact_core(form),
                inquiry={"event_slug": slug, "message": form.message.data or ""},
                countries=chosen_countries(form.countries.data),
            ),
        )
    if action in ("save", "bot"):
        return redirect(url_for("capture.meeting_thanks", slug=slug), code=303)
    return render_form("leads/capture/meeting.html", form, note, status, event=event)


@localized_route(bp, "/events/<slug>/meet/thanks/")
def meeting_thanks(slug: str):
    """Confirm a meeting request and say when we will answer."""
    event = get_store().get("events", slug, current_lang())
    if event is None:
        abort(404)
    return render_template(
        "leads/capture/thanks.html", kind="meeting", event=event, **thanks_context()
    )


# -- regional report -------------------------------------------------------------------------
@localized_route(bp, "/report/", methods=["GET", "POST"])
@limit_posts
def report():
    """Offer the regional report; store the request of a visitor who leaves their email."""
    form = ReportForm()
    action, note = screen("report", form)
    status = 200
    if action == "save":
        action, note, status = store(
            "report",
            form,
            lambda: submission(
                "report",
                form,
                consent_proof(choices.SEND_REPORT, "report"),
                lead={"preferred_language": current_lang()},
                countries=(UNDECIDED,),
            ),
        )
    if action in ("save", "bot"):
        session[_REPORT_SESSION_KEY] = True
        return redirect(url_for("capture.report_thanks"), code=303)
    page = get_store().get("pages", "report", current_lang())
    published = content.report_file() is not None
    return render_form(
        "leads/capture/report.html", form, note, status, page=page, published=published
    )


@localized_route(bp, "/report/thanks/")
def report_thanks():
    """Give the report link if the report is published; otherwise promise to send it."""
    published = content.report_file() is not None
    download = None
    if published and session.get(_REPORT_SESSION_KEY):
        download = url_for("capture.report_download", token=content.report_token())
    return render_template(
        "leads/capture/thanks.html",
        kind="report",
        published=published,
        download=download,
        **thanks_context(),
    )


@bp.route("/report/download/<token>")
def report_download(token: str):
    """Send the report file to a visitor holding a valid download link."""
    path = content.report_file()
    if path is None or not content.report_token_valid(token):
        abort(404)
    return send_file(path, as_attachment=True, download_name=path.name)


# -- "send me this estimate" -------------------------------------------------------------------
@localized_route(bp, "/costs/estimate/", methods=["GET", "POST"])
@limit_posts
def estimate():
    """Show the estimate a visitor asked for and store their request to have it sent."""
    lang = current_lang()
    values = request.form if request.method == "POST" else request.args
    scenario_form, valid = costs_form(values, cost_country_choices(lang))
    form = EstimateForm()
    if not valid:
        page = render_template(
            "leads/capture/estimate.html", form=form, scenario_form=scenario_form
        )
        return page, 400 if request.method == "POST" else 200
    scenario = scenario_form.scenario()
    action, note = screen("estimate", form)
    if action == "save":
        recorded = record_submission(
            Submission(
                kind="estimate",
                email=form.email.data,
                consent=consent_proof(choices.SEND_ESTIMATE, "estimate"),
                lead={
                    "full_name": form.full_name.data,
                    "company": form.company.data,
                    "preferred_language": lang,
                    "interest": inquiry_fields(scenario)["sector"],
                },
                inquiry=inquiry_fields(scenario),
                countries=tuple(scenario["countries"]),
                answers={**answers_of(form), SCENARIO_KEY: scenario},
                attribution=current_attribution(),
                lang=lang,
                page=request.path,
            )
        )
        promise.remember(recorded)
    if action in ("save", "bot"):
        return redirect(url_for("capture.estimate_thanks"), code=303)
    inputs = figures.inputs_by_slug()
    rows = present.rows(method.estimate(inputs, scenario), inputs, lang)
    return render_form(
        "leads/capture/estimate.html",
        form,
        note,
        scenario_form=scenario_form,
        scenario=scenario,
        hidden=query_of(scenario),
        rows=rows,
        mix=MIX_LABELS[scenario["mix"]],
    )


@localized_route(bp, "/costs/estimate/thanks/")
def estimate_thanks():
    """Confirm that the estimate is on its way."""
    return render_template("leads/capture/thanks.html", kind="estimate", **thanks_context())


# -- errors of the form endpoints --------------------------------------------------------------
@bp.errorhandler(CSRFError)
def csrf_refused(error: CSRFError):
    """Refuse a post without a valid security token, with a way back to the form."""
    return render_template("leads/capture/error.html", error="csrf", back=request.path), 400


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    """Explain that the form was larger than we accept."""
    limit_kb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 1024
    page = render_template(
        "leads/capture/error.html", error="too_large", limit_kb=limit_kb, back=request.path
    )
    return page, 413


@bp.errorhandler(429)
def too_many(error):
    """Ask the sender to wait: too many posts from their address."""
    page = render_template("leads/capture/error.html", error="rate_limited", back=request.path)
    response = current_app.make_response((page, 429))
    retry_after = getattr(error, "retry_after", None)
    if retry_after and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(retry_after)
    return response
