"""The lead forms in a browser: accessible when empty, when showing errors, and when thanked."""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import FORM_MIN_SECONDS
from tests.browser.forms import contact_form, fill_lead_form, submit, wait_past_bot_trap
from tests.browser.helpers import assert_accessible, form_paths

pytestmark = pytest.mark.browser


FORMS = form_paths()


@pytest.mark.parametrize("name", list(FORMS))
def test_form_and_its_error_state_are_accessible(page, name):
    """Each lead form passes axe; sent empty, it shows errors tied to the fields and still does."""
    response = page.goto(FORMS[name])
    rendered = time.monotonic()
    assert response.status == 200
    assert_accessible(page)
    form = contact_form(page)
    # Skip the browser's own checks so the server's error messages show.
    form.evaluate("f => { f.noValidate = true; }")
    wait_past_bot_trap(rendered, FORM_MIN_SECONDS)
    submit(form)
    page.wait_for_load_state()
    errors = page.locator("main [aria-invalid='true']")
    assert errors.count() >= 1, "no field is marked invalid after an empty submission"
    first = errors.first
    described = first.get_attribute("aria-describedby") or ""
    assert described, "an invalid field is not tied to its error message"
    message = page.locator(f"#{described.split()[-1]}")
    assert message.inner_text().strip(), "the error message is empty"
    assert_accessible(page)


def test_thank_you_page_is_accessible(page):
    """The thank-you page after a real inquiry passes axe."""
    page.goto("/contact/")
    rendered = time.monotonic()
    form = contact_form(page)
    fill_lead_form(form, "thanks.page@axe-check.example")
    wait_past_bot_trap(rendered, FORM_MIN_SECONDS)
    submit(form)
    page.wait_for_url("**/contact/thanks/**")
    assert_accessible(page)
