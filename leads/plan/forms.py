"""The plan's two forms: a message to the adviser, and asking for a new link."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from core.forms import HtmlForm
from leads.capture.forms import ContactForm, PlainText, strip_text

MESSAGE_MAX = 4000


class PlanMessageForm(HtmlForm):
    """A message from the investor to their adviser."""

    body = TextAreaField(
        _l("Your message"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Please write your message.")),
            Length(max=MESSAGE_MAX, message=_l("Please keep it under 4,000 characters.")),
            PlainText(multiline=True),
        ],
    )


class NewLinkForm(HtmlForm):
    """The address a new plan link is sent to (if we know it)."""

    email = ContactForm.email
