"""Derived views of the content (lists, filters, link rewriting), computed once per version.

Every page asks for the same lists; with thousands of files, recomputing them per request would
dominate the freeze. Results are cached per (content version, language) and dropped as soon as
the content changes.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from core.locales import DEFAULT_LANG, TRANSLATION_LANGS
from gateway.content import ContentStore, Entry
from gateway.content.partners import PartnerDoc
from gateway.content.schemas import CaseStudyDoc, CountryDoc, EventDoc, SectorDoc
from gateway.content.urls import localise_path

# Live-only paths (forms): frozen pages must send investors to the live app for these.
LIVE_ONLY_RE = re.compile(
    r"^/(?:contact/(?:thanks/)?|report/|events/[a-z0-9-]+/meet/|partners/introduce/)$"
)
_CODE_RE = re.compile(r"(<(?:pre|code)\b[^>]*>.*?</(?:pre|code)>)", re.DOTALL)
_HREF_RE = re.compile(r'href="(/[^"]*)"')
_LANG_PREFIX_RE = re.compile(rf"^/(?:{'|'.join(TRANSLATION_LANGS)})(?:/|$)")  # /de/…


@dataclass
class _Cache:
    version: str = ""
    values: dict[tuple, Any] = field(default_factory=dict)


_cache = _Cache()
_lock = threading.Lock()


def cached(store: ContentStore, key: tuple, compute: Callable[[], Any]) -> Any:
    """Return ``compute()`` memoised for the store's current content version."""
    version = store.version
    if _cache.version != version:
        with _lock:
            if _cache.version != version:
                _cache.values = {}
                _cache.version = version
    values = _cache.values
    try:
        return values[key]
    except KeyError:
        value = values[key] = compute()
        return value


def entries(store: ContentStore, kind: str, lang: str) -> list[Entry]:
    """Return every published entry of a kind in ``lang`` (cached)."""
    return cached(store, ("all", kind, lang), lambda: store.all(kind, lang))


def by_slug(store: ContentStore, kind: str, lang: str) -> dict[str, Entry]:
    """Return a slug → entry mapping of a kind (cached)."""
    return cached(
        store, ("by_slug", kind, lang), lambda: {e.slug: e for e in entries(store, kind, lang)}
    )


def case_studies_for(store: ContentStore, lang: str, *, country=None, sector=None) -> list[Entry]:
    """Return case studies featuring a country and/or a sector (newest first)."""

    def compute() -> list[Entry]:
        return [
            e
            for e in entries(store, "case-studies", lang)
            if (country is None or country in cast(CaseStudyDoc, e.meta).countries)
            and (sector is None or sector in cast(CaseStudyDoc, e.meta).sectors)
        ]

    return cached(store, ("cases", lang, country, sector), compute)


def filter_counts(store: ContentStore, lang: str, facet: str) -> dict[str, int]:
    """Return how many case studies each country (or sector) has."""

    def compute() -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in entries(store, "case-studies", lang):
            for slug in getattr(entry.meta, facet):
                counts[slug] = counts.get(slug, 0) + 1
        return counts

    return cached(store, ("counts", lang, facet), compute)


def sector_children(store: ContentStore, lang: str) -> dict[str, list[Entry]]:
    """Return the niches of each sector, keyed by the parent slug."""

    def compute() -> dict[str, list[Entry]]:
        children: dict[str, list[Entry]] = {}
        for entry in entries(store, "sectors", lang):
            parent = cast(SectorDoc, entry.meta).parent
            if parent:
                children.setdefault(parent, []).append(entry)
        return children

    return cached(store, ("children", lang), compute)


def countries_in_sector(store: ContentStore, lang: str, sector: str) -> list[Entry]:
    """Return the countries that name a sector among their strengths or in the sector file."""

    def compute() -> list[Entry]:
        sector_entry = by_slug(store, "sectors", lang).get(sector)
        named = set(cast(SectorDoc, sector_entry.meta).countries) if sector_entry else set()
        return [
            c
            for c in entries(store, "countries", lang)
            if c.slug in named or sector in cast(CountryDoc, c.meta).sectors
        ]

    return cached(store, ("sector-countries", lang, sector), compute)


def split_events(store: ContentStore, lang: str, today: dt.date) -> tuple[list[Entry], list[Entry]]:
    """Return (upcoming, past) events: upcoming soonest first, past newest first."""

    def compute() -> tuple[list[Entry], list[Entry]]:
        all_events = entries(store, "events", lang)
        upcoming = [e for e in all_events if cast(EventDoc, e.meta).ends >= today]
        past = [e for e in reversed(all_events) if cast(EventDoc, e.meta).ends < today]
        return upcoming, past

    return cached(store, ("events", lang, today), compute)


def next_roadshow(store: ContentStore, lang: str, today: dt.date) -> Entry | None:
    """Return the next roadshow (or the next event of any kind, if no roadshow is planned)."""
    upcoming, _ = split_events(store, lang, today)
    roadshows = [e for e in upcoming if cast(EventDoc, e.meta).kind == "roadshow"]
    soonest = roadshows or upcoming
    return soonest[0] if soonest else None


def partners_for(
    store: ContentStore,
    lang: str,
    country: str | None = None,
    kind: str | None = None,
    sector: str | None = None,
) -> list[Entry]:
    """Return the partners matching every filter given (by name), cached per version."""

    def matches(meta: PartnerDoc) -> bool:
        return (
            (country is None or country in meta.countries)
            and (kind is None or meta.kind == kind)
            and (sector is None or sector in meta.sectors)
        )

    def compute() -> list[Entry]:
        return [e for e in entries(store, "partners", lang) if matches(cast(PartnerDoc, e.meta))]

    return cached(store, ("partners", lang, country, kind, sector), compute)


def partner_counts(store: ContentStore, lang: str, facet: str) -> dict[str, int]:
    """Return how many partners each country (``countries``) or kind (``kind``) has."""

    def compute() -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in entries(store, "partners", lang):
            value = getattr(entry.meta, facet)
            for slug in value if isinstance(value, list) else [value]:
                counts[slug] = counts.get(slug, 0) + 1
        return counts

    return cached(store, ("partner-counts", lang, facet), compute)


def compare_rows(store: ContentStore, lang: str) -> list[Entry]:
    """Return the country entries in the order the compare page shows them."""
    return entries(store, "countries", lang)


def localise_html(store: ContentStore, entry: Entry, lang: str, leads_url: str) -> str:
    """Return an entry's HTML with site links localised and form links sent to the live app."""

    def rewrite(match: re.Match) -> str:
        target = match.group(1)
        path, sep, rest = target.partition("#")
        bare = path.split("?", 1)[0]
        if bare.startswith("/static/") or target.startswith("//"):
            return match.group(0)
        if LIVE_ONLY_RE.match(_LANG_PREFIX_RE.sub("/", bare, count=1)):
            return f'href="{leads_url}{target}"'
        if _LANG_PREFIX_RE.match(bare):
            return match.group(0)  # the author already chose a language
        return f'href="{localise_path(path, lang, DEFAULT_LANG)}{sep}{rest}"'

    def compute() -> str:
        # Code samples are text: a link written in them is shown, never rewritten.
        parts = _CODE_RE.split(entry.html)
        return "".join(
            part if index % 2 else _HREF_RE.sub(rewrite, part) for index, part in enumerate(parts)
        )

    key = ("html", entry.kind, entry.slug, lang, entry.translated, leads_url)
    return cached(store, key, compute)
