"""The plan pages: ``/plan/<token>``, its meeting ``.ics``, its message form, and ``/plan/``.

Live only, never frozen, never in the page cache. Every answer carries ``X-Robots-Tag:
noindex``, ``Cache-Control: no-store`` and ``Referrer-Policy: no-referrer`` (links out never
carry the token in a Referer). A link that opens nothing gets the same neutral page, whatever
the reason; an erased person's link answers 410. The log names the lead id, never the token.
"""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from core.extensions import db, limiter
from core.i18n import current_lang, localized_route
from leads.plan import page, service, token
from leads.plan.forms import NewLinkForm, PlanMessageForm
from leads.plan.ics import meeting_ics
from leads.plan.status import STATUS_LABELS

bp = Blueprint("plan", __name__, template_folder="../templates")
log = logging.getLogger(__name__)


def plan_rate_limit() -> str:
    """Return the rate limit of the plan's forms (``PLAN_RATE_LIMIT``)."""
    return current_app.config["PLAN_RATE_LIMIT"]


# One budget per address across the plan's two forms.
limit_plan_posts = limiter.shared_limit(plan_rate_limit, scope="plan-forms", methods=["POST"])


@bp.after_request
def _private(response: Response) -> Response:
    """Keep the plan out of search engines, caches and other sites' Referer headers."""
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _opened(value: str):
    """Return the lead a token opens, or answer 404 (nothing) / 410 (erased) and stop."""
    found = token.resolve(value)
    if found.access == token.Access.GONE:
        abort(410)
    if found.lead is None:
        abort(404)
    return found.lead


def _render_plan(lead, message_form: PlanMessageForm, status: int = 200):
    value = token.make_token(lead)
    plan = page.plan_of(lead, current_lang())
    return (
        render_template(
            "leads/plan/plan.html",
            plan=plan,
            plan_token=value,
            form=message_form,
            link_form=NewLinkForm(formdata=None),
            status_labels=STATUS_LABELS,
            document_labels=page.DOCUMENT_LABELS,
            introduction_labels=page.INTRODUCTION_LABELS,
            meeting_when=page.meeting_when,
            privacy_url=page.site_link("/privacy/", current_lang()),
        ),
        status,
    )


@localized_route(bp, "/plan/<token_value>")
def show(token_value: str):
    """Show the investor's plan (a visit renews the link's 180 days)."""
    lead = _opened(token_value)
    token.touch(lead)
    db.session.commit()
    log.info("plan viewed: lead %s", lead.id)
    return _render_plan(lead, PlanMessageForm(formdata=None))


@localized_route(bp, "/plan/<token_value>/message", methods=["POST"])
@limit_plan_posts
def message(token_value: str):
    """Send a message to the adviser: it lands on the lead's timeline and the owner is told."""
    lead = _opened(token_value)
    form = PlanMessageForm()
    if not form.validate_on_submit():
        return _render_plan(lead, form, 400)
    service.post_message(lead, form.body.data)
    db.session.commit()
    flash(
        _("Thank you: your message is with your adviser, who will answer you by email."), "success"
    )
    return redirect(url_for("plan.show", token_value=token_value) + "#message")


@localized_route(bp, "/plan/<token_value>/meeting.ics")
def meeting(token_value: str):
    """Download the roadshow meeting as a calendar file (once a time is confirmed)."""
    lead = _opened(token_value)
    found = page.confirmed_meeting(lead, current_lang())
    if found is None:
        abort(404)
    log.info("plan meeting downloaded: lead %s", lead.id)
    return Response(
        meeting_ics(found),
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="meeting.ics"'},
    )


@localized_route(bp, "/plan/", methods=["GET", "POST"])
@limit_plan_posts
def new_link():
    """Ask for the plan link by email; the answer is the same whether the address is known."""
    form = NewLinkForm()
    if form.validate_on_submit():
        service.request_link(form.email.data)
        db.session.commit()
        return render_template("leads/plan/request.html", form=None, sent=True)
    status = 400 if form.errors else 200
    return render_template("leads/plan/request.html", form=form, sent=False), status


@bp.errorhandler(404)
def no_plan(error):
    """Say, without saying why, that the link opens no plan; offer a new link."""
    page_ = render_template("leads/plan/none.html", form=NewLinkForm(formdata=None), gone=False)
    return page_, 404


@bp.errorhandler(410)
def plan_gone(error):
    """Say that the plan is no longer available (the person's data is erased)."""
    return render_template("leads/plan/none.html", form=None, gone=True), 410


@bp.errorhandler(CSRFError)
def csrf_refused(error: CSRFError):
    """Refuse a post without a valid security token, with a way back."""
    back = request.path.removesuffix("/message")
    return render_template("leads/capture/error.html", error="csrf", back=back), 400


@bp.errorhandler(429)
def too_many(error):
    """Ask the sender to wait: too many posts from their address."""
    back = request.path.removesuffix("/message")
    page_ = render_template("leads/capture/error.html", error="rate_limited", back=back)
    return page_, 429
