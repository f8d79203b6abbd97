"""The forms of the lead page's introductions to partners."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.validators import DataRequired

from core.forms import HtmlForm
from leads.choices import CONTACT_CHANNELS
from leads.partners import service
from leads.partners.models import IntroStatus
from leads.staff.forms import options

STEP_LABELS = {
    IntroStatus.REQUESTED: _l("requested"),
    IntroStatus.INTRODUCED: _l("introduced"),
    IntroStatus.MEETING_HELD: _l("meeting held"),
    IntroStatus.CONTRACT_SIGNED: _l("contract signed"),
    IntroStatus.NO_FIT: _l("no fit"),
}
STEP_CHOICES = [(s.value, STEP_LABELS[s]) for s in IntroStatus if s != IntroStatus.REQUESTED]


class IntroStepForm(HtmlForm):
    """One step of an introduction: which partner, what happened, on which day."""

    partner = SelectField(_l("Partner"), validators=[DataRequired()])
    status = SelectField(_l("What happened"), choices=options(STEP_CHOICES))
    happened_on = DateField(
        _l("On"), default=dt.date.today, validators=[DataRequired(_l("Please give a date."))]
    )


class IntroConsentForm(HtmlForm):
    """The investor agreed, outside the form, that their details may go to partners."""

    channel = SelectField(_l("The investor agreed by"), choices=options(CONTACT_CHANNELS))


def intro_step_form(lead) -> IntroStepForm:
    """Return the step form offering the lead's partners first, then the rest of the directory."""
    form = IntroStepForm()
    asked = [(i.partner_slug, i.partner_name) for i in service.introductions_of(lead)]
    slugs = {slug for slug, _name in asked}
    rest = [(p.slug, p.name) for p in service.listed_partners() if p.slug not in slugs]
    form.partner.choices = options(asked + rest)
    return form
