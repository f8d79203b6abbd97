"""The base of every form: HTML forms read form fields only, never a JSON body; and the number
fields every form uses, which read only numbers a person types."""

from __future__ import annotations

import decimal

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict
from wtforms import DecimalField, IntegerField, SelectMultipleField
from wtforms.validators import NumberRange, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from core.numbers import MAX_DIGITS, parse_whole_number

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


class WholeNumberField(IntegerField):
    """A whole number as a person types it: ASCII digits, at most ``MAX_DIGITS`` of them.

    WTForms' ``IntegerField`` reads any length, and a range check then fails converting a
    309-digit number to a float (a server error). Here a longer number is an error beside the
    field: the field's own range message when it has one, else "This number is too large."
    """

    too_large = 0  # the sign of a number with too many digits, else 0

    def process_formdata(self, valuelist):
        """Read the typed value; refuse what is not a whole number of sensible length."""
        self.too_large = 0
        if not valuelist or valuelist[0] in ("", None):
            self.data = None
            return
        self.data = parse_whole_number(valuelist[0])
        if self.data is None:
            text = str(valuelist[0]).strip()
            digits = text.lstrip("+-")
            if len(text) - len(digits) <= 1 and digits.isascii() and digits.isdigit():
                self.too_large = -1 if text.startswith("-") else 1
                raise ValueError(_l("This number is too large."))
            raise ValueError(_l("Enter a whole number, digits only."))

    def pre_validate(self, form):
        """Stop at a value that could not be read, with the range's message if there is one.

        The range says what to type ("from 5 to 500"); a number too long to compare is
        compared as one past the range's end.
        """
        if not self.process_errors:
            return
        for validator in self.validators:
            if not isinstance(validator, NumberRange):
                continue
            bound = validator.max if self.too_large > 0 else validator.min
            self.data = bound + self.too_large if self.too_large and bound is not None else None
            try:
                validator(form, self)
            except ValidationError as error:
                self.errors[:] = []  # validate() copied the reading error in already
                raise StopValidation(str(error)) from None
            finally:
                self.data = None
        raise StopValidation()


class FiniteDecimalField(DecimalField):
    """A decimal number as a person types it: finite, of sensible length.

    ``Decimal`` reads "NaN", "sNaN" and "Infinity", and a range check on a signalling NaN
    raises (a server error); here such a value is an error beside the field.
    """

    def process_formdata(self, valuelist):
        """Read the typed value; refuse what is not a finite number."""
        if not valuelist or valuelist[0] in ("", None):
            self.data = None
            return
        text = str(valuelist[0]).strip()
        try:
            value = decimal.Decimal(text) if len(text) <= 2 * MAX_DIGITS else None
        except (decimal.InvalidOperation, ValueError):
            value = None
        if value is None or not value.is_finite() or abs(value.adjusted()) > MAX_DIGITS:
            self.data = None
            raise ValueError(_l("Enter a number such as 1.25."))
        self.data = value

    def pre_validate(self, form):
        """Stop at a value that could not be read: its message says it all."""
        if self.process_errors:
            raise StopValidation()
