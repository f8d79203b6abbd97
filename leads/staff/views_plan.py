"""The investor's plan on the lead page: next steps agreed with them, and switching its link off."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.extensions import db
from leads.common.access import Capability
from leads.lifecycle import audit
from leads.lifecycle.audit import Action
from leads.plan import service, token
from leads.staff.blueprint import bp, lead_view
from leads.staff.forms import ButtonForm, PlanStepChangeForm, PlanStepForm
from leads.staff.leadpage import render_lead


def _back(lead):
    db.session.commit()
    return redirect(url_for("staff.lead_detail", lead_id=lead.id) + "#plan")


@bp.route("/leads/<int:lead_id>/plan/steps", methods=["POST"])
@lead_view(Capability.PLAN)
def lead_plan_step(lead):
    """Add a next step agreed with the investor to their plan."""
    form = PlanStepForm()
    if not form.validate_on_submit():
        return render_lead(lead, current_user, plan_step_form=form, status=400)
    service.add_step(lead, current_user.user, form.text.data, form.due_on.data)
    audit.record(lead, current_user.user, Action.PLAN_STEP, "", "added")
    flash(_("The step is on the investor's plan."), "success")
    return _back(lead)


@bp.route("/leads/<int:lead_id>/plan/steps/<int:step_id>", methods=["POST"])
@lead_view(Capability.PLAN)
def lead_plan_step_change(lead, step_id: int):
    """Mark an agreed step done or open again, or remove it from the plan."""
    step = service.step_of(lead, step_id)
    if step is None:
        abort(404)
    form = PlanStepChangeForm()
    if form.validate_on_submit():
        if form.action.data == "remove":
            db.session.delete(step)
        else:
            step.done = form.action.data == "done"
        audit.record(lead, current_user.user, Action.PLAN_STEP, "", form.action.data)
        flash(_("The investor's plan is updated."), "success")
    return _back(lead)


@bp.route("/leads/<int:lead_id>/plan/revoke", methods=["POST"])
@lead_view(Capability.PLAN)
def lead_plan_revoke(lead):
    """Switch off every plan link sent so far (the investor can ask for a new one)."""
    if ButtonForm().validate_on_submit():
        before = lead.plan_version
        token.revoke(lead)
        audit.record(
            lead, current_user.user, Action.PLAN_REVOKED, str(before), str(lead.plan_version)
        )
        switched_off = _(
            "The plan link is switched off. A new one goes out with the next mail, or when the "
            "investor asks for it."
        )
        flash(switched_off, "success")
    return _back(lead)
