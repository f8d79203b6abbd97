"""Search engines and readers: absolute URLs, alternates, JSON-LD, sitemap and feed entries.

``site_pages`` is the single list of public pages: the sitemap and the freeze both use it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from flask import current_app, request

from core.countries import COUNTRY_SLUGS
from core.locales import DEFAULT_LANG, LANGUAGES
from gateway.content import ContentStore, Entry
from gateway.content.partners import PARTNER_KINDS
from gateway.content.schemas import CaseStudyDoc, EventDoc
from gateway.memo import url_for

# Section pages without a slug, in sitemap order.
SECTION_ENDPOINTS = (
    "public.home",
    "public.countries",
    "public.compare",
    "costs.page",
    "public.sectors",
    "public.case_studies",
    "public.partners",
    "public.events",
)

# Section pages whose whole text is a content page: listed only while the page loads.
PAGE_ENDPOINTS = {"public.about": "about", "public.privacy": "privacy"}

# Content kinds with a detail page, and the endpoint showing it.
DETAIL_ENDPOINTS = {
    "countries": "public.country",
    "sectors": "public.sector",
    "case-studies": "public.case_study",
    "events": "public.event",
    "partners": "public.partner",
}


@dataclass(frozen=True)
class SitePage:
    """One public page, language-independent: an endpoint and its arguments."""

    endpoint: str
    values: tuple[tuple[str, str], ...] = ()
    lastmod: dt.date | None = None

    def url(self, lang: str) -> str:
        """Return the site path of this page in ``lang``."""
        return url_for(self.endpoint, lang=lang, **dict(self.values))


def site_pages(store: ContentStore) -> list[SitePage]:
    """Return every public page of the site (one entry per page, all languages implied)."""
    pages = [SitePage(endpoint) for endpoint in SECTION_ENDPOINTS]
    pages += [SitePage(e) for e, slug in PAGE_ENDPOINTS.items() if store.get("pages", slug)]
    for kind, endpoint in DETAIL_ENDPOINTS.items():
        for entry in store.all(kind):
            lastmod = getattr(entry.meta, "date", None)
            pages.append(SitePage(endpoint, (("slug", entry.slug),), lastmod))
    case_countries = {
        c for e in store.all("case-studies") for c in cast(CaseStudyDoc, e.meta).countries
    }
    for slug in COUNTRY_SLUGS:
        if store.get("countries", slug) is not None or slug in case_countries:
            pages.append(SitePage("public.case_studies_by_country", (("slug", slug),)))
    for entry in store.all("sectors"):
        pages.append(SitePage("public.case_studies_by_sector", (("slug", entry.slug),)))
    pages += partner_filter_pages(store)
    return pages


def partner_filter_pages(store: ContentStore) -> list[SitePage]:
    """Return the partners' filter pages: every country with a profile, and every kind."""
    pages = [
        SitePage("public.partners_by_country", (("slug", slug),))
        for slug in COUNTRY_SLUGS
        if store.get("countries", slug) is not None
    ]
    pages += [SitePage("public.partners_by_kind", (("kind", kind),)) for kind in PARTNER_KINDS]
    return pages


def absolute(path: str) -> str:
    """Return the absolute URL of a site path, based on SITE_URL."""
    return current_app.config["SITE_URL"] + path


def alternates() -> list[tuple[str, str]]:
    """Return (language, absolute URL) of the current page in every language."""
    endpoint = request.endpoint
    if not endpoint or not current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        return []
    values = dict(request.view_args or {})
    return [(lang, absolute(url_for(endpoint, **{**values, "lang": lang}))) for lang in LANGUAGES]


def switch_links() -> list[tuple[str, str]]:
    """Return (language, site path) of the current page in every language, for the switcher."""
    endpoint = request.endpoint
    values = dict(request.view_args or {})
    if not endpoint or not current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        endpoint, values = "public.home", {}
    return [(lang, url_for(endpoint, **{**values, "lang": lang})) for lang in LANGUAGES]


def organization_ld() -> dict:
    """Return the JSON-LD Organization of the brand."""
    return {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": current_app.config["SITE_NAME"],
        "url": absolute("/"),
        "areaServed": [
            "Albania",
            "Bosnia and Herzegovina",
            "Kosovo",
            "Montenegro",
            "North Macedonia",
            "Serbia",
        ],
    }


def article_ld(entry: Entry) -> dict:
    """Return the JSON-LD Article of a case study."""
    meta = cast(CaseStudyDoc, entry.meta)
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": meta.title,
        "description": meta.summary,
        "inLanguage": entry.lang if entry.translated else DEFAULT_LANG,
        "url": absolute(request.path),
        "publisher": {"@type": "Organization", "name": current_app.config["SITE_NAME"]},
        "about": {"@type": "Organization", "name": meta.organisation},
    }
    if getattr(meta, "date", None):
        data["datePublished"] = meta.date.isoformat()
    return data


def event_ld(entry: Entry) -> dict:
    """Return the JSON-LD Event of a roadshow or conference."""
    meta = cast(EventDoc, entry.meta)
    return {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": meta.title,
        "description": meta.summary,
        "startDate": meta.starts.isoformat(),
        "endDate": meta.ends.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": meta.venue or meta.city,
            "address": {
                "@type": "PostalAddress",
                "addressLocality": meta.city,
                "addressCountry": meta.host_country,
            },
        },
        "organizer": {
            "@type": "Organization",
            "name": current_app.config["SITE_NAME"],
            "url": absolute("/"),
        },
        "url": absolute(request.path),
    }


def sitemap_pages(store: ContentStore) -> list[dict]:
    """Return the sitemap rows: absolute URL, alternates in every language, last change."""
    rows = []
    for page in site_pages(store):
        urls = {lang: absolute(page.url(lang)) for lang in LANGUAGES}
        for lang in LANGUAGES:
            rows.append({"loc": urls[lang], "alternates": urls, "lastmod": page.lastmod})
    return rows


@dataclass(frozen=True)
class FeedItem:
    """One entry of the Atom feed."""

    title: str
    summary: str
    url: str
    updated: dt.date
    category: str


def feed_items(store: ContentStore) -> list[FeedItem]:
    """Return case studies and events for the Atom feed, newest first."""
    items = []
    for entry in store.all("case-studies"):
        case = cast(CaseStudyDoc, entry.meta)
        url = absolute(entry.url_path)
        items.append(FeedItem(case.title, case.summary, url, case.date, "case-study"))
    for entry in store.all("events"):
        event = cast(EventDoc, entry.meta)
        url = absolute(entry.url_path)
        items.append(FeedItem(event.title, event.summary, url, event.starts, "event"))
    return sorted(items, key=lambda item: (item.updated, item.url), reverse=True)
