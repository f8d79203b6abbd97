"""The frozen site (``flask freeze``): valid HTML, and it works from a plain static server."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import FORM_MIN_SECONDS
from tests.browser.forms import contact_form, fill_lead_form, find_lead, submit, wait_past_bot_trap
from tests.browser.helpers import vnu_errors

pytestmark = pytest.mark.browser


def test_frozen_site_is_valid_html(frozen_site):
    """The Nu HTML Checker finds no error in any frozen page."""
    files = frozen_site.html_files()
    assert len(files) >= 20, f"only {len(files)} HTML files frozen"
    errors = vnu_errors(frozen_site.root)
    report = [
        f"{e['url'].removeprefix('file:')}:{e.get('lastLine', '?')}: {e['message']}"
        f"  [{e.get('extract', '').strip()[:120]}]"
        for e in errors
    ]
    assert not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(report[:60])


def test_frozen_pages_load_from_a_static_server(frozen_site, live_server, page):
    """Every frozen page loads its assets from the static server without a failed request."""
    for file in frozen_site.html_files():
        path = "/" + file.relative_to(frozen_site.root).as_posix()
        path = path.removesuffix("index.html")
        response = page.goto(frozen_site(path))
        assert response.status == 200, path
        assert page.evaluate("() => document.styleSheets.length") >= 1, path


def test_frozen_pages_send_investors_to_the_live_app(frozen_site, live_server, page):
    """The inquiry links of the frozen site point at the live app (LEADS_URL), which answers."""
    page.goto(frozen_site("/"))
    contact = page.locator('a[href*="/contact/"]').first
    assert contact.count() == 1, "the frozen home page has no link to the inquiry form"
    href = contact.get_attribute("href")
    assert urlsplit(href).netloc == urlsplit(live_server.url).netloc, href
    contact.click()
    page.wait_for_url(f"{live_server.url}/contact/**")
    assert page.locator('form input[name="email"]').count() == 1


def test_campaign_parameters_reach_the_inquiry_across_origins(frozen_site, live_server, page):
    """Landing on a frozen page with utm_* parameters, the visitor's inquiry still records them.

    The self-hosted script copies them onto the links to the live forms: no cookie and no
    storage on the frozen origin.
    """
    page.goto(frozen_site("/countries/serbia/?utm_source=linkedin&utm_campaign=spring-2027&x=1"))
    contact = page.locator('a.nav-cta[href*="/contact/"]').first
    href = contact.get_attribute("href")
    assert href.startswith(live_server.url), href
    assert "utm_source=linkedin" in href
    assert "utm_campaign=spring-2027" in href
    assert "x=1" not in href  # only campaign parameters travel
    assert page.evaluate("() => document.cookie") == ""
    assert page.evaluate("() => window.localStorage.length + window.sessionStorage.length") == 0
    internal = page.locator(f'a[href^="{frozen_site.url}"], a[href^="/"]').first
    assert "utm_" not in (internal.get_attribute("href") or "")
    rendered = time.monotonic()
    contact.click()
    page.wait_for_url(f"{live_server.url}/contact/**")
    form = contact_form(page)
    fill_lead_form(form, "campaign.visitor@attribution.example")
    wait_past_bot_trap(rendered, FORM_MIN_SECONDS)
    submit(form)
    page.wait_for_url("**/contact/thanks/**")
    lead = find_lead(live_server.app, "campaign.visitor@attribution.example")
    (inquiry,) = lead.inquiries
    assert (inquiry.utm_source, inquiry.utm_campaign) == ("linkedin", "spring-2027")
