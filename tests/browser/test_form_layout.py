"""The lead forms look like the rest of the site at desktop and phone widths, in every language.

Measured in the browser: the form sits in the site's content column (aligned with the header's),
no field is wider than the form or the window, every required marker shares a line with the
end of its label, and at desktop width the notes on what happens next stand beside the form.
"""

from __future__ import annotations

import time

import pytest

from core.locales import LANGUAGES
from tests.browser.conftest import FORM_MIN_SECONDS
from tests.browser.forms import wait_past_bot_trap
from tests.browser.helpers import form_paths

pytestmark = pytest.mark.browser

FORMS = form_paths()
WIDTHS = {"desktop": 1366, "phone": 360}

MEASURE = """() => {
  const box = el => el.getBoundingClientRect();
  const content = el => {
    const r = box(el), s = getComputedStyle(el);
    return {left: r.left + parseFloat(s.paddingLeft), right: r.right - parseFloat(s.paddingRight)};
  };
  const form = document.querySelector("main form.lead-form");
  const column = content(document.querySelector("main .form-page"));
  const header = content(document.querySelector(".site-header .wrap"));
  const f = box(form), aside = box(document.querySelector("main .form-aside"));
  const overflowing = [...form.querySelectorAll("input, select, textarea, button")]
    .filter(el => el.type !== "hidden" && !el.closest(".form-trap"))
    .filter(el => { const r = box(el); return r.left < f.left - 1 || r.right > f.right + 1; })
    .map(el => el.name || el.id);
  const split = [...form.querySelectorAll(".req")].filter(marker => {
    const text = marker.previousSibling;  // the label text, ending in a no-break space
    if (!text || text.nodeType !== Node.TEXT_NODE) return true;
    const words = text.textContent.trimEnd();
    const range = document.createRange();
    range.setStart(text, words.length - 1);
    range.setEnd(text, words.length);
    const last = [...range.getClientRects()].pop();
    return !last || Math.abs(last.top - box(marker).top) > 4;
  }).map(marker => marker.parentElement.textContent.trim());
  return {
    form: {left: f.left, right: f.right}, column, header,
    aside: {left: aside.left, top: aside.top}, formBottom: f.bottom, formTop: f.top,
    overflowing, split,
    markers: form.querySelectorAll(".req").length,
    sideways: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(FORMS))
def test_form_page_layout(new_page, name, lang, width):
    """Form in the content column, no overflowing field, markers on their label's line."""
    page = new_page(viewport={"width": WIDTHS[width], "height": 900})
    prefix = "" if lang == "en" else f"/{lang}"
    assert page.goto(prefix + FORMS[name]).status == 200
    m = page.evaluate(MEASURE)
    assert m["sideways"] <= 0, f"the page scrolls sideways by {m['sideways']}px"
    assert abs(m["column"]["left"] - m["header"]["left"]) <= 1, "not in the site's content column"
    assert m["form"]["left"] >= m["column"]["left"] - 1
    assert m["form"]["right"] <= m["column"]["right"] + 1
    assert not m["overflowing"], f"fields wider than the form: {m['overflowing']}"
    assert m["markers"] >= 2, "the required fields carry no marker"
    assert not m["split"], f"required markers on a line of their own: {m['split']}"
    if width == "desktop":
        assert m["aside"]["left"] >= m["form"]["right"], "what happens next is not beside the form"
        assert m["form"]["left"] - m["column"]["left"] <= 1, "the form does not start the column"
    else:
        assert m["aside"]["top"] >= m["formBottom"], "on a phone the notes follow the form"


def test_error_summary_links_to_each_invalid_field(new_page):
    """Sent empty, the form lists its errors at the top, each a link that moves to its field."""
    page = new_page(viewport={"width": 1366, "height": 900})
    page.goto("/contact/")
    rendered = time.monotonic()
    form = page.locator("main form.lead-form")
    form.evaluate("f => { f.noValidate = true; }")
    wait_past_bot_trap(rendered, FORM_MIN_SECONDS)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    links = page.locator(".form-summary a")
    assert links.count() >= 3
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")
        assert target.startswith("#")
        assert page.locator(target).count() == 1, f"{target} links to no field"
    links.first.click()
    assert page.evaluate("location.hash") == links.first.get_attribute("href")
