"""The lead forms: inquiry, roadshow meeting request and regional report.

Option values come from ``leads.choices`` and ``core.countries``; only the labels live here.
Every text field has a length limit and refuses control characters (NUL and friends) with an
error beside the field; any other Unicode (accents, right-to-left scripts, emoji) is welcome.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from babel import Locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

from core.countries import COUNTRIES
from core.forms import HtmlForm, MultiCheckboxField
from core.i18n import current_lang
from core.locales import DEFAULT_LANG, LANGUAGE_NAMES, LANGUAGES
from leads import choices
from leads.capture.spam import HONEYPOT_FIELD, RENDERED_FIELD
from leads.capture.text import has_control_characters, strip_control_characters

NAME_MAX, EMAIL_MAX, COMPANY_MAX, TITLE_MAX = 200, 254, 200, 200
PHONE_MAX, WEBSITE_MAX, MESSAGE_MAX = 50, 300, 5000
# Babel's territory list includes groupings and placeholders that are not countries.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})
_HOST_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
INVALID_CHOICE = _l("Please choose from the options shown.")


def strip_text(value):
    """Trim surrounding white space from submitted text."""
    return value.strip() if isinstance(value, str) else value


class PlainText:
    """Refuse control characters (NUL, escape sequences, and so on) in a text field."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and has_control_characters(
            field.data, multiline=self.multiline
        ):
            # Show the text again without them, so the page never echoes raw control bytes.
            field.data = strip_control_characters(field.data, multiline=self.multiline)
            raise StopValidation(
                _l(
                    "This text contained invisible control characters, which we have removed. "
                    "Please check it and send the form again."
                )
            )


def website_host(url: str) -> str:
    """Return the host name of a company website (lower case, without ``www.``); "" if none."""
    candidate = url if "://" in url else f"https://{url}"
    try:
        parts = urlsplit(candidate)
        host = (parts.hostname or "").encode("idna").decode("ascii").lower()
    except (ValueError, UnicodeError):
        return ""
    if parts.scheme not in ("http", "https") or not _HOST_RE.match(host):
        return ""
    return host.removeprefix("www.")


def validate_website(form, field) -> None:
    """Accept a company website given with or without ``https://``."""
    if field.data and not website_host(field.data):
        raise ValidationError(_l("Please enter a web address such as example.com."))


def options(pairs) -> list[SelectChoice]:
    """Return (value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def country_choices(lang: str | None = None) -> list[SelectChoice]:
    """Return the six countries, named in ``lang``, and "not decided yet" as check box options."""
    lang = lang or current_lang()
    territories = {} if lang == DEFAULT_LANG else Locale.parse(lang).territories
    return options(
        [(c.slug, territories.get(c.iso2, c.name)) for c in COUNTRIES]
        + [(choices.UNDECIDED, _l("Not decided yet"))]
    )


def hq_country_choices(lang: str) -> list[SelectChoice]:
    """Return ISO 3166-1 alpha-2 codes with their names in ``lang``, sorted by name."""
    territories = Locale.parse(lang).territories
    countries = sorted(
        (
            (code, name)
            for code, name in territories.items()
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
        ),
        key=lambda item: item[1].casefold(),
    )
    return options([("", _l("Choose a country")), *countries])


def optional(pairs) -> list[SelectChoice]:
    """Return an option list with a leading "no answer" option."""
    return options([("", _l("Choose one (optional)")), *pairs])


class BotTrapForm(HtmlForm):
    """The honeypot and the signed render time every lead form carries.

    CSRF is checked by the views before anything else, so the form itself does not repeat it.
    """

    class Meta:
        csrf = False

    homepage = StringField(_l("Leave this field empty"), name=HONEYPOT_FIELD)
    rendered_at = HiddenField(name=RENDERED_FIELD)


class ContactForm(BotTrapForm):
    """The contact core every lead form shares (names are part of the public contract)."""

    full_name = StringField(
        _l("Full name"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Please tell us your name.")),
            Length(max=NAME_MAX),
            PlainText(),
        ],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("Work email"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Please give an email address we can reply to.")),
            Length(max=EMAIL_MAX),
            PlainText(),
            Email(_l("Please check the email address, e.g. name@company.com.")),
        ],
        render_kw={"autocomplete": "email"},
    )
    company = StringField(
        _l("Company"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Please tell us your company.")),
            Length(max=COMPANY_MAX),
            PlainText(),
        ],
        render_kw={"autocomplete": "organization"},
    )
    job_title = StringField(
        _l("Job title"),
        filters=[strip_text],
        validators=[Optional(), Length(max=TITLE_MAX), PlainText()],
        render_kw={"autocomplete": "organization-title"},
    )
    phone = TelField(
        _l("Phone (optional)"),
        filters=[strip_text],
        description=_l("Only if you would like us to call you. Include the country code."),
        validators=[
            Optional(),
            Length(max=PHONE_MAX),
            PlainText(),
            Regexp(
                r"^\+?[0-9 ()./-]{4,40}(?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?$",
                message=_l("Please use digits, spaces and + ( ) - only, e.g. +49 89 1234567."),
            ),
        ],
        render_kw={"autocomplete": "tel"},
    )
    countries = MultiCheckboxField(
        _l("Countries of interest"),
        description=_l("Choose as many as you like, or none if you have not decided yet."),
        invalid_choice_message=INVALID_CHOICE,
    )
    preferred_language = SelectField(
        _l("Preferred language for our reply"),
        choices=options((code, LANGUAGE_NAMES[code]) for code in LANGUAGES),
        default=current_lang,
    )
    consent = BooleanField(
        _l("I agree that my data is used to answer this request, as the privacy notice explains."),
        validators=[DataRequired(_l("We can only answer if you agree to this."))],
    )
    # A separate, optional purpose: never ticked in advance, never required.
    updates = BooleanField(
        _l(
            "Optional: my adviser may check in with me by email if I go quiet, at most twice. "
            "Every such email has a one-click unsubscribe link."
        ),
        default=False,
    )


class InquiryForm(ContactForm):
    """The investor inquiry at ``/contact/``, with the questions that make a lead qualifiable."""

    company_website = StringField(
        _l("Company website"),
        filters=[strip_text],
        validators=[Optional(), Length(max=WEBSITE_MAX), PlainText(), validate_website],
        render_kw={"autocomplete": "url", "inputmode": "url", "placeholder": "example.com"},
    )
    hq_country = SelectField(
        _l("Headquarters country"), default="", invalid_choice_message=INVALID_CHOICE
    )
    interest = RadioField(
        _l("What are you interested in?"),
        choices=options(choices.INTERESTS),
        default="unsure",
        invalid_choice_message=INVALID_CHOICE,
    )
    project_type = SelectField(
        _l("What kind of project?"),
        choices=optional(choices.PROJECT_TYPES),
        default="",
        invalid_choice_message=INVALID_CHOICE,
    )
    headcount_band = SelectField(
        _l("Planned team size"),
        choices=options(choices.HEADCOUNT_BANDS),
        default="unknown",
        invalid_choice_message=INVALID_CHOICE,
    )
    investment_band = SelectField(
        _l("Planned investment"),
        choices=options(choices.INVESTMENT_BANDS),
        default="unknown",
        invalid_choice_message=INVALID_CHOICE,
    )
    timeline = SelectField(
        _l("When do you plan to start?"),
        choices=optional(choices.TIMELINES),
        default="",
        invalid_choice_message=INVALID_CHOICE,
    )
    roadshow = SelectField(
        _l("Would you like to meet us at an investor roadshow?"),
        default="",
        invalid_choice_message=INVALID_CHOICE,
    )
    help_with = MultiCheckboxField(
        _l("We would like help with"),
        choices=options(choices.HELP_WITH),
        invalid_choice_message=INVALID_CHOICE,
    )
    message = TextAreaField(
        _l("Your message (optional)"),
        filters=[strip_text],
        description=_l("Anything that helps us prepare: services, languages, skills, locations."),
        validators=[Optional(), Length(max=MESSAGE_MAX), PlainText(multiline=True)],
        render_kw={"rows": 6},
    )


class MeetingForm(ContactForm):
    """A meeting request for one roadshow: the contact core plus a slot and topics."""

    slot = RadioField(
        _l("Preferred day and time"), default="", invalid_choice_message=INVALID_CHOICE
    )
    topics = MultiCheckboxField(_l("Topics to discuss"), invalid_choice_message=INVALID_CHOICE)
    message = TextAreaField(
        _l("Anything else we should know? (optional)"),
        filters=[strip_text],
        validators=[Optional(), Length(max=MESSAGE_MAX), PlainText(multiline=True)],
        render_kw={"rows": 4},
    )


class ReportForm(BotTrapForm):
    """The regional report request: an email address and consent."""

    email = ContactForm.email
    consent = BooleanField(
        _l("Send me the regional report by email. My address is used only for this."),
        validators=[DataRequired(_l("We can only send the report if you agree to this."))],
    )


class EstimateForm(BotTrapForm):
    """ "Send me this estimate": who to send it to (the scenario comes with the page)."""

    full_name = ContactForm.full_name
    email = ContactForm.email
    company = ContactForm.company
    consent = BooleanField(
        _l(
            "Send me this estimate by email, and let the agencies of the countries I chose "
            "follow it up, as the privacy notice explains."
        ),
        validators=[DataRequired(_l("We can only send the estimate if you agree to this."))],
    )
