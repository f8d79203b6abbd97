"""The lead page's introductions to partners: record the investor's consent to share, and each
step (introduced, meeting held, contract signed, no fit), audited and synced to the CRM."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from leads.common.access import Capability
from leads.partners import service
from leads.partners.models import IntroStatus
from leads.staff.blueprint import bp, lead_view
from leads.staff.forms_partners import STEP_LABELS, IntroConsentForm, intro_step_form
from leads.staff.leadpage import render_lead
from leads.staff.views_leads import _saved


@bp.route("/leads/<int:lead_id>/introductions", methods=["POST"])
@lead_view(Capability.INTRODUCE)
def lead_introduction(lead):
    """Record a step of an introduction to a partner (introduced needs the consent to share)."""
    form = intro_step_form(lead)
    if form.validate_on_submit():
        partner = service.listed_partner(form.partner.data)
        if partner is None:
            form.partner.errors = [_("This partner is no longer listed.")]
        else:
            status = IntroStatus(form.status.data)
            try:
                service.record_step(lead, current_user.user, partner, status, form.happened_on.data)
            except service.NoConsent:
                form.status.errors = [
                    _(
                        "The investor has not agreed that their details go to partners. "
                        "Ask them first and record their agreement below."
                    )
                ]
            except service.IntroductionError:
                form.status.errors = [
                    _("This step does not follow what is recorded for this partner.")
                ]
            else:
                step, name = STEP_LABELS[status], partner.name
                message = _("Recorded: %(step)s, %(partner)s.", step=step, partner=name)
                return _saved(lead, message, "#introductions")
    return render_lead(lead, current_user, intro_form=form, status=400)


@bp.route("/leads/<int:lead_id>/introductions/consent", methods=["POST"])
@lead_view(Capability.INTRODUCE)
def lead_introduction_consent(lead):
    """Record that the investor agreed (by mail, phone or in a meeting) to share with partners."""
    form = IntroConsentForm()
    if form.validate_on_submit():
        try:
            service.record_consent(lead, current_user.user, form.channel.data)
        except service.IntroductionError:
            form.channel.errors = [_("The investor's agreement is already on record.")]
        else:
            return _saved(lead, _("The investor's agreement is recorded."), "#introductions")
    return render_lead(lead, current_user, intro_consent_form=form, status=400)
