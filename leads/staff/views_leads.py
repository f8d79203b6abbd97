"""The lead list, the lead page and the changes staff make there."""

from __future__ import annotations

import json

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from core.extensions import db
from leads.common import overdue
from leads.common.access import Capability, can
from leads.lifecycle import audit, outcomes, pipeline, referrals
from leads.lifecycle.audit import Action
from leads.lifecycle.stages import CLOSED, STAGE_LABELS
from leads.models import Organisation, OutboxEvent, StaffUser, utcnow
from leads.privacy.consent import withdraw_consent
from leads.privacy.erase import erase_lead
from leads.privacy.export import export_lead
from leads.queue import outbox
from leads.staff import listing
from leads.staff.blueprint import bp, lead_view
from leads.staff.forms import (
    ButtonForm,
    ContactForm,
    EraseForm,
    LeadFilterForm,
    NoteForm,
    QualifyForm,
    ReferralAnswerForm,
    StageForm,
    options,
)
from leads.staff.leadpage import assign_form, refer_form, render_lead


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


@bp.route("/leads/<int:lead_id>/")
@lead_view(Capability.READ, allow_erased=True)
def lead_detail(lead):
    """Show a lead: inquiries, consent, attribution, score, timeline, CRM state and actions."""
    return render_lead(lead, current_user)


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
@lead_view(Capability.STAGE)
def lead_stage(lead):
    """Move a lead to another stage (audited, and queued for the CRM)."""
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
    return render_lead(lead, current_user, stage_form=form, status=400)


@bp.route("/leads/<int:lead_id>/notes", methods=["POST"])
@lead_view(Capability.NOTE)
def lead_note(lead):
    """Add a note to a lead."""
    form = NoteForm()
    if form.validate_on_submit():
        pipeline.add_note(lead, current_user.user, form.body.data)
        return _saved(lead, _("Note added."), "#timeline")
    return render_lead(lead, current_user, note_form=form, status=400)


@bp.route("/leads/<int:lead_id>/assign", methods=["POST"])
@lead_view(Capability.ASSIGN)
def lead_assign(lead):
    """Give a lead an owner, or (coordinators) move it to another organisation."""
    form = assign_form(lead)
    if not form.validate_on_submit():
        return render_lead(lead, current_user, assign_form=form, status=400)
    actor = current_user.user
    reason = form.reason.data or ""
    if form.organisation.data and form.organisation.data != lead.organisation_id:
        if not can(current_user, lead, Capability.REASSIGN):
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
            return render_lead(lead, current_user, assign_form=form, status=400)
        db.session.commit()
        flash(_("Owner changed."), "success")
    return redirect(url_for("staff.lead_detail", lead_id=lead.id))


@bp.route("/leads/<int:lead_id>/events/<int:event_id>/retry", methods=["POST"])
@lead_view(Capability.CRM_RETRY, allow_erased=True)
def lead_event_retry(lead, event_id: int):
    """Send a failed or dead CRM event of this lead again."""
    form = ButtonForm()
    event = db.session.get(OutboxEvent, event_id)
    if event is None or event.lead_id != lead.id:
        abort(404)
    if form.validate_on_submit() and event.status in (outbox.FAILED, outbox.DEAD):
        outbox.retry(event)
        audit.record(lead, current_user.user, Action.CRM_RETRY, event.status, outbox.PENDING,
                       f"event {event.id} ({event.kind})")  # fmt: skip
        db.session.commit()
        flash(_("The event is queued again."), "success")
    if request.form.get("back") == "sync":
        return redirect(url_for("staff.sync_status"))
    return redirect(url_for("staff.lead_detail", lead_id=lead.id) + "#crm")


@bp.route("/leads/<int:lead_id>/export.json")
@lead_view(Capability.EXPORT, allow_erased=True)
def lead_json(lead):
    """Download everything held about the lead as JSON."""
    audit.record(lead, current_user.user, Action.EXPORTED)
    db.session.commit()
    body = json.dumps(export_lead(lead), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="lead-{lead.id}.json"'},
    )


@bp.route("/leads/<int:lead_id>/consent/withdraw", methods=["POST"])
@lead_view(Capability.CONSENT)
def lead_consent_withdraw(lead):
    """Record that the person withdrew their consent (queued mail to them stops)."""
    if ButtonForm().validate_on_submit():
        withdraw_consent(lead, current_user.user, form="staff", method="request recorded by staff")
        db.session.commit()
        flash(_("The consent withdrawal is recorded."), "success")
    return redirect(url_for("staff.lead_detail", lead_id=lead.id) + "#consent")


@bp.route("/leads/<int:lead_id>/erase", methods=["GET", "POST"])
@lead_view(Capability.ERASE)
def lead_erase(lead):
    """Confirm, then erase the person's data here and queue the erasure in the CRM.

    Coordinators and admins only (``access.CAPABILITIES``: the guard answers 403 to others).
    """
    form = EraseForm()
    if form.validate_on_submit():
        erase_lead(lead, current_user.user, form.reason.data)
        db.session.commit()
        flash(_("The person's data is erased; the CRM erasure is queued."), "success")
        return redirect(url_for("staff.lead_detail", lead_id=lead.id))
    status = 400 if request.method == "POST" else 200
    return render_template("leads/staff/erase.html", lead=lead, form=form), status


@bp.route("/leads/<int:lead_id>/contacts", methods=["POST"])
@lead_view(Capability.CONTACT)
def lead_contact(lead):
    """Log a contact with the investor (owners and informed organisations)."""
    form = ContactForm()
    if form.validate_on_submit():
        pipeline.log_contact(lead, current_user.user, form.channel.data, form.summary.data)
        return _saved(lead, _("Contact logged."), "#timeline")
    return render_lead(lead, current_user, contact_form=form, status=400)


@bp.route("/leads/<int:lead_id>/qualification", methods=["POST"])
@lead_view(Capability.QUALIFY)
def lead_qualify(lead):
    """Record rival locations, the likelihood to land and the expected land date."""
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
    return render_lead(lead, current_user, qualify_form=form, status=400)


@bp.route("/leads/<int:lead_id>/refer", methods=["POST"])
@lead_view(Capability.REFER)
def lead_refer(lead):
    """Offer the lead to another organisation, with a message."""
    form = refer_form(lead)
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
    return render_lead(lead, current_user, refer_form=form, status=400)


@bp.route("/leads/<int:lead_id>/referral", methods=["POST"])
@lead_view(Capability.ANSWER_REFERRAL, allow_erased=True)
def lead_referral_answer(lead):
    """Accept (the lead becomes ours) or decline, with a reason, the lead's pending referral."""
    referral = referrals.pending_for_answer(lead, current_user.user)
    if referral is None:
        abort(404)  # none pending, or addressed to another organisation
    form = ReferralAnswerForm()
    if not form.validate_on_submit():
        return render_lead(lead, current_user, answer_form=form, status=400)
    try:
        if form.decision.data == "accept":
            referrals.accept(referral, current_user.user)
        else:
            referrals.decline(referral, current_user.user, form.reason.data or "")
    except referrals.ReferralError:  # answered meanwhile: a concurrent post won
        db.session.rollback()
        flash(_("This referral was answered meanwhile; your answer changed nothing."), "error")
        return render_lead(lead, current_user, answer_form=form, status=409)
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
