"""Sharing follows the investor's choice: an estimate request shares the lead only with the
countries the investor chose; without a ``country`` parameter (the estimator's untouched
default, all six ticked) it is a regional inquiry for the regional body and the brand lead."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from core.countries import COUNTRY_SLUGS
from core.extensions import db
from leads.models import Inquiry, Lead
from tests.support.capture import later, submit  # noqa: F401
from tests.support.costs_content import content_with_figures
from tests.support.node import NODE, run_script
from tests.support.staff import login, make_user

pytestmark = pytest.mark.usefixtures("later")
CFO = {
    "full_name": "Matthias Brandt",
    "email": "m.brandt@brandt-fintech.example",
    "company": "Brandt Fintech GmbH",
    "consent": "y",
}
ALL = "".join(f"&country={slug}" for slug in COUNTRY_SLUGS)


@pytest.fixture
def app_overrides(tmp_path) -> dict:
    return {"CONTENT_DIR": str(content_with_figures(tmp_path))}


def scenario(url: str) -> dict:
    """Return the scenario fields of an estimate URL, as the page's hidden fields post them."""
    return {k: v if k == "country" else v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def shared_with(lead: Lead) -> set[str]:
    return {row.organisation.slug for row in lead.shared_with}


def the_lead() -> Lead:
    return db.session.scalars(select(Lead)).one()


@pytest.mark.parametrize("prefix", ["/de", ""])
def test_a_german_cfos_estimate_for_serbia_is_shared_with_serbia_only(app, client, prefix):
    url = f"{prefix}/costs/estimate/?team=40&mix=software&country=serbia"
    response = submit(client, url, {**CFO, **scenario(url)})
    assert response.status_code == 303
    lead = the_lead()
    assert lead.organisation.slug == "ipa-serbia"
    assert shared_with(lead) == {"absl-serbia"}
    assert db.session.scalar(select(Inquiry.countries)) == ["serbia"]
    for slug in ("ipa-albania", "absl-albania"):
        other = app.test_client()
        login(other, make_user(f"{slug}@example.org", slug, "country"))
        assert other.get(f"/staff/leads/{lead.id}/").status_code == 404
        assert lead.email not in other.get("/staff/leads/").get_data(as_text=True)


def test_two_countries_chosen_share_with_those_two_only(app, client):
    url = "/costs/estimate/?team=40&mix=software&country=serbia&country=north-macedonia"
    assert submit(client, url, {**CFO, **scenario(url)}).status_code == 303
    lead = the_lead()
    assert lead.organisation.slug == "absl-western-balkans"
    assert shared_with(lead) == {
        "ipa-serbia",
        "absl-serbia",
        "ipa-north-macedonia",
        "absl-north-macedonia",
    }


@pytest.mark.parametrize("lang", ["", "/sv"])
def test_without_a_country_parameter_the_request_is_regional(app, client, lang):
    url = f"{lang}/costs/estimate/?team=40&mix=software"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # The estimate still compares the six countries, and the form keeps "no choice".
    assert 'name="country"' not in html.split("<form", 2)[-1].split("</form>")[0]
    response = submit(client, url, {**CFO, **scenario(url)})
    assert response.status_code == 303
    lead = the_lead()
    assert lead.organisation.slug == "absl-western-balkans"  # the regional body
    assert shared_with(lead) == set()  # no agency, no chapter
    inquiry = db.session.scalars(select(Inquiry)).one()
    assert inquiry.countries == ["undecided"]
    stored = inquiry.answers["scenario"]
    assert sorted(stored["countries"]) == sorted(COUNTRY_SLUGS)  # the estimate sent is whole
    brand = app.test_client()
    login(brand, make_user("lead@brand.example.org", "brand-lead", "coordinator"))
    assert brand.get(f"/staff/leads/{lead.id}/").status_code == 200
    agency = app.test_client()
    login(agency, make_user("al@example.org", "ipa-albania", "country"))
    assert agency.get(f"/staff/leads/{lead.id}/").status_code == 404


def estimate_link(html: str) -> str:
    return unescape(re.search(r'<a class="button" data-estimate href="([^"]+)"', html)[1])


@pytest.mark.parametrize(
    ("query", "countries"),
    [
        ("", []),  # the page as first shown: every box ticked, none chosen
        (f"team=40&mix=software{ALL}", []),  # sent with every box still ticked
        ("team=40&mix=software&country=serbia", ["serbia"]),
        ("team=40&mix=bpo&country=albania&country=kosovo", ["albania", "kosovo"]),
    ],
)
def test_the_estimators_link_names_only_the_countries_chosen(client, query, countries):
    html = client.get(f"/costs/?{query}").get_data(as_text=True)
    link = estimate_link(html)
    assert parse_qs(urlsplit(link).query).get("country", []) == countries


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
def test_the_frozen_pages_script_builds_the_same_link():
    cases = [
        "team=40&mix=software" + ALL,
        "team=40&mix=software&country=serbia",
        "team=40&mix=software&country=serbia&country=albania",
    ]
    script = (
        "const m = require(process.argv[1]);"
        f"const all = {json.dumps(list(COUNTRY_SLUGS))};"
        f"console.log(JSON.stringify({json.dumps(cases)}.map(q => m.estimateQuery(q, all))));"
    )
    built = json.loads(run_script(script))
    assert built == [
        "team=40&mix=software",
        "team=40&mix=software&country=serbia",
        "team=40&mix=software&country=serbia&country=albania",
    ]
