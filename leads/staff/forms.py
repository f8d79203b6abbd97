"""Forms of the staff area."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from core.countries import COUNTRIES
from core.forms import HtmlForm, WholeNumberField
from leads.capture.forms import PlainText
from leads.choices import (
    CONTACT_CHANNELS,
    INTERESTS,
    LIKELIHOODS,
    NO_LOCATION,
    RIVAL_LOCATIONS,
    SOURCES,
)
from leads.common.labels import COUNTRY_CHOICES
from leads.lifecycle.stages import CLOSE_REASON_LABELS, NEEDS_REASON, PIPELINE, STAGE_LABELS, Stage
from leads.models import Notify
from leads.staff.auth import MIN_PASSWORD_LENGTH


def options(pairs) -> list[SelectChoice]:
    """Return select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


STAGE_CHOICES = [(s.value, STAGE_LABELS[s]) for s in (*PIPELINE, Stage.LOST, Stage.DISQUALIFIED)]
CLOSE_REASON_CHOICES = [("", _l("—"))] + [
    (r.value, label) for r, label in CLOSE_REASON_LABELS.items()
]
SORTS = (
    ("-created", _l("Newest first")),
    ("created", _l("Oldest first")),
    ("-score", _l("Highest score")),
    ("score", _l("Lowest score")),
    ("due", _l("Response due soonest")),
    ("name", _l("Name")),
    ("company", _l("Company")),
    ("stage", _l("Stage")),
)


class LoginForm(HtmlForm):
    """Email and password."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class CodeForm(HtmlForm):
    """A six-digit code from an authenticator app."""

    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(), Length(min=6, max=8)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class PasswordChangeForm(HtmlForm):
    """Change one's own password."""

    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1024)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


NOTIFY_CHOICES = (
    (Notify.EACH.value, _l("An email for each new lead")),
    (Notify.DIGEST.value, _l("One email a day (digest)")),
    (Notify.NONE.value, _l("No email: I check the lead list")),
)


class ProfileForm(HtmlForm):
    """What investors and colleagues see of an account, and how it hears of new leads."""

    display_name = StringField(
        _l("Your name as investors see it"),
        validators=[Optional(), Length(max=120)],
        description=_l("Shown in the first reply to each of your leads, e.g. “Ana Petrović”."),
    )
    job_title = StringField(
        _l("Job title"),
        validators=[Optional(), Length(max=120)],
        description=_l("Shown to investors beside your name."),
    )
    available_for_leads = BooleanField(_l("Available for new leads"))
    notify = RadioField(
        _l("Tell me about new leads"), choices=options(NOTIFY_CHOICES), default=Notify.EACH.value
    )


class ButtonForm(HtmlForm):
    """A form that is only a button (CSRF protected)."""


class StageForm(HtmlForm):
    """Move a lead to another stage."""

    stage = SelectField(_l("Stage"), choices=options(STAGE_CHOICES))
    close_reason = SelectField(
        _l("Reason for closing"),
        choices=options(CLOSE_REASON_CHOICES),
        default="",
        description=_l("Required for lost and disqualified leads."),
    )
    reason = TextAreaField(_l("Why"), validators=[Optional(), Length(max=2000)])
    # The outcome (leads.lifecycle.outcomes checks it): won ...
    won_country = SelectField(
        _l("Country chosen"),
        choices=options([("", _l("—")), *((c.slug, c.name) for c in COUNTRIES)]),
        default="",
        description=_l("Required when the investment is won."),
    )
    jobs_planned = WholeNumberField(
        _l("Jobs planned (first two years)"),
        validators=[Optional()],
        render_kw={"inputmode": "numeric"},
    )
    investment_eur = WholeNumberField(
        _l("Investment amount (EUR)"), validators=[Optional()], render_kw={"inputmode": "numeric"}
    )
    land_date = DateField(_l("Land date"), validators=[Optional()])
    # ... lost: where the investor went instead.
    lost_to = SelectField(
        _l("Location chosen instead"),
        choices=options([("", _l("—")), *RIVAL_LOCATIONS, *NO_LOCATION]),
        default="",
        description=_l("Required when the lead is lost."),
    )

    def validate_close_reason(self, field) -> None:
        """Require a close reason when a lead is lost or disqualified."""
        if self.stage.data in {s.value for s in NEEDS_REASON} and not field.data:
            raise ValidationError(_l("Choose why the lead is closed."))


class QualifyForm(HtmlForm):
    """What the investor weighs against us, how likely they land, and when."""

    rivals = SelectMultipleField(
        _l("Rival locations"),
        choices=options(RIVAL_LOCATIONS),
        validators=[Optional()],
        description=_l("The other locations the investor is considering."),
    )
    likelihood = SelectField(
        _l("Likelihood to land"), choices=options([("", _l("—")), *LIKELIHOODS]), default=""
    )
    expected_land_date = DateField(_l("Expected land date"), validators=[Optional()])


class ContactForm(HtmlForm):
    """A contact with the investor (informed organisations may log these too)."""

    channel = SelectField(_l("How"), choices=options(CONTACT_CHANNELS))
    summary = TextAreaField(_l("What was said"), validators=[DataRequired(), Length(max=5000)])


class ReferForm(HtmlForm):
    """Offer a lead to another organisation."""

    organisation = SelectField(_l("Refer to"), choices=options([]))
    message = TextAreaField(_l("Message to them"), validators=[DataRequired(), Length(max=5000)])


REFERRAL_DECISIONS = (("accept", _l("Accept: the lead becomes ours")), ("decline", _l("Decline")))


class ReferralAnswerForm(HtmlForm):
    """Accept or decline a referral (a reason is required to decline)."""

    decision = RadioField(_l("Your answer"), choices=options(REFERRAL_DECISIONS))
    reason = TextAreaField(
        _l("Reason"),
        validators=[Length(max=2000)],
        description=_l("Required when you decline."),
    )

    def validate_reason(self, field) -> None:
        """Require a reason to decline."""
        if self.decision.data == "decline" and not (field.data or "").strip():
            raise ValidationError(_l("Say why you decline."))


class NoteForm(HtmlForm):
    """A note on a lead."""

    body = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=10000)])


class PlanStepForm(HtmlForm):
    """A next step agreed with the investor, shown on their plan."""

    text = StringField(
        _l("Next step agreed with the investor"),
        validators=[DataRequired(), Length(max=300), PlainText()],
        description=_l("The investor reads this on their plan, in the words you write here."),
    )
    due_on = DateField(_l("By (optional)"), validators=[Optional()])


class PlanStepChangeForm(HtmlForm):
    """Mark an agreed step done (or open again), or remove it."""

    action = SelectField(
        choices=options([("done", _l("Done")), ("open", _l("Open")), ("remove", _l("Remove"))]),
        validators=[DataRequired()],
    )


class AssignForm(HtmlForm):
    """Owner and, for coordinators, the organisation of a lead."""

    organisation = SelectField(_l("Organisation"), coerce=int, validators=[Optional()])
    owner = SelectField(_l("Owner"), coerce=int, validators=[Optional()])
    reason = StringField(_l("Why"), validators=[Optional(), Length(max=500)])


class EraseForm(HtmlForm):
    """Confirm the erasure of a person's data."""

    confirm = BooleanField(
        _l("I understand that this person's data will be erased here and in the CRM."),
        validators=[InputRequired(message=_l("Tick the box to confirm."))],
    )
    reason = SelectField(
        _l("Why"),
        choices=options(
            [
                ("request", _l("The person asked to be erased")),
                ("retention", _l("Retention period over")),
                ("other", _l("Other")),
            ]
        ),
    )


SCORE_FILTER_MAX = 1000  # well above any score the rules can give; keeps SQL integers in range
FILTER_DATE_RANGE = (dt.date(2000, 1, 1), dt.date(2999, 12, 31))


class DateWithin:
    """Refuse a filter date outside the years leads can have (e.g. 9999-12-31)."""

    def __call__(self, form, field) -> None:
        first, last = FILTER_DATE_RANGE
        if field.data is not None and not first <= field.data <= last:
            raise ValidationError(
                _l("Please enter a date between %(first)s and %(last)s.", first=first, last=last)
            )


class LeadFilterForm(HtmlForm):
    """Filters, search and sorting of the lead list (read from the query string)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Search name, company or email"), validators=[Optional(), Length(max=200), PlainText()]
    )
    stage = SelectField(_l("Stage"), choices=options([("", _l("Any")), *STAGE_CHOICES]), default="")
    country = SelectField(
        _l("Country of interest"), choices=options([("", _l("Any")), *COUNTRY_CHOICES]), default=""
    )
    sector = SelectField(_l("Sector"), choices=options([("", _l("Any")), *INTERESTS]), default="")
    source = SelectField(_l("Source"), choices=options([("", _l("Any")), *SOURCES]), default="")
    campaign = StringField(
        _l("Campaign or roadshow"), validators=[Optional(), Length(max=200), PlainText()]
    )
    score_min = WholeNumberField(
        _l("Score from"), validators=[Optional(), NumberRange(min=0, max=SCORE_FILTER_MAX)]
    )
    score_max = WholeNumberField(
        _l("Score to"), validators=[Optional(), NumberRange(min=0, max=SCORE_FILTER_MAX)]
    )
    organisation = SelectField(_l("Organisation"), choices=options([("", _l("Any"))]), default="")
    owner = SelectField(
        _l("Owner"), choices=options([("", _l("Anyone")), ("none", _l("Nobody"))]), default=""
    )
    created_from = DateField(_l("Received from"), validators=[Optional(), DateWithin()])
    created_to = DateField(_l("Received until"), validators=[Optional(), DateWithin()])
    relation = SelectField(
        _l("Ownership"),
        choices=options(
            [("", _l("Any")), ("owned", _l("Owned by us")), ("shared", _l("Shared with us"))]
        ),
        default="",
    )
    overdue = BooleanField(_l("Only overdue"))
    high_value = BooleanField(_l("Only high value"))
    sort = SelectField(_l("Sort"), choices=options(SORTS), default="-created")
