"""The staff area in a real browser: sign in, find a lead, qualify it, note it, sign out."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from core.extensions import db
from leads.models import Lead, LeadOrganisation, LeadRole, Note, Organisation
from tests.browser.conftest import PHONE
from tests.browser.helpers import assert_accessible
from tests.support.factories import create_lead

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-passphrase-2027"


@dataclass
class StaffWorld:
    """Staff accounts and leads of two organisations."""

    coordinator: str
    serbia_user: str
    serbia_lead: int
    albania_lead: int


def _create_staff(app, email: str, org: str, role: str) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["staff", "create", email, "--org", org, "--role", role],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def staff_world(live_server) -> StaffWorld:
    """A coordinator, a Serbian IPA user, a lead routed to each of Serbia and Albania."""
    app = live_server.app
    _create_staff(app, "coordinator@brand.example", "brand-lead", "coordinator")
    _create_staff(app, "analyst@ipa-serbia.example", "ipa-serbia", "country")
    with app.app_context():
        orgs = {o.slug: o.id for o in db.session.scalars(select(Organisation))}
        serbia = create_lead(
            email="milan.novak@belgrade-dev.example",
            full_name="Milan Novak",
            company="Novak Nearshore AG",
            countries=("serbia",),
            organisation_id=orgs["ipa-serbia"],
        )
        albania = create_lead(
            email="elira.hoxha@tirana-bpo.example",
            full_name="Elira Hoxha",
            company="Hoxha Contact Centres SE",
            countries=("albania",),
            organisation_id=orgs["ipa-albania"],
        )
        world = StaffWorld(
            coordinator="coordinator@brand.example",
            serbia_user="analyst@ipa-serbia.example",
            serbia_lead=serbia.id,
            albania_lead=albania.id,
        )
        db.session.remove()
    return world


def log_in(page, email: str) -> None:
    """Sign in through the login form."""
    page.goto("/staff/login")
    form = page.locator("form:has(input[name='password'])")
    form.locator("input[name='email']").fill(email)
    form.locator("input[name='password']").fill(PASSWORD)
    form.locator("button[type=submit], input[type=submit], button:not([type])").first.click()
    page.wait_for_load_state()
    assert "/staff/login" not in page.url, f"login failed: {page.locator('main').inner_text()}"


def _lead(app, lead_id: int) -> tuple[str, list[str]]:
    with app.app_context():
        lead = db.session.get(Lead, lead_id)
        notes = list(db.session.scalars(select(Note.body).where(Note.lead_id == lead_id)))
        stage = lead.stage
        db.session.remove()
    return stage, notes


def test_staff_journey(page, live_server, staff_world, browser_watch):
    """Login → lead list → filter → a lead → change its stage → add a note → logout."""
    browser_watch.allow(r"/stage: .*status of 400")  # a refused stage change answers 400
    log_in(page, staff_world.coordinator)
    assert page.url.rstrip("/").endswith("/staff"), f"not on the dashboard: {page.url}"
    assert_accessible(page)

    page.locator('a[href$="/staff/leads/"]').first.click()
    page.wait_for_url("**/staff/leads/")
    assert page.get_by_text("Milan Novak").count() >= 1
    assert page.get_by_text("Elira Hoxha").count() >= 1

    # Filter the list down to the leads interested in Serbia.
    filters = page.locator("main form:has([name='country'])").first
    filters.locator("[name='country']").select_option("serbia")
    filters.locator("button[type=submit], input[type=submit], button:not([type])").first.click()
    page.wait_for_url("**/staff/leads/?*country=serbia*")
    assert page.get_by_text("Milan Novak").count() >= 1
    assert page.get_by_text("Elira Hoxha").count() == 0
    assert_accessible(page)

    page.locator(f'main a[href$="/staff/leads/{staff_world.serbia_lead}/"]').first.click()
    page.wait_for_url(f"**/staff/leads/{staff_world.serbia_lead}/")
    assert page.locator("h1").inner_text().strip()
    assert_accessible(page)

    # Closing a lead without a reason is refused with an error tied to the field.
    stage_form = page.locator("main form:has(select[name='stage'])").first
    stage_form.locator("select[name='stage']").select_option("lost")
    stage_form.locator("button[type=submit], input[type=submit], button:not([type])").first.click()
    page.wait_for_load_state()
    assert page.locator("main [aria-invalid='true']").count() >= 1
    assert _lead(live_server.app, staff_world.serbia_lead)[0] == "new"
    assert_accessible(page)

    page.goto(f"/staff/leads/{staff_world.serbia_lead}/")
    stage_form = page.locator("main form:has(select[name='stage'])").first
    stage_form.locator("select[name='stage']").select_option("contacted")
    stage_form.locator("button[type=submit], input[type=submit], button:not([type])").first.click()
    page.wait_for_url(f"**/staff/leads/{staff_world.serbia_lead}/**")
    assert _lead(live_server.app, staff_world.serbia_lead)[0] == "contacted"

    note = "Called Milan; he wants a site visit to Novi Sad in March."
    note_form = page.locator("main form:has(textarea[name='body'])").first
    note_form.locator("textarea[name='body']").fill(note)
    note_form.locator("button[type=submit], input[type=submit], button:not([type])").first.click()
    page.wait_for_url(f"**/staff/leads/{staff_world.serbia_lead}/**")
    assert page.get_by_text(note).count() == 1, "the note is not shown on the lead page"
    assert note in _lead(live_server.app, staff_world.serbia_lead)[1]

    logout = page.locator("form[action$='/staff/logout']")
    logout.locator("button, input[type=submit]").first.click()
    page.wait_for_url("**/staff/login**")
    page.goto("/staff/leads/")
    assert "/staff/login" in page.url, "the lead list is still reachable after logout"


def test_country_user_cannot_open_another_organisations_lead(page, staff_world, browser_watch):
    """A Serbian IPA user sees Serbia's lead; Albania's lead answers 404."""
    log_in(page, staff_world.serbia_user)
    response = page.goto(f"/staff/leads/{staff_world.serbia_lead}/")
    assert response.status == 200
    browser_watch.allow(r"status of 404")
    response = page.goto(f"/staff/leads/{staff_world.albania_lead}/")
    assert response.status == 404
    assert page.get_by_text("Elira Hoxha").count() == 0
    page.goto("/staff/leads/")
    assert page.get_by_text("Elira Hoxha").count() == 0


def test_login_form_and_its_error_state_are_accessible(page, staff_world, browser_watch):
    """The login page passes axe, also after a wrong password."""
    browser_watch.allow(r"status of 401")  # a refused login answers 401 by design
    page.goto("/staff/login")
    assert_accessible(page)
    page.locator("input[name='email']").fill(staff_world.coordinator)
    page.locator("input[name='password']").fill("not-the-password")
    page.locator("main button[type=submit], main input[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/staff/login" in page.url
    assert_accessible(page)


def test_staff_pages_fit_a_phone(new_page, staff_world):
    """At 360 x 740 the staff pages do not scroll sideways and the staff menu is on screen."""
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(phone, staff_world.coordinator)
    for path in ("/staff/", "/staff/leads/", f"/staff/leads/{staff_world.serbia_lead}/"):
        phone.goto(path)
        width = phone.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width}px wide on a phone"
        leads_link = phone.locator('header a[href$="/staff/leads/"]')
        assert leads_link.is_visible(), f"{path}: the staff menu is not visible"
    assert_accessible(phone)


def test_an_informed_chapter_reads_and_notes_a_shared_lead_but_cannot_close_it(
    page, live_server, staff_world, browser_watch
):
    """ABSL Serbia opens the Serbian lead, adds a note; no stage form, export refused (403)."""
    app = live_server.app
    _create_staff(app, "chapter@absl-serbia.example", "absl-serbia", "country")
    with app.app_context():
        chapter = db.session.scalar(select(Organisation).filter_by(slug="absl-serbia"))
        lead = db.session.get(Lead, staff_world.serbia_lead)
        lead.shared_with.append(
            LeadOrganisation(organisation_id=chapter.id, role=LeadRole.INFORMED.value)
        )
        db.session.commit()
        db.session.remove()
    log_in(page, "chapter@absl-serbia.example")
    page.goto("/staff/leads/?relation=shared")
    page.locator(f'main a[href$="/staff/leads/{staff_world.serbia_lead}/"]').first.click()
    page.wait_for_url(f"**/staff/leads/{staff_world.serbia_lead}/")
    assert page.locator("main select[name='stage']").count() == 0
    assert page.get_by_text("Shared with your organisation").count() == 1
    assert_accessible(page)
    note = "ABSL Serbia: introduced them to two member companies in Niš."
    note_form = page.locator("main form:has(textarea[name='body'])").first
    note_form.locator("textarea[name='body']").fill(note)
    note_form.locator("button[type=submit]").first.click()
    page.wait_for_url(f"**/staff/leads/{staff_world.serbia_lead}/**")
    assert note in _lead(app, staff_world.serbia_lead)[1]
    browser_watch.allow(r"status of 403")
    response = page.goto(f"/staff/leads/{staff_world.serbia_lead}/export.json")
    assert response.status == 403
