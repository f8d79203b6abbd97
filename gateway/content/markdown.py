"""Markdown to safe HTML: Python-Markdown renders, nh3 sanitises."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import markdown
import nh3

EXTENSIONS = ["toc", "tables", "attr_list", "footnotes", "sane_lists"]
EXTENSION_CONFIGS = {"toc": {"permalink": False, "toc_depth": "2-3"}}

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre",
    "section", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Every id from content gets this prefix (and so do links to it): an id in a page body can never
# clash with, or clobber, the ids and names of the page itself (a form's csrf_token, a label's
# field).
ID_PREFIX = "c-"

_local = threading.local()


@dataclass(frozen=True)
class Rendered:
    """Sanitised HTML of a Markdown body and the headings for a table of contents."""

    html: str
    toc: tuple[tuple[int, str, str], ...]  # (level, id, text)


def _converter() -> markdown.Markdown:
    """Return this thread's Markdown converter (converters keep state between calls)."""
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
        _local.md = md
    return md


def _flatten_toc(tokens: list[dict]) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    for token in tokens:
        out.append((token["level"], _prefixed(token["id"]), token["name"]))
        out.extend(_flatten_toc(token.get("children", [])))
    return out


def _prefixed(value: str) -> str:
    return value if value.startswith(ID_PREFIX) else ID_PREFIX + value


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    """Prefix ids and in-page links; keep only the site's own images (no external src)."""
    if name == "id":
        return _prefixed(value)
    if name == "href" and value.startswith("#") and len(value) > 1:
        return "#" + _prefixed(value[1:])
    if tag == "img" and name == "src":
        external = value.startswith("//") or ":" in value.split("/", 1)[0]
        return None if external else value
    return value


def sanitise(html: str) -> str:
    """Remove scripts, event handlers, styles, unsafe URLs and external images from HTML."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_filter_attribute,
    )


def render_markdown(text: str) -> Rendered:
    """Render Markdown to sanitised HTML, keeping heading ids and classes."""
    md = _converter()
    md.reset()
    raw = md.convert(text)
    toc = tuple(_flatten_toc(getattr(md, "toc_tokens", [])))
    return Rendered(html=sanitise(raw), toc=toc)
