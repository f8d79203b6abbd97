"""The lead list, the lead page and the changes staff make there."""

from __future__ import annotations

import json

from flask import (
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from leads.choices import LIKELIHOODS, NO_LOCATION, RIVAL_LOCATIONS
from leads.common import overdue
from leads.common.access import Capability, can_reassign
from leads.crm import client, inbound
from leads.lifecycle import audit, outcomes, pipeline, referrals, scoring
from leads.lifecycle.audit import Action
from leads.lifecycle.organisations import LEAD_OWNER_KINDS
from leads.lifecycle.routing import route_lead
from leads.lifecycle.stages import CLOSE_REASON_LABELS, CLOSED, STAGE_LABELS
from leads.models import AuditEntry, Note, Organisation, OutboxEvent, StaffUser, utcnow
from leads.privacy.consent import granted_purposes, withdraw_consent
from leads.privacy.erase import erase_lead
from leads.privacy.export import export_lead
from leads.queue import outbox
from leads.queue.events import Channel
from leads.staff import listing
from leads.staff.blueprint import bp
from leads.staff.forms import (
    AssignForm,
    ButtonForm,
    ContactForm,
    EraseForm,
    LeadFilterForm,
    NoteForm,
    QualifyForm,
    ReferForm,
    ReferralAnswerForm,
    StageForm,
    options,
)


def _filter_form() -> tuple[LeadFilterForm, listing.LeadFilters]:
    form = LeadFilterForm(request.args)
    organisations = [(org.slug, org.name) for org in listing.organisation_choices()]
    form.organisation.choices = options([("", _("Any")), *organisations])
    owners = listing.owner_choices(current_user)
    form.owner.choices = options([("", _("Anyone")), ("none", _("Nobody")), *owners])
    form.validate()
    defaults = listing.LeadFilters()
    data = {}
    for name in listing.LeadFilters.__dataclass_fields__:
        if name in form:
            value = form[name].data
            # A bad value (a typo in a bookmarked URL) is ignored rather than refused.
            data[name] = getattr(defaults, name) if form[name].errors or value is None else value
    return form, listing.LeadFilters(**data)


def _filter_args(form: LeadFilterForm) -> dict[str, str]:
    """Return the query's filter parameters, to carry into links (the page number left out).

    Only the form's own fields: any other parameter (``endpoint``, ``_method``) would reach
    ``url_for`` as one of its own arguments.
    """
    return {k: v for k, v in request.args.items() if k in form and v}


@bp.route("/leads/")
def lead_list():
    """List the leads the user may see, filtered, searched, sorted and paginated."""
    form, filters = _filter_form()
    page = listing.lead_page(current_user, filters, listing.page_number(request.args.get("page")))
    args = _filter_args(form)
    return render_template(
        "leads/staff/leads.html",
        form=form,
        page=page,
        args=args,
        now=utcnow(),
        is_overdue=overdue.is_overdue,
        stage_labels=STAGE_LABELS,
        closed_stages=[stage.value for stage in CLOSED],
    )


@bp.route("/leads/export.csv")
def lead_csv():
    """Download the filtered lead list as CSV (safe to open in a spreadsheet)."""
    form, filters = _filter_form()
    if set(form.errors) - {"sort"}:  # never export more than was asked for: show the messages
        return redirect(url_for(".lead_list", **_filter_args(form)))
    body = stream_with_context(listing.export_csv(current_user, filters))
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="leads-{stamp}.csv"'},
    )


def _assign_form(lead) -> AssignForm:
    form = AssignForm()
    organisations = listing.organisation_choices(LEAD_OWNER_KINDS)
    form.organisation.choices = options((org.id, org.name) for org in organisations)
    owners = db.session.scalars(
        select(StaffUser)
        .where(StaffUser.organisation_id == lead.organisation_id, StaffUser.active.is_(True))
        .order_by(StaffUser.email)
    )
    form.owner.choices = options([(0, _("Nobody")), *((u.id, u.email) for u in owners)])
    if request.method == "GET":
        form.organisation.data = lead.organisation_id
        form.owner.data = lead.owner_id or 0
    return form


def _timeline(lead) -> list[dict]:
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.lead_id == lead.id)
        .options(selectinload(AuditEntry.actor))
        .order_by(AuditEntry.created_at)
    )
    notes = db.session.scalars(
        select(Note)
        .where(Note.lead_id == lead.id)
        .options(selectinload(Note.author))
        .order_by(Note.created_at)
    )
    items = [{"at": e.created_at, "kind": "audit", "entry": e} for e in entries]
    items += [{"at": n.created_at, "kind": "note", "note": n} for n in notes]
    return sorted(items, key=lambda item: item["at"], reverse=True)


def _refer_form(lead) -> ReferForm:
    form = ReferForm()
    choices = [(org.slug, org.name) for org in referrals.receiving_organisations(lead)]
    form.organisation.choices = options(choices)
    return form


def _stage_form(lead) -> StageForm:
    stored = outcomes.stored(lead)
    return StageForm(
        formdata=None,
        stage=lead.stage,
        close_reason=lead.close_reason or "",
        won_country=stored.won_country,
        jobs_planned=stored.jobs_planned,
        investment_eur=stored.investment_eur,
        land_date=stored.land_date,
        lost_to=stored.lost_to,
    )


def _render_lead(lead, *, status=200, **forms):
    stage_form = forms.get("stage_form") or _stage_form(lead)
    note_form = forms.get("note_form")
    assign_form = forms.get("assign_form")
    score = scoring.score_lead(scoring.facts_for(lead), lead.stage)
    events = db.session.scalars(
        select(OutboxEvent)
        .where(OutboxEvent.lead_id == lead.id, OutboxEvent.channel == Channel.CRM)
        .order_by(OutboxEvent.id.desc())
    ).all()
    return (
        render_template(
            "leads/staff/lead.html",
            lead=lead,
            score=score,
            rules=scoring.RULES,
            route=route_lead(lead.country_slugs),
            stage_form=stage_form,
            note_form=note_form or NoteForm(formdata=None),
            assign_form=assign_form or _assign_form(lead),
            button_form=ButtonForm(),
            timeline=_timeline(lead),
            events=events,
            retryable=(outbox.FAILED, outbox.DEAD),
            crm_configured=client.configured(),
            consent_granted=bool(granted_purposes(lead)),
            overdue=overdue.is_overdue(lead),
            can_reassign=can_reassign(current_user),
            can=g.lead_capabilities,
            Capability=Capability,
            contact_form=forms.get("contact_form") or ContactForm(formdata=None),
            qualify_form=forms.get("qualify_form")
            or QualifyForm(
                formdata=None,
                rivals=lead.rivals or [],
                likelihood=lead.likelihood,
                expected_land_date=lead.expected_land_date,
            ),
            refer_form=forms.get("refer_form") or _refer_form(lead),
            answer_form=forms.get("answer_form") or ReferralAnswerForm(formdata=None),
            pending_referral=referrals.pending(lead),
            referral_list=lead.referrals,
            rival_labels=dict(RIVAL_LOCATIONS + NO_LOCATION),
            likelihood_labels=dict(LIKELIHOODS),
            stage_labels=STAGE_LABELS,
            close_reason_labels=CLOSE_REASON_LABELS,
            referrals=inbound.referral_requests(lead),
        ),
        status,
    )


@bp.route("/leads/<int:lead_id>/")
def lead_detail(lead_id: int):
    """Show a lead: inquiries, consent, attribution, score, timeline, CRM state and actions."""
    return _render_lead(g.lead)


def _refuse_if_erased(lead) -> None:
    if lead.erased_at is not None:
        abort(409)


def _saved(lead, message: str, anchor: str = ""):
    """Commit the change, say so, and go back to the lead page (at ``anchor``)."""
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("staff.lead_detail", lead_id=lead.id) + anchor)


def _show_errors(form, exc: outcomes.OutcomeError) -> None:
    """Put an outcome check's messages beside their fields (nothing was changed)."""
    db.session.rollback()
    for name, message in exc.errors.items():
        form[name].errors = [*form[name].errors, message]


@bp.route("/leads/<int:lead_id>/stage", methods=["POST"])
def lead_stage(lead_id: int):
    """Move a lead to another stage (audited, and queued for the CRM)."""
    lead = g.lead
    _refuse_if_erased(lead)
    form = StageForm()
    if form.validate_on_submit():
        try:
            pipeline.change_stage(
                lead,
                form.stage.data,
                current_user.user,
                reason=form.reason.data or "",
                close_reason=form.close_reason.data or None,
                outcome=outcomes.Outcome(
                    won_country=form.won_country.data or "",
                    jobs_planned=form.jobs_planned.data,
                    investment_eur=form.investment_eur.data,
                    land_date=form.land_date.data,
                    lost_to=form.lost_to.data or "",
                ),
            )
        except outcomes.OutcomeError as exc:
            _show_errors(form, exc)
        except pipeline.PipelineError as exc:
            form.stage.errors = [*form.stage.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("Stage changed to %(stage)s.", stage=STAGE_LABELS[form.stage.data]), "success")
            return redirect(url_for("staff.lead_detail", lead_id=lead.id))
    return _render_lead(lead, stage_form=form, status=400)


@bp.route("/leads/<int:lead_id>/notes", methods=["POST"])
def lead_note(lead_id: int):
    """Add a note to a lead."""
    lead = g.lead
    _refuse_if_erased(lead)
    form = NoteForm()
    if form.validate_on_submit():
        pipeline.add_note(lead, current_user.user, form.body.data)
        return _saved(lead, _("Note added."), "#timeline")
    return _render_lead(lead, note_form=form, status=400)


@bp.route("/leads/<int:lead_id>/assign", methods=["POST"])
def lead_assign(lead_id: int):
    """Give a lead an owner, or (coordinators) move it to another organisation."""
    lead = g.lead
    _refuse_if_erased(lead)
    form = _assign_form(lead)
    if not form.validate_on_submit():
        return _render_lead(lead, assign_form=form, status=400)
    actor = current_user.user
    reason = form.reason.data or ""
    if form.organisation.data and form.organisation.data != lead.organisation_id:
        if Capability.REASSIGN not in g.lead_capabilities:
            abort(403)
        organisation = db.session.get(Organisation, form.organisation.data)
        pipeline.assign_organisation(lead, organisation, actor, reason)
        db.session.commit()
        flash(_("Lead moved to %(org)s.", org=organisation.name), "success")
        if not current_user.sees_all_leads:
            return redirect(url_for("staff.lead_list"))
        return redirect(url_for("staff.lead_detail", lead_id=lead.id))
    owner = db.session.get(StaffUser, form.owner.data) if form.owner.data else None
    if owner != lead.owner:
        try:
            pipeline.assign_owner(lead, owner, actor, reason)
        except pipeline.PipelineError as exc:
            form.owner.errors = [*form.owner.errors, str(exc)]
            return _render_lead(lead, assign_form=form, status=400)
        db.session.commit()
        flash(_("Owner changed."), "success")
    return redirect(url_for("staff.lead_detail", lead_id=lead.id))


@bp.route("/leads/<int:lead_id>/events/<int:event_id>/retry", methods=["POST"])
def lead_event_retry(lead_id: int, event_id: int):
    """Send a failed or dead CRM event of this lead again."""
    form = ButtonForm()
    event = db.session.get(OutboxEvent, event_id)
    if event is None or event.lead_id != g.lead.id:
        abort(404)
    if form.validate_on_submit() and event.status in (outbox.FAILED, outbox.DEAD):
        outbox.retry(event)
        audit.record(g.lead, current_user.user, Action.CRM_RETRY, event.status, outbox.PENDING,
                       f"event {event.id} ({event.kind})")  # fmt: skip
        db.session.commit()
        flash(_("The event is queued again."), "success")
    if request.form.get("back") == "sync":
        return redirect(url_for("staff.sync_status"))
    return redirect(url_for("staff.lead_detail", lead_id=g.lead.id) + "#crm")


@bp.route("/leads/<int:lead_id>/export.json")
def lead_json(lead_id: int):
    """Download everything held about the lead as JSON."""
    lead = g.lead
    audit.record(lead, current_user.user, Action.EXPORTED)
    db.session.commit()
    body = json.dumps(export_lead(lead), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="lead-{lead.id}.json"'},
    )


@bp.route("/leads/<int:lead_id>/consent/withdraw", methods=["POST"])
def lead_consent_withdraw(lead_id: int):
    """Record that the person withdrew their consent (queued mail to them stops)."""
    lead = g.lead
    _refuse_if_erased(lead)
    if ButtonForm().validate_on_submit():
        withdraw_consent(lead, current_user.user, form="staff", method="request recorded by staff")
        db.session.commit()
        flash(_("The consent withdrawal is recorded."), "success")
    return redirect(url_for("staff.lead_detail", lead_id=lead.id) + "#consent")


@bp.route("/leads/<int:lead_id>/erase", methods=["GET", "POST"])
def lead_erase(lead_id: int):
    """Confirm, then erase the person's data here and queue the erasure in the CRM.

    Coordinators and admins only (``access.CAPABILITIES``: the guard answers 403 to others).
    """
    lead = g.lead
    _refuse_if_erased(lead)
    form = EraseForm()
    if form.validate_on_submit():
        erase_lead(lead, current_user.user, form.reason.data)
        db.session.commit()
        flash(_("The person's data is erased; the CRM erasure is queued."), "success")
        return redirect(url_for("staff.lead_detail", lead_id=lead_id))
    status = 400 if request.method == "POST" else 200
    return render_template("leads/staff/erase.html", lead=lead, form=form), status


@bp.route("/leads/<int:lead_id>/contacts", methods=["POST"])
def lead_contact(lead_id: int):
    """Log a contact with the investor (owners and informed organisations)."""
    lead = g.lead
    _refuse_if_erased(lead)
    form = ContactForm()
    if form.validate_on_submit():
        pipeline.log_contact(lead, current_user.user, form.channel.data, form.summary.data)
        return _saved(lead, _("Contact logged."), "#timeline")
    return _render_lead(lead, contact_form=form, status=400)


@bp.route("/leads/<int:lead_id>/qualification", methods=["POST"])
def lead_qualify(lead_id: int):
    """Record rival locations, the likelihood to land and the expected land date."""
    lead = g.lead
    _refuse_if_erased(lead)
    form = QualifyForm()
    if form.validate_on_submit():
        try:
            pipeline.qualify(
                lead,
                current_user.user,
                form.rivals.data or [],
                form.likelihood.data or "",
                form.expected_land_date.data,
            )
        except outcomes.OutcomeError as exc:
            _show_errors(form, exc)
        else:
            return _saved(lead, _("Qualification saved."), "#qualification")
    return _render_lead(lead, qualify_form=form, status=400)


@bp.route("/leads/<int:lead_id>/refer", methods=["POST"])
def lead_refer(lead_id: int):
    """Offer the lead to another organisation, with a message."""
    lead = g.lead
    _refuse_if_erased(lead)
    form = _refer_form(lead)
    if form.validate_on_submit():
        try:
            referral = referrals.refer(
                lead, form.organisation.data, current_user.user, form.message.data
            )
        except referrals.ReferralError as exc:
            form.organisation.errors = [*form.organisation.errors, str(exc)]
        else:
            return _saved(
                lead,
                _("Referral sent to %(org)s.", org=referral.to_organisation.name),
                "#referrals",
            )
    return _render_lead(lead, refer_form=form, status=400)


@bp.route("/leads/<int:lead_id>/referral", methods=["POST"])
def lead_referral_answer(lead_id: int):
    """Accept (the lead becomes ours) or decline, with a reason, the lead's pending referral."""
    lead = g.lead
    referral = referrals.pending_for_answer(lead, current_user.user)
    if referral is None:
        abort(404)  # none pending, or addressed to another organisation
    form = ReferralAnswerForm()
    if not form.validate_on_submit():
        return _render_lead(lead, answer_form=form, status=400)
    try:
        if form.decision.data == "accept":
            referrals.accept(referral, current_user.user)
        else:
            referrals.decline(referral, current_user.user, form.reason.data or "")
    except referrals.ReferralError:  # answered meanwhile: a concurrent post won
        db.session.rollback()
        flash(_("This referral was answered meanwhile; your answer changed nothing."), "error")
        return _render_lead(lead, answer_form=form, status=409)
    if form.decision.data == "accept":
        org = referral.to_organisation.name
        return _saved(
            lead, _("Referral accepted: the lead is now %(org)s's.", org=org), "#referrals"
        )
    if current_user.sees_all_leads:
        return _saved(lead, _("Referral declined."), "#referrals")
    db.session.commit()
    flash(_("Referral declined."), "success")
    return redirect(url_for("staff.dashboard"))  # the lead is no longer offered to us
