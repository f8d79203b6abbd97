"""The investor's way through the site in a real browser, with and without JavaScript."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.browser.conftest import FORM_MIN_SECONDS
from tests.browser.forms import (
    HONEYPOT,
    contact_form,
    fill_lead_form,
    find_lead,
    submit,
    wait_past_bot_trap,
)
from tests.browser.helpers import content_store

pytestmark = pytest.mark.browser

COUNTRY_PAGE = re.compile(r"/countries/[a-z-]+/$")
CASE_STUDY_PAGE = re.compile(r"/case-studies/[a-z0-9-]+/$")
CONTACT_PAGE = re.compile(r"/contact/(\?.*)?$")


def click_link(page, pattern: re.Pattern, via: str | None = None) -> str:
    """Click the first visible link whose path matches; else go through the ``via`` link first."""
    for _ in range(2):
        hrefs = page.locator("a[href]:visible").evaluate_all(
            "as => as.map(a => new URL(a.getAttribute('href'), document.baseURI).href)"
        )
        for n, href in enumerate(hrefs):
            path = re.sub(r"^https?://[^/]+", "", href)
            if pattern.search(path):
                page.locator("a[href]:visible").nth(n).click()
                page.wait_for_load_state()
                assert pattern.search(re.sub(r"^https?://[^/]+", "", page.url)), page.url
                return page.url
        if via is None:
            break
        page.locator(f'a[href$="{via}"]:visible').first.click()
        page.wait_for_load_state()
        via = None
    raise AssertionError(f"no link matching {pattern.pattern} on {page.url}")


def investor_journey(page, app, email: str) -> None:
    """Home → a country profile → a case study → the inquiry form → thank-you; lead stored."""
    page.goto("/")
    click_link(page, COUNTRY_PAGE, via="/countries/")
    assert page.locator("h1").is_visible()
    click_link(page, CASE_STUDY_PAGE, via="/case-studies/")
    assert page.locator("h1").is_visible()
    click_link(page, CONTACT_PAGE, via="/contact/")
    rendered = time.monotonic()
    form = contact_form(page)
    fill_lead_form(form, email, countries=("serbia", "north-macedonia"))
    wait_past_bot_trap(rendered, FORM_MIN_SECONDS)
    submit(form)
    page.wait_for_url("**/contact/thanks/**")
    assert page.locator("h1").is_visible()
    lead = find_lead(app, email)
    assert lead is not None, "the inquiry was not stored"
    assert lead.full_name == "Anna Berger"
    assert lead.company == "Berger Software GmbH"
    assert {"serbia", "north-macedonia"} <= set(lead.country_slugs)
    assert [i.kind for i in lead.inquiries] == ["inquiry"]


def test_investor_journey(page, live_server):
    """An investor browses from home to a case study, sends an inquiry and is thanked."""
    investor_journey(page, live_server.app, "anna.berger@berger-software.example")


def test_investor_journey_without_javascript(new_page, live_server):
    """The same journey works with JavaScript switched off."""
    page = new_page(java_script_enabled=False)
    investor_journey(page, live_server.app, "anna.nojs@berger-software.example")


def test_german_inquiry(page, live_server):
    """A German visitor sends the inquiry from /de/ and is thanked in German."""
    page.goto("/de/")
    assert page.evaluate("() => document.documentElement.lang") == "de"
    click_link(page, re.compile(r"^/de/contact/(\?.*)?$"), via="/de/contact/")
    rendered = time.monotonic()
    form = contact_form(page)
    assert form.locator("input[name='countries'][value='serbia']").count() == 1
    fill_lead_form(form, "klara.schmidt@schmidt-it.example")
    wait_past_bot_trap(rendered, FORM_MIN_SECONDS)
    submit(form)
    page.wait_for_url("**/de/contact/thanks/**")
    assert page.evaluate("() => document.documentElement.lang") == "de"
    lead = find_lead(live_server.app, "klara.schmidt@schmidt-it.example")
    assert lead is not None
    assert lead.preferred_language == "de"


def test_inquiry_sent_too_fast_comes_back_and_is_not_stored(page, live_server):
    """A form posted before the minimum time comes back, everything kept, with a note."""
    app = live_server.app
    saved = app.config["FORM_MIN_SECONDS"]
    app.config["FORM_MIN_SECONDS"] = 60
    try:
        page.goto("/contact/")
        form = contact_form(page)
        fill_lead_form(form, "too.fast@bot.example")
        submit(form)
        page.wait_for_load_state()
        assert "/contact/thanks/" not in page.url
        assert page.get_by_text("Please check your details and send the form again.").count()
        assert contact_form(page).locator("[name='email']").input_value() == (
            "too.fast@bot.example"
        )
    finally:
        app.config["FORM_MIN_SECONDS"] = saved
    assert find_lead(app, "too.fast@bot.example") is None


def test_honeypot_is_invisible_and_unreachable_by_keyboard(page):
    """The bot trap field is not seen, not announced and never reached with Tab."""
    page.goto("/contact/")
    form = contact_form(page)
    trap = form.locator(f"[name='{HONEYPOT}']")
    assert trap.count() == 1, "the inquiry form has no honeypot field"
    # Not visible: either not rendered, or rendered entirely outside the viewport or clipped.
    box = trap.bounding_box()
    viewport = page.viewport_size
    visible = trap.is_visible() and box is not None and box["width"] > 1 and box["height"] > 1
    on_screen = visible and (
        box["x"] + box["width"] > 0
        and box["y"] + box["height"] > 0
        and box["x"] < viewport["width"]
        and box["x"] >= -1
    )
    assert not on_screen, f"the honeypot is visible at {box}"
    assert trap.get_attribute("tabindex") == "-1" or not trap.is_visible()
    # Not announced: hidden from assistive technology (aria-hidden container or not rendered).
    hidden_from_at = trap.evaluate(
        "e => !!e.closest('[aria-hidden=true]') || getComputedStyle(e).display === 'none'"
        " || getComputedStyle(e).visibility === 'hidden'"
    )
    assert hidden_from_at, "screen readers would announce the honeypot"
    assert trap.get_attribute("autocomplete") == "off", "browsers might autofill the honeypot"
    # Tab through the whole page: focus never lands on the trap.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    names = []
    for _ in range(120):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e ? (e.getAttribute('name') || e.tagName.toLowerCase()) : null; }"
        )
        assert focused != HONEYPOT, f"Tab reached the honeypot after {names}"
        names.append(focused)
        if focused == "body" and len(names) > 3:
            break
    assert "email" in names, f"Tab order misses form fields: {names}"
    assert "consent" in names, f"Tab order misses form fields: {names}"


def test_roadshow_meeting_request(page, live_server):
    """An investor asks for a meeting at an upcoming roadshow from its event page."""
    store = content_store()
    roadshows = [e for e in store.all("events") if e.meta.kind == "roadshow" and e.meta.meetings]
    assert roadshows, "no roadshow with meetings in content/events"
    event = roadshows[0]
    page.goto("/events/")
    page.locator(f'main a[href$="/events/{event.slug}/"]').first.click()
    page.wait_for_url(f"**/events/{event.slug}/")
    page.locator(f'main a[href$="/events/{event.slug}/meet/"]').first.click()
    page.wait_for_url(f"**/events/{event.slug}/meet/")
    rendered = time.monotonic()
    form = contact_form(page)
    email = "lena.holm@nordic-bpo.example"
    fill_lead_form(form, email)
    wait_past_bot_trap(rendered, FORM_MIN_SECONDS)
    submit(form)
    page.wait_for_load_state()
    assert "/meet/" not in page.url or "thanks" in page.url, f"not thanked: {page.url}"
    lead = find_lead(live_server.app, email)
    assert lead is not None, "the meeting request was not stored"
    meeting = [i for i in lead.inquiries if i.kind == "meeting"]
    assert meeting
    assert meeting[0].event_slug == event.slug


# A tiny but well-formed PDF standing in for the regional report.
REPORT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def published_report(live_server):
    """Publish a report file on the live server for one test."""
    path = live_server.tmp / "western-balkans-report.pdf"
    path.write_bytes(REPORT_PDF)
    config = live_server.app.config
    saved = config.get("REPORT_FILE")
    config["REPORT_FILE"] = str(path)
    yield path
    config["REPORT_FILE"] = saved


def test_report_download(page, live_server, published_report):
    """An investor asks for the regional report and downloads the file from the thank-you page."""
    page.goto("/report/")
    rendered = time.monotonic()
    form = contact_form(page)
    email = "jonas.weber@weber-it.example"
    fill_lead_form(form, email)
    wait_past_bot_trap(rendered, FORM_MIN_SECONDS)
    submit(form)
    page.wait_for_url("**/report/thanks/**")
    link = page.locator("main a[href*='/report/download/']")
    assert link.count() == 1, f"no download link after the report form ({page.url})"
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None
    assert Path(download.path()).read_bytes() == REPORT_PDF
    assert download.suggested_filename.endswith(".pdf")
    lead = find_lead(live_server.app, email)
    assert lead is not None
    assert [i.kind for i in lead.inquiries] == ["report"]
