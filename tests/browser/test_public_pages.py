"""The public site in a browser: every page loads cleanly, passes axe, and fits a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE
from tests.browser.helpers import (
    all_public_paths,
    assert_accessible,
    form_paths,
    public_page_types,
)

pytestmark = pytest.mark.browser

PAGE_TYPES = public_page_types()


def test_every_public_page_loads_without_errors(page):
    """Each public page answers 200 with its styles applied, no console error, no failed load."""
    for path in all_public_paths():
        response = page.goto(path)
        assert response is not None, f"{path}: no response"
        assert response.status == 200, f"{path}: {response.status}"
        assert page.locator("h1").count() == 1, f"{path}: expected exactly one <h1>"
        assert page.title(), f"{path}: empty <title>"
        # The stylesheet really applied (a CSP block or a broken link would leave it unstyled).
        assert page.evaluate("() => document.styleSheets.length") >= 1, path


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_public_page_type_is_accessible(page, name):
    """axe-core finds no serious or critical WCAG 2.1 A/AA violation on each page type."""
    response = page.goto(PAGE_TYPES[name])
    assert response.status == 200
    assert_accessible(page)


def test_translated_home_is_accessible(page):
    """The German home page declares its language and passes axe too."""
    response = page.goto("/de/")
    assert response.status == 200
    assert page.evaluate("() => document.documentElement.lang") == "de"
    assert_accessible(page)


def test_no_public_page_scrolls_sideways_on_a_phone(new_page):
    """At 360 x 740 nothing is wider than the screen on any public page, in any language."""
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    too_wide = []
    types = [*PAGE_TYPES.values(), *form_paths().values()]
    translated = [f"/{lang}{path}" for lang in ("de", "sv") for path in types]
    for path in [*all_public_paths(), *form_paths().values(), *translated]:
        phone.goto(path)
        width = phone.evaluate("() => document.scrollingElement.scrollWidth")
        if width > PHONE["width"]:
            culprits = phone.evaluate(WIDEST_ELEMENTS, PHONE["width"])
            too_wide.append(f"{path}: scrollWidth {width}px; wider elements: {culprits}")
    assert not too_wide, "pages scroll sideways at 360px:\n" + "\n".join(too_wide)


# The elements sticking out past the right edge, innermost first, to name the culprit.
WIDEST_ELEMENTS = """(limit) => {
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > limit + 1 && r.width > 0) {
            const id = el.id ? '#' + el.id : '';
            const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
            out.push(`${el.tagName.toLowerCase()}${id}${cls} (right ${Math.round(r.right)}px)`);
        }
    }
    return out.slice(-5);
}"""


def test_navigation_is_usable_on_a_phone(new_page):
    """On a phone the main navigation can be opened, its links fit and lead to their pages."""
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto("/")
    nav = phone.locator("header nav").first
    assert nav.count() == 1, "the page header has no <nav>"
    links = nav.locator("a")
    assert links.count() >= 4, "the navigation should link the main sections"
    countries = nav.locator('a[href$="/countries/"]').first
    if not countries.is_visible():
        # A collapsed menu: a button (or <summary>) opens it.
        toggle = phone.locator("header button[aria-expanded], header summary").first
        assert toggle.is_visible(), "navigation hidden on a phone and no visible menu button"
        toggle.click()
        assert countries.is_visible(), "the menu button does not reveal the navigation"
        if toggle.get_attribute("aria-expanded") is not None:
            assert toggle.get_attribute("aria-expanded") == "true"
    for i in range(links.count()):
        link = links.nth(i)
        if not link.is_visible():
            continue
        box = link.bounding_box()
        assert box["x"] >= 0, f"nav link {link.inner_text()!r} is off screen: {box}"
        assert box["x"] + box["width"] <= PHONE["width"] + 1, (
            f"nav link {link.inner_text()!r} is off screen: {box}"
        )
        assert box["height"] >= 24, f"nav link {link.inner_text()!r} is a tiny tap target: {box}"
    countries.tap()
    phone.wait_for_url("**/countries/")
    assert phone.locator("h1").is_visible()
