"""What search engines and feed readers see."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from gateway.content_app import get_store

SITE = "https://www.example.test"


@pytest.fixture
def app_overrides():
    return {"SITE_URL": SITE, "LEADS_URL": "https://app.example.test"}


def json_ld(page: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(block) for block in blocks]


def head(page: str) -> str:
    return page[: page.index("</head>")]


@pytest.mark.parametrize(
    ("path", "ld_type"),
    [
        ("/", "Organization"),
        ("/countries/albania/", "Organization"),
        ("/case-studies/speeex-education-bpo-training/", "Article"),
        ("/events/munich-investor-roadshow-2027/", "Event"),
        ("/de/compare/", "Organization"),
    ],
)
def test_each_page_has_title_description_canonical_opengraph_and_json_ld(client, path, ld_type):
    page = client.get(path).get_data(as_text=True)
    top = head(page)
    title = re.search(r"<title>(.+?)</title>", top).group(1)
    assert title.strip()
    description = re.search(r'<meta name="description" content="([^"]*)">', top).group(1)
    assert len(description) > 20
    assert f'<link rel="canonical" href="{SITE}{path}">' in top
    assert f'<meta property="og:url" content="{SITE}{path}">' in top
    assert '<meta property="og:title" content="' in top
    assert f'<link rel="alternate" hreflang="de" href="{SITE}/de/' in top
    data = json_ld(page)
    assert [d["@type"] for d in data] == [ld_type]


def test_event_json_ld_has_dates_and_place(client):
    page = client.get("/events/munich-investor-roadshow-2027/").get_data(as_text=True)
    (event,) = json_ld(page)
    assert event["startDate"] == "2027-03-16"
    assert event["location"]["address"]["addressLocality"] == "Munich"


def test_titles_are_distinct_across_pages(client):
    paths = ["/", "/countries/", "/countries/serbia/", "/compare/", "/sectors/", "/events/"]
    titles = {
        re.search(r"<title>(.+?)</title>", client.get(p).get_data(as_text=True)).group(1)
        for p in paths
    }
    assert len(titles) == len(paths)


def test_sitemap_lists_every_page_in_every_language_with_absolute_urls(client, app):
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    assert all(loc.startswith(SITE + "/") for loc in locs)
    assert len(locs) == len(set(locs))
    for lang_prefix in ("", "/de", "/sv"):
        assert f"{SITE}{lang_prefix}/" in locs
        assert f"{SITE}{lang_prefix}/countries/serbia/" in locs
        assert f"{SITE}{lang_prefix}/case-studies/country/kosovo/" in locs
    for entry in get_store().all("case-studies"):
        assert SITE + entry.url_path in locs
    assert not [loc for loc in locs if "/staff" in loc or "/contact" in loc or "healthz" in loc]


def test_robots_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    assert f"Sitemap: {SITE}/sitemap.xml" in response.get_data(as_text=True)


def test_atom_feed_lists_case_studies_and_events(client, app):
    response = client.get("/feed.atom")
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    ids = [e.text for e in root.findall("a:entry/a:id", ns)]
    store = get_store()
    expected = len(store.all("case-studies")) + len(store.all("events"))
    assert len(ids) == expected
    assert f"{SITE}/events/munich-investor-roadshow-2027/" in ids
    assert all(i.startswith(SITE) for i in ids)
