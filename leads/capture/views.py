"""Views of the lead forms: each builds its form and hands it to the one form flow.

``leads.capture.flow.handle`` screens, stores and thanks; a view says only which form, what
it stores and what else its page shows.
"""

from __future__ import annotations

from typing import cast

from flask import abort, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from core.countries import COUNTRY_SLUGS
from core.formatting import date as fmt_date
from core.i18n import current_lang, localized_route
from gateway.content.schemas import EventDoc
from gateway.content_app import get_store
from gateway.costs import figures, method, present
from gateway.costs.form import MIX_LABELS, costs_form, query_of
from gateway.costs.form import country_choices as cost_country_choices
from leads import choices
from leads.capture import content
from leads.capture.blueprint import bp, limit_posts
from leads.capture.estimate import ORIGINAL_KEY, SCENARIO_KEY, inquiry_fields, original_of
from leads.capture.flow import (
    chosen_countries,
    consent_proof,
    contact_core,
    handle,
    submission,
    thanks_context,
)
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
from leads.choices import UNDECIDED

_REPORT_SESSION_KEY = "report_requested"


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

    def inquiry():
        roadshow = form.roadshow.data
        return submission(
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
        )

    return handle(
        "contact",
        form,
        inquiry,
        thanks=url_for("capture.contact_thanks"),
        template="leads/capture/contact.html",
        context=lambda: {"page": get_store().get("pages", "contact", lang)},
    )


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
    english = cast(EventDoc, event.meta)
    if (found := get_store().get("events", slug)) is not None:
        english = cast(EventDoc, found.meta)
    shown = cast(EventDoc, event.meta)
    slots = zip(english.slots, shown.slots, strict=True)
    form.slot.choices = options([("", _("No preference")), *slots])
    form.topics.choices = options(zip(english.topics, shown.topics, strict=True))
    return handle(
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
        thanks=url_for("capture.meeting_thanks", slug=slug),
        template="leads/capture/meeting.html",
        context=lambda: {"event": event},
    )


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
def remember_report_request() -> None:
    """Let this visitor's thank-you page give the download link."""
    session[_REPORT_SESSION_KEY] = True


@localized_route(bp, "/report/", methods=["GET", "POST"])
@limit_posts
def report():
    """Offer the regional report; store the request of a visitor who leaves their email."""
    form = ReportForm()
    return handle(
        "report",
        form,
        lambda: submission(
            "report",
            form,
            consent_proof(choices.SEND_REPORT, "report"),
            lead={"preferred_language": current_lang()},
            countries=(UNDECIDED,),
        ),
        thanks=url_for("capture.report_thanks"),
        template="leads/capture/report.html",
        context=lambda: {
            "page": get_store().get("pages", "report", current_lang()),
            "published": content.report_file() is not None,
        },
        on_thanks=remember_report_request,
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
    # No ``country`` parameter: the estimator's untouched default. The estimate compares all six
    # countries, but the investor named none: a regional inquiry, shared with no agency.
    chosen = "country" in values
    if values and not chosen:
        values = MultiDict(values)
        values.setlist("country", list(COUNTRY_SLUGS))
    scenario_form, valid = costs_form(values, cost_country_choices(lang))
    form = EstimateForm()
    if not valid:
        page = render_template(
            "leads/capture/estimate.html", form=form, scenario_form=scenario_form
        )
        return page, 400 if request.method == "POST" else 200
    scenario = scenario_form.scenario()

    def estimate_page() -> dict:
        inputs = figures.inputs_by_slug()
        return {
            "scenario_form": scenario_form,
            "scenario": scenario,
            "hidden": query_of(scenario, countries=chosen),
            "rows": present.rows(method.estimate(inputs, scenario), inputs, lang),
            "mix": MIX_LABELS[scenario["mix"]],
        }

    return handle(
        "estimate",
        form,
        lambda: submission(
            "estimate",
            form,
            consent_proof(choices.SEND_ESTIMATE, "estimate"),
            extra_answers={
                SCENARIO_KEY: scenario,
                ORIGINAL_KEY: original_of(method.estimate(figures.inputs_by_slug(), scenario)),
            },
            lead={
                "full_name": form.full_name.data,
                "company": form.company.data,
                "preferred_language": lang,
                "interest": inquiry_fields(scenario)["sector"],
            },
            inquiry=inquiry_fields(scenario),
            countries=tuple(scenario["countries"]) if chosen else (UNDECIDED,),
        ),
        thanks=url_for("capture.estimate_thanks"),
        template="leads/capture/estimate.html",
        context=estimate_page,
    )


@localized_route(bp, "/costs/estimate/thanks/")
def estimate_thanks():
    """Confirm that the estimate is on its way."""
    return render_template("leads/capture/thanks.html", kind="estimate", **thanks_context())
