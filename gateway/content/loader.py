"""Load ``content/**/*.md``: split front matter, validate it, render the body, cache by hash.

No Flask in here: the loader is used by the app, the CLI and the benchmarks alike.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import frontmatter
import yaml
from pydantic import ValidationError

from core.locales import DEFAULT_LANG, TRANSLATION_LANGS
from gateway.content import translate
from gateway.content.markdown import Rendered, render_markdown, tangled_html
from gateway.content.placeholders import mask_placeholders
from gateway.content.schemas import SCHEMAS, SLUG_RE, Document, TranslationDoc
from gateway.content.urls import KINDS, content_path

log = logging.getLogger(__name__)

_FRONT_MATTER = frontmatter.YAMLHandler()
# libyaml's parser when available: same documents, several times faster than pure Python.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, order=True)
class ContentError:
    """A problem in a content file, reported as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


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
class Entry:
    """One content item in one language, validated; its body rendered when first shown."""

    kind: str
    slug: str
    lang: str
    meta: Document
    markdown: Body
    path: str
    translated: bool = True  # False: English text shown because no translation exists

    @property
    def html(self) -> str:
        """Return the body as sanitised HTML."""
        return self.markdown.rendered().html

    @property
    def toc(self) -> tuple[tuple[int, str, str], ...]:
        """Return the body's headings as (level, id, text)."""
        return self.markdown.rendered().toc

    @property
    def url_path(self) -> str:
        """Return the English site path of this entry."""
        return content_path(self.kind, self.slug)


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


def _yaml_line(node: yaml.Node | None, loc: Iterable[str | int]) -> int | None:
    """Return the 0-based line of the deepest node along ``loc`` in a composed YAML tree."""
    line = node.start_mark.line if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
            key_node = next((k for k, v in node.value if k.value == key), None)
            if match is None:
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


def _errors_with_lines(fm_text: str, located: Iterable[tuple[tuple, str]], offset: int) -> tuple:
    tree = yaml.compose(fm_text)  # node positions, needed only to name the lines
    errors = []
    for loc, message in located:
        line = _yaml_line(tree, loc)
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
        for match in _HTML_TAG_RE.finditer(line):
            closing, tag, self_closing = match.groups()
            if closing:
                open_tags = max(0, open_tags - 1)
            elif not self_closing and tag.lower() not in _VOID_TAGS:
                open_tags += 1
                if open_tags > MAX_MARKDOWN_DEPTH:
                    return number
        if not line.strip():
            brackets = ticks = 0  # a blank line ends the paragraph, its link text and code
        for char in line:
            if char == "[":
                brackets += 1
                if brackets > MAX_MARKDOWN_DEPTH:
                    return number
            elif char == "]":
                brackets = max(0, brackets - 1)
        ticks += line.count("`")
        if _EMPHASIS_RUN_RE.search(line) or ticks > MAX_PARAGRAPH_TICKS:
            return number  # long runs, or many code-span marks (matched pairwise: quadratic)
        rest = line.expandtabs(4)
        indent = len(rest) - len(rest.lstrip(" "))
        openers = 0
        while (match := _BLOCK_OPENER_RE.match(rest)) and openers <= MAX_MARKDOWN_DEPTH:
            openers += 1
            rest = rest[match.end() :]
        if openers + indent // 4 > MAX_MARKDOWN_DEPTH:
            return number
    return None


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
    if not text.startswith("---"):
        return Parsed(None, errors=((1, "front matter missing: the file must start with '---'"),))
    try:
        fm_text, body = _FRONT_MATTER.split(text)
    except ValueError:
        return Parsed(None, errors=((1, "front matter is not closed by a '---' line"),))
    offset = 1  # the split keeps the newline after the opening "---": YAML line 0 is file line 1
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
    if translation:
        # Title and summary are required; the other overrides are checked against the English.
        schema, fields = TranslationDoc, {k: data.get(k) for k in ("title", "summary") if k in data}
    else:
        schema, fields = SCHEMAS[kind], data
    try:
        meta = schema.model_validate(fields)
    except ValidationError as exc:
        located = [(error["loc"], _format_error(error)) for error in exc.errors()]
        return Parsed(None, errors=_errors_with_lines(fm_text, located, offset))
    body_start = text.count("\n", 0, len(text) - len(body)) + 1  # file line of body line 0
    deep = _markdown_too_deep(body)
    if deep is not None:
        message = (
            f"the text nests deeper than {MAX_MARKDOWN_DEPTH} levels"
            " (quotes, lists, indents, brackets, HTML tags or runs of marks)"
        )
        return Parsed(None, errors=((deep + body_start, message),))
    tangled = tangled_html(body)  # linear; rendering and sanitising tangled HTML are not
    if tangled is not None:
        line, why = tangled
        return Parsed(None, errors=((line + body_start, f"{why} (raw HTML in the text)"),))
    rendered = render_markdown(mask_placeholders(body))
    if len(rendered.html) > MAX_HTML_BYTES:
        limit = MAX_HTML_BYTES // (1024 * 1024)
        return Parsed(None, errors=((body_start + 1, f"the text renders to more than {limit} MB"),))
    # Rendered now, for the size limit above; Body keeps it.
    if translation:
        return Parsed(meta, body=body, markdown=Body(body, rendered), data=data, front=fm_text)
    return Parsed(meta, body=body, markdown=Body(body, rendered))


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


def split_name(filename: str) -> tuple[str, str] | None:
    """Split ``slug.md`` or ``slug.<lang>.md`` into (slug, lang); None if not a content file."""
    if not filename.endswith(".md"):
        return None
    stem = filename[:-3]
    slug, _, lang = stem.rpartition(".")
    if not slug:
        return stem, DEFAULT_LANG
    return slug, lang


@dataclass
class Snapshot:
    """Everything loaded from the content folder at one moment."""

    entries: dict[tuple[str, str, str], Entry] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)
    bodies: dict[tuple[str, str, str], str] = field(default_factory=dict)
    digests: dict[tuple[str, str, str], str] = field(default_factory=dict)  # hash of each file
    grouped: dict[tuple, str] = field(default_factory=dict)  # see ContentStore.digest()
    signature: tuple = ()
    version: str = ""  # hash of the signature, computed once per load
    overrides: dict[tuple[str, str, str], dict] = field(default_factory=dict)  # translations


class ContentStore:
    """The site's content, reloaded from disk when files change (``refresh``)."""

    def __init__(self, root: str | os.PathLike, display_root: str | os.PathLike | None = None):
        self.root = Path(root)
        self.display_root = Path(display_root) if display_root else self.root.parent
        self._snapshot = Snapshot()
        self._lock = threading.Lock()
        self.refresh()

    # -- loading -----------------------------------------------------------------------------
    def _display(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.display_root))
        except ValueError:
            return str(path)

    def _scan(self) -> list[tuple[str, Path, os.stat_result]]:
        files = []
        if not self.root.is_dir():
            return files
        for kind_dir in sorted(self.root.iterdir()):
            if not kind_dir.is_dir() or kind_dir.name.startswith("."):
                continue
            with os.scandir(kind_dir) as it:
                for item in sorted(it, key=lambda e: e.name):
                    if item.is_file() and item.name.endswith(".md"):
                        files.append((kind_dir.name, Path(item.path), item.stat()))
        return files

    def refresh(self) -> bool:
        """Reload changed files; return True if anything changed."""
        files = self._scan()
        signature = tuple((str(p), s.st_mtime_ns, s.st_size) for _, p, s in files)
        if signature == self._snapshot.signature:
            return False
        with self._lock:
            if signature == self._snapshot.signature:
                return False
            self._snapshot = self._load(files, signature)
        for error in self._snapshot.errors:
            log.error("content error: %s", error)
        return True

    def _load(self, files, signature) -> Snapshot:
        version = hashlib.sha256(repr(signature).encode()).hexdigest()[:12]
        snap = Snapshot(signature=signature, version=version)
        translations: list[tuple[str, str, str, Path, Parsed]] = []
        seen: dict[tuple[str, str, str], str] = {}
        for kind, path, stat in files:
            shown = self._display(path)
            if kind not in KINDS:
                snap.errors.append(
                    ContentError(shown, 1, f"unknown content folder '{kind}' ({', '.join(KINDS)})")
                )
                continue
            slug, lang = split_name(path.name)
            if not SLUG_RE.match(slug):
                snap.errors.append(
                    ContentError(shown, 1, f"bad file name '{slug}': use a-z, 0-9 and hyphens")
                )
                continue
            if lang != DEFAULT_LANG and lang not in TRANSLATION_LANGS:
                snap.errors.append(ContentError(shown, 1, f"unknown language suffix '.{lang}'"))
                continue
            key = (kind, lang, slug.lower())
            if key in seen:
                snap.errors.append(ContentError(shown, 1, f"duplicate slug '{slug}' ({seen[key]})"))
                continue
            seen[key] = shown
            if stat.st_size > MAX_FILE_BYTES:
                limit = MAX_FILE_BYTES // 1024
                snap.errors.append(ContentError(shown, 1, f"the file is larger than {limit} KB"))
                continue
            try:
                raw = path.read_bytes()
            except OSError as exc:
                snap.errors.append(ContentError(shown, 1, f"cannot be read: {exc.strerror}"))
                continue
            parsed = parse_cached(raw, kind, lang != DEFAULT_LANG)
            if parsed.errors:
                snap.errors.extend(ContentError(shown, line, msg) for line, msg in parsed.errors)
                continue
            if lang != DEFAULT_LANG:
                translations.append((kind, slug, lang, path, parsed))
                continue
            if parsed.meta.draft:
                continue
            snap.entries[(kind, lang, slug)] = Entry(
                kind, slug, lang, parsed.meta, parsed.markdown, shown
            )
            snap.bodies[(kind, lang, slug)] = parsed.body
            snap.digests[(kind, lang, slug)] = parsed.digest
        for kind, slug, lang, path, parsed in translations:
            english = snap.entries.get((kind, DEFAULT_LANG, slug))
            if english is None:
                if not any(e.path.endswith(f"{kind}/{slug}.md") for e in snap.errors):
                    snap.errors.append(
                        ContentError(self._display(path), 1, f"no English file {kind}/{slug}.md")
                    )
                continue
            problems = translate.validate(parsed.data, english.meta)
            if problems:
                located = [(loc, f"{translate.dotted(loc)}: {msg}") for loc, msg in problems]
                errors = _errors_with_lines(parsed.front, located, 1)
                snap.errors.extend(ContentError(self._display(path), ln, m) for ln, m in errors)
                continue
            meta = translate.merge(english.meta, parsed.data)
            snap.overrides[(kind, lang, slug)] = parsed.data
            snap.entries[(kind, lang, slug)] = Entry(
                kind, slug, lang, meta, parsed.markdown, self._display(path)
            )
            snap.bodies[(kind, lang, slug)] = parsed.body
            snap.digests[(kind, lang, slug)] = parsed.digest
        snap.errors.sort()
        return snap

    # -- reading -----------------------------------------------------------------------------
    @property
    def errors(self) -> list[ContentError]:
        """Return the problems found at the last load."""
        return list(self._snapshot.errors)

    def errors_for(self, kind: str, slug: str) -> list[ContentError]:
        """Return the problems of one item's files (any language)."""
        prefix = f"{kind}/{slug}."
        return [e for e in self._snapshot.errors if prefix in e.path.replace(os.sep, "/")]

    def get(self, kind: str, slug: str, lang: str = DEFAULT_LANG) -> Entry | None:
        """Return one entry in ``lang``, falling back to English (marked untranslated)."""
        entries = self._snapshot.entries
        entry = entries.get((kind, lang, slug))
        if entry is None and lang != DEFAULT_LANG:
            english = entries.get((kind, DEFAULT_LANG, slug))
            if english is not None:
                entry = Entry(**{**english.__dict__, "lang": lang, "translated": False})
        return entry

    def all(self, kind: str, lang: str = DEFAULT_LANG) -> list[Entry]:
        """Return every entry of a kind in ``lang`` (English where untranslated), sorted."""
        slugs = [s for (k, lg, s) in self._snapshot.entries if k == kind and lg == DEFAULT_LANG]
        entries = [self.get(kind, slug, lang) for slug in slugs]
        return sort_entries(kind, entries)

    def slugs(self, kind: str) -> list[str]:
        """Return the slugs of a kind (English files)."""
        return [e.slug for e in self.all(kind)]

    def body(self, entry: Entry) -> str:
        """Return the Markdown source of an entry's body."""
        return self._snapshot.bodies.get((entry.kind, entry.lang, entry.slug), "")

    def overrides(self, kind: str, slug: str, lang: str) -> dict | None:
        """Return a translation's raw front matter (its overrides), or None without a file."""
        return self._snapshot.overrides.get((kind, lang, slug))

    def translations(self, kind: str, slug: str) -> list[str]:
        """Return the languages that have their own file for an item."""
        return [lg for (k, lg, s) in self._snapshot.entries if k == kind and s == slug]

    def digest(self, kind: str, slug: str | None = None, *, front_matter: bool = False) -> str:
        """Return a hash of the loaded files of one item (every language), or of a whole kind.

        It changes exactly when the published text of that item (or kind) changes, so a
        rebuild can tell which pages need rendering again; with ``front_matter`` only the
        front matter counts (what lists show), not the body.
        """
        snap = self._snapshot
        if not snap.grouped:  # once per load
            groups: dict[tuple, list] = {}
            for key, file_hash in sorted(snap.digests.items()):
                meta = snap.entries[key].meta.model_dump_json().encode()
                meta_hash = hashlib.sha256(meta).hexdigest()
                for group in ((key[0], key[2]), (key[0], None)):
                    groups.setdefault((False, *group), []).append((key, file_hash))
                    groups.setdefault((True, *group), []).append((key, meta_hash))
            snap.grouped = {
                group: hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
                for group, parts in groups.items()
            }
        return snap.grouped.get((front_matter, kind, slug), "-")

    @property
    def version(self) -> str:
        """Return a short hash that changes whenever any content file changes."""
        return self._snapshot.version or hashlib.sha256(b"()").hexdigest()[:12]


def sort_entries(kind: str, entries: list[Entry]) -> list[Entry]:
    """Order entries as the site lists them (newest stories first, sectors by order)."""
    if kind == "case-studies":
        return sorted(entries, key=lambda e: (e.meta.date, e.slug), reverse=True)
    if kind == "events":
        return sorted(entries, key=lambda e: (e.meta.starts, e.slug))
    if kind == "sectors":
        return sorted(entries, key=lambda e: (e.meta.order, e.slug))
    return sorted(entries, key=lambda e: e.slug)
