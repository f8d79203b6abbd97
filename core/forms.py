"""The base of every form: HTML forms read form fields only, never a JSON body."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

SUBMIT_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class HtmlForm(FlaskForm):
    """A Flask-WTF form (CSRF included) that ignores JSON bodies.

    Flask-WTF feeds a JSON body to the form as if it were form fields, so a body such as ``0``
    breaks the form with a server error. Our forms are posted by browsers: form data only.
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            """Return the submitted form fields and files (None when not submitted)."""
            if formdata is None or hasattr(formdata, "getlist"):
                return formdata  # given explicitly
            if request.method not in SUBMIT_METHODS:
                return None
            return CombinedMultiDict((request.files, request.form))


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as check boxes (the form macro renders them as one group)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
