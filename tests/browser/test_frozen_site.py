"""The frozen site (``flask freeze``): valid HTML, and it works from a plain static server."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

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
