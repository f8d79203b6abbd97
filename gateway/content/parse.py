"""Parse one content file, untrusted: front matter validated, body rendered, within limits.

A content file comes from an editor's browser or a Git push, so every step is bounded: its
size, the nesting of its YAML and Markdown, the size of the rendered HTML. Whatever the file
holds, parsing returns its problems as ``(line, message)``, never an exception. Results are
cached by the hash of the file's bytes. No Flask in here.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import cast

import frontmatter
import yaml
from pydantic import ValidationError

from gateway.content.markdown import Rendered, render_markdown
from gateway.content.placeholders import mask_placeholders
from gateway.content.schemas import SCHEMAS, Document, Strict, TranslationDoc

log = logging.getLogger(__name__)

_FRONT_MATTER = frontmatter.YAMLHandler()
# libyaml's parser when available: same documents, several times faster than pure Python.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Body:
    """A Markdown body and its sanitised HTML, rendered once and then kept.

    The loader renders every body as it parses the file (to enforce the size limits); a body
    built without its rendering renders on first use.
    """

    __slots__ = ("_rendered", "text")

    def __init__(self, text: str, rendered: Rendered | None = None):
        self.text = text
        self._rendered = rendered

    def rendered(self) -> Rendered:
        """Return the body's HTML and headings (rendered on the first call)."""
        if self._rendered is None:
            # Idempotent: a race renders twice. Editor placeholders become a neutral token.
            self._rendered = render_markdown(mask_placeholders(self.text))
        return self._rendered


@dataclass(frozen=True)
class Parsed:
    """The outcome of parsing one file's bytes: a document or its errors."""

    meta: Document | TranslationDoc | None
    body: str = ""
    errors: tuple[tuple[int, str], ...] = ()  # (line, message), path added by the caller
    data: dict | None = None  # a translation's raw front matter (its overrides)
    front: str = ""  # a translation's front matter text, to name the lines of its problems
    markdown: Body | None = None
    digest: str = ""  # hash of the file's bytes

    @property
    def html(self) -> str:
        """Return the body as sanitised HTML ("" for a file with errors)."""
        return self.markdown.rendered().html if self.markdown is not None else ""


# Structural limits: a content file that exceeds one is reported as that file's error, so a
# hostile or broken file costs bounded work and never a RecursionError in the parsers.
MAX_FILE_BYTES = 256 * 1024  # the largest real page is about 7 KB
MAX_YAML_DEPTH = 16  # nested lists and mappings in front matter (real content uses 3)
MAX_MARKDOWN_DEPTH = 12  # nested block quotes, and list or code indentation in steps of 4
MAX_HTML_BYTES = 2 * 1024 * 1024  # rendered and sanitised body
MAX_PARAGRAPH_TICKS = 200  # backticks in one paragraph (code spans are matched pairwise)

_NESTING_OPEN = (
    yaml.FlowSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.BlockMappingStartToken,
)
_NESTING_CLOSE = (
    yaml.FlowSequenceEndToken,
    yaml.FlowMappingEndToken,
    yaml.BlockEndToken,
)

_parse_cache: dict[tuple[str, str, bool], Parsed] = {}
_parse_lock = threading.Lock()


def yaml_line(node: yaml.Node | None, loc: Iterable[str | int]) -> int | None:
    """Return the 0-based line of the deepest node along ``loc`` in a composed YAML tree."""
    line = node.start_mark.line if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
            key_node = next((k for k, v in node.value if k.value == key), None)
            if match is None or key_node is None:
                return line
            line = key_node.start_mark.line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if key >= len(node.value):
                return line
            node = node.value[key]
            line = node.start_mark.line
        else:
            return line
    return line


def _format_error(error: dict) -> str:
    loc = ".".join(str(part) for part in error["loc"] if not str(part).startswith("function-"))
    message = error["msg"]
    if error["type"] == "missing":
        message = "required field is missing"
    elif error["type"] == "extra_forbidden":
        message = "unknown field (check the spelling)"
    return f"{loc}: {message}" if loc else message


def errors_with_lines(fm_text: str, located: Iterable[tuple[tuple, str]], offset: int) -> tuple:
    """Return ``(file line, message)`` for problems located by field path in front matter."""
    tree = yaml.compose(fm_text)  # node positions, needed only to name the lines
    errors = []
    for loc, message in located:
        line = yaml_line(tree, loc)
        errors.append(((line if line is not None else -1) + offset, message))
    return tuple(sorted(errors))


def _yaml_too_deep(fm_text: str) -> int | None:
    """Return the 0-based line where front matter nests deeper than the limit, else None.

    The scanner is a flat token stream (no recursion), so this is safe on any input; the
    composer and constructor that run after it recurse once per level.
    """
    depth = 0
    try:
        for token in yaml.scan(fm_text, Loader=_SAFE_LOADER):
            if isinstance(token, _NESTING_OPEN):
                depth += 1
                if depth > MAX_YAML_DEPTH + 1:  # the top-level mapping is one level
                    return token.start_mark.line
            elif isinstance(token, _NESTING_CLOSE):
                depth -= 1
    except yaml.YAMLError:
        return None  # the parser below reports it with its line
    return None


# A block opener at the start of a line: a quote mark or a list marker (they nest on one line).
_BLOCK_OPENER_RE = re.compile(r"[ \t]{0,3}(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])")
_EMPHASIS_RUN_RE = re.compile(rf"[*_~`]{{{4 * MAX_MARKDOWN_DEPTH + 1},}}")
_HTML_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(/?)>")
_VOID_TAGS = {"area", "br", "col", "hr", "img", "input", "source", "wbr"}


def _markdown_too_deep(body: str) -> int | None:
    """Return the 0-based body line that nests deeper than the limit, else None.

    Counted per line, without parsing: block quotes, indentation (lists, code), brackets
    (links, images) and runs of emphasis marks, the constructs the renderer nests on.
    """
    brackets = ticks = 0
    open_tags = 0
    for number, line in enumerate(body.split("\n")):
        open_tags = _open_tags(line, open_tags)
        if open_tags > MAX_MARKDOWN_DEPTH:
            return number
        if not line.strip():
            brackets = ticks = 0  # a blank line ends the paragraph, its link text and code
        brackets = _open_brackets(line, brackets)
        if brackets > MAX_MARKDOWN_DEPTH:
            return number
        ticks += line.count("`")
        if _EMPHASIS_RUN_RE.search(line) or ticks > MAX_PARAGRAPH_TICKS:
            return number  # long runs, or many code-span marks (matched pairwise: quadratic)
        if _block_depth(line) > MAX_MARKDOWN_DEPTH:
            return number
    return None


def _open_tags(line: str, open_tags: int) -> int:
    """Return the HTML elements open after ``line`` (the most reached, once over the limit)."""
    for match in _HTML_TAG_RE.finditer(line):
        closing, tag, self_closing = match.groups()
        if closing:
            open_tags = max(0, open_tags - 1)
        elif not self_closing and tag.lower() not in _VOID_TAGS:
            open_tags += 1
            if open_tags > MAX_MARKDOWN_DEPTH:
                return open_tags
    return open_tags


def _open_brackets(line: str, brackets: int) -> int:
    """Return the link brackets open after ``line`` (the most reached, once over the limit)."""
    for char in line:
        if char == "[":
            brackets += 1
            if brackets > MAX_MARKDOWN_DEPTH:
                return brackets
        elif char == "]":
            brackets = max(0, brackets - 1)
    return brackets


def _block_depth(line: str) -> int:
    """Return how deep a line's block quotes, list markers and indentation nest."""
    rest = line.expandtabs(4)
    indent = len(rest) - len(rest.lstrip(" "))
    openers = 0
    while (opener := _BLOCK_OPENER_RE.match(rest)) and openers <= MAX_MARKDOWN_DEPTH:
        openers += 1
        rest = rest[opener.end() :]
    return openers + indent // 4


def parse_text(text: str, kind: str, translation: bool) -> Parsed:
    """Parse one file's text into validated front matter and sanitised HTML.

    Every failure, however hostile the file, comes back as ``Parsed.errors`` (file lines).
    """
    try:
        return _parse_text(text, kind, translation)
    except (RecursionError, MemoryError):
        return Parsed(None, errors=((1, "the file is nested too deeply to be read"),))
    except Exception as exc:  # one broken file must never stop the app or a command
        log.exception("content file could not be parsed")
        return Parsed(None, errors=((1, f"the file could not be read ({type(exc).__name__})"),))


def _parse_text(text: str, kind: str, translation: bool) -> Parsed:
    front = _front_matter(text)
    if isinstance(front, Parsed):
        return front
    fm_text, body, data = front
    offset = 1  # the split keeps the newline after the opening "---": YAML line 0 is file line 1
    schema: type[Strict]
    if translation:
        # Title and summary are required; the other overrides are checked against the English.
        schema, fields = TranslationDoc, {k: data.get(k) for k in ("title", "summary") if k in data}
    else:
        schema, fields = SCHEMAS[kind], data
    try:
        meta = cast(Document | TranslationDoc, schema.model_validate(fields))
    except ValidationError as exc:
        located = [(error["loc"], _format_error(dict(error))) for error in exc.errors()]
        return Parsed(None, errors=errors_with_lines(fm_text, located, offset))
    body_start = text.count("\n", 0, len(text) - len(body)) + 1  # file line of body line 0
    rendered = _render_body(body, body_start)
    if isinstance(rendered, Parsed):
        return rendered
    # Rendered now, for the size limit; Body keeps it.
    if translation:
        return Parsed(meta, body=body, markdown=Body(body, rendered), data=data, front=fm_text)
    return Parsed(meta, body=body, markdown=Body(body, rendered))


def _front_matter(text: str) -> tuple[str, str, dict] | Parsed:
    """Return the front matter's text, the body and the front matter read as YAML, or errors."""
    if not text.startswith("---"):
        return Parsed(None, errors=((1, "front matter missing: the file must start with '---'"),))
    try:
        fm_text, body = _FRONT_MATTER.split(text)
    except ValueError:
        return Parsed(None, errors=((1, "front matter is not closed by a '---' line"),))
    offset = 1
    deep = _yaml_too_deep(fm_text)
    if deep is not None:
        return Parsed(
            None,
            errors=((deep + offset, f"front matter nests deeper than {MAX_YAML_DEPTH} levels"),),
        )
    try:
        try:
            data = yaml.load(fm_text, Loader=_SAFE_LOADER) or {}  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            data = yaml.safe_load(fm_text)  # the pure-Python parser words the problem
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + offset if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        return Parsed(None, errors=((line, f"invalid YAML: {problem}"),))
    if not isinstance(data, dict):
        return Parsed(None, errors=((offset, "front matter must be a mapping of fields"),))
    return fm_text, body, data


def _render_body(body: str, body_start: int) -> Rendered | Parsed:
    """Return the body rendered, or the error of a body too deep or too large."""
    deep = _markdown_too_deep(body)
    if deep is not None:
        message = (
            f"the text nests deeper than {MAX_MARKDOWN_DEPTH} levels"
            " (quotes, lists, indents, brackets, HTML tags or runs of marks)"
        )
        return Parsed(None, errors=((deep + body_start, message),))
    rendered = render_markdown(mask_placeholders(body))
    if len(rendered.html) > MAX_HTML_BYTES:
        limit = MAX_HTML_BYTES // (1024 * 1024)
        return Parsed(None, errors=((body_start + 1, f"the text renders to more than {limit} MB"),))
    return rendered


def parse_cached(raw: bytes, kind: str, translation: bool) -> Parsed:
    """Parse a file, reusing the result for identical bytes (the content hash is the key)."""
    digest = hashlib.sha256(raw).hexdigest()
    key = (digest, kind, translation)
    parsed = _parse_cache.get(key)
    if parsed is None:
        if len(raw) > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 1024
            return Parsed(None, errors=((1, f"the file is larger than {limit} KB"),))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            parsed = Parsed(None, errors=((line, "the file is not valid UTF-8"),))
        else:
            parsed = parse_text(text.replace("\r\n", "\n"), kind, translation)
        parsed = replace(parsed, digest=digest)
        with _parse_lock:
            _parse_cache[key] = parsed
    return parsed
