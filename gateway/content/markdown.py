"""Markdown to safe HTML: Python-Markdown renders, nh3 sanitises.

Raw HTML in a body costs the renderer and the sanitiser more than linear time when it is
tangled: mis-nested or unclosed tags (``<b id=1>x</i>`` repeated: the HTML parser's adoption
agency re-walks its list of open formatting elements for each one; 10,000 such tags took 4 s) and
even many matched ones. ``tangled_html`` is a linear pre-check the loader runs first: a file with
more than ``MAX_HTML_TAGS`` tags, or more than ``MAX_UNMATCHED_TAGS`` stray, crossed or
unclosed ones, is refused as a ``path:line`` error before either runs.
"""

from __future__ import annotations

import re
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

# Raw HTML a content file may hold (the real content holds none; Markdown says it all).
MAX_HTML_TAGS = 1000
MAX_UNMATCHED_TAGS = 100
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(/?)>")
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


def tangled_html(body: str) -> tuple[int, str] | None:
    """Return (0-based line, why) where a body's raw HTML passes a limit, else None.

    One pass over the tags with one stack: a closing tag that is not the innermost open one
    crosses (the tags it closes early are unmatched) or is stray; tags still open at the end are
    unmatched too. Linear in the body's length, whatever its shape.
    """
    tags = unmatched = 0
    stack: list[tuple[str, int]] = []  # (tag, line) of the open tags, innermost last
    opened: dict[str, int] = {}  # how many of each tag the stack holds
    line = position = 0
    for match in _TAG_RE.finditer(body):
        line += body.count("\n", position, match.start())
        position = match.start()
        closing, name, self_closing = match.groups()
        tags += 1
        if tags > MAX_HTML_TAGS:
            return line, f"more than {MAX_HTML_TAGS} HTML tags"
        name = name.lower()
        if self_closing or name in _VOID_TAGS:
            continue
        if not closing:
            stack.append((name, line))
            opened[name] = opened.get(name, 0) + 1
            continue
        if not opened.get(name):
            unmatched += 1  # a closing tag without its opening one
        else:
            # Pop to the innermost tag of that name: the tags closed early on the way cross it.
            # Each tag is popped once, so the whole pass stays linear.
            while (popped := stack.pop()[0]) != name:
                opened[popped] -= 1
                unmatched += 1
            opened[name] -= 1
        if unmatched > MAX_UNMATCHED_TAGS:
            return line, f"more than {MAX_UNMATCHED_TAGS} HTML tags are mis-nested or unclosed"
    if unmatched + len(stack) > MAX_UNMATCHED_TAGS:
        first_over = stack[max(0, MAX_UNMATCHED_TAGS - unmatched)][1]
        return first_over, f"more than {MAX_UNMATCHED_TAGS} HTML tags are mis-nested or unclosed"
    return None


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
