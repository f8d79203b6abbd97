"""Where content lives on the site: the one mapping from content to URL paths."""

from __future__ import annotations

KINDS: tuple[str, ...] = (
    "countries",
    "sectors",
    "case-studies",
    "events",
    "pages",
    "baselines",
    "partners",
)

# Public paths that are not a single content file (English; translations add /de/, /sv/).
SECTION_PATHS: frozenset[str] = frozenset(
    {
        "/",
        "/countries/",
        "/compare/",
        "/sectors/",
        "/case-studies/",
        "/events/",
        "/contact/",
        "/contact/thanks/",
        "/report/",
        "/partners/",
        "/partners/introduce/",
        "/sitemap.xml",
        "/robots.txt",
        "/feed.atom",
    }
)


def content_path(kind: str, slug: str) -> str:
    """Return the English site path of a content file (``pages/home`` is the home page)."""
    if kind == "pages":
        return "/" if slug == "home" else f"/{slug}/"
    return f"/{kind}/{slug}/"


def localise_path(path: str, lang: str, default_lang: str = "en") -> str:
    """Return ``path`` under the prefix of ``lang`` (English stays at the root)."""
    return path if lang == default_lang else f"/{lang}{path}"
