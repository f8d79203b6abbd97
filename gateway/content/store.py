"""The site's content folder, loaded: every entry in every language, and its problems.

``ContentStore`` scans ``content/<kind>/<slug>[.<lang>].md``, parses each file
(``gateway.content.parse``), merges translations over their English file
(``gateway.content.translate``) and keeps the result until a file changes. No Flask in here:
the store is used by the app, the CLI and the benchmarks alike.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from core.locales import DEFAULT_LANG, TRANSLATION_LANGS
from gateway.content import translate
from gateway.content.parse import MAX_FILE_BYTES, Body, Parsed, parse_cached
from gateway.content.schemas import SLUG_RE, CaseStudyDoc, Document, EventDoc, SectorDoc
from gateway.content.urls import KINDS, content_path

log = logging.getLogger(__name__)


@dataclass(frozen=True, order=True)
class ContentError:
    """A problem in a content file, reported as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


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


def split_name(filename: str) -> tuple[str, str] | None:
    """Split ``slug.md`` or ``slug.<lang>.md`` into (slug, lang); None if not a content file."""
    if not filename.endswith(".md"):
        return None
    stem = filename[:-3]
    slug, _, lang = stem.rpartition(".")
    if not slug:
        return stem, DEFAULT_LANG
    return slug, lang


FileInfo = tuple[str, Path, os.stat_result]  # (kind folder, path, stat) of one content file


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

    def _scan(self) -> list[FileInfo]:
        files: list[FileInfo] = []
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

    def _load(self, files: list[FileInfo], signature: tuple) -> Snapshot:
        version = hashlib.sha256(repr(signature).encode()).hexdigest()[:12]
        snap = Snapshot(signature=signature, version=version)
        translations: list[tuple[str, str, str, Path, Parsed]] = []
        seen: dict[tuple[str, str, str], str] = {}
        for kind, path, stat in files:
            shown = self._display(path)
            named = self._name_problem(kind, path, stat, seen)
            if isinstance(named, ContentError):
                snap.errors.append(named)
                continue
            slug, lang = named
            parsed = self._parse_file(path, shown, kind, lang, snap)
            if parsed is None:
                continue
            if lang != DEFAULT_LANG:
                translations.append((kind, slug, lang, path, parsed))
                continue
            meta = cast(Document, parsed.meta)  # an English file parses to its kind's schema
            if parsed.markdown is None or getattr(meta, "draft", False):
                continue
            snap.entries[(kind, lang, slug)] = Entry(kind, slug, lang, meta, parsed.markdown, shown)
            snap.bodies[(kind, lang, slug)] = parsed.body
            snap.digests[(kind, lang, slug)] = parsed.digest
        for kind, slug, lang, path, parsed in translations:
            self._add_translation(snap, kind, slug, lang, path, parsed)
        snap.errors.sort()
        return snap

    def _name_problem(
        self, kind: str, path: Path, stat: os.stat_result, seen: dict[tuple[str, str, str], str]
    ) -> ContentError | tuple[str, str]:
        """Return a file's slug and language, or the problem with its folder, name or size."""
        shown = self._display(path)
        if kind not in KINDS:
            return ContentError(shown, 1, f"unknown content folder '{kind}' ({', '.join(KINDS)})")
        name = split_name(path.name)
        if name is None:  # _scan lists .md files only
            return ContentError(shown, 1, "not a content file: the name must end in .md")
        slug, lang = name
        if not SLUG_RE.match(slug):
            return ContentError(shown, 1, f"bad file name '{slug}': use a-z, 0-9 and hyphens")
        if lang != DEFAULT_LANG and lang not in TRANSLATION_LANGS:
            return ContentError(shown, 1, f"unknown language suffix '.{lang}'")
        key = (kind, lang, slug.lower())
        if key in seen:
            return ContentError(shown, 1, f"duplicate slug '{slug}' ({seen[key]})")
        seen[key] = shown
        if stat.st_size > MAX_FILE_BYTES:
            return ContentError(shown, 1, f"the file is larger than {MAX_FILE_BYTES // 1024} KB")
        return slug, lang

    @staticmethod
    def _parse_file(path: Path, shown: str, kind: str, lang: str, snap: Snapshot) -> Parsed | None:
        """Return a file parsed, or None with its problems added to the snapshot."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            snap.errors.append(ContentError(shown, 1, f"cannot be read: {exc.strerror}"))
            return None
        parsed = parse_cached(raw, kind, lang != DEFAULT_LANG)
        if parsed.errors:
            snap.errors.extend(ContentError(shown, line, msg) for line, msg in parsed.errors)
            return None
        return parsed

    def _add_translation(
        self, snap: Snapshot, kind: str, slug: str, lang: str, path: Path, parsed: Parsed
    ) -> None:
        """Merge a parsed translation over its English entry, or record why it cannot be."""
        english = snap.entries.get((kind, DEFAULT_LANG, slug))
        if english is None:
            if not any(e.path.endswith(f"{kind}/{slug}.md") for e in snap.errors):
                snap.errors.append(
                    ContentError(self._display(path), 1, f"no English file {kind}/{slug}.md")
                )
            return
        merged, errors = translate.apply(english.meta, parsed)
        if merged is None or parsed.markdown is None:
            snap.errors.extend(ContentError(self._display(path), ln, m) for ln, m in errors)
            return
        snap.overrides[(kind, lang, slug)] = parsed.data or {}
        meta = cast(Document, merged)  # the English document with the translated text
        snap.entries[(kind, lang, slug)] = Entry(
            kind, slug, lang, meta, parsed.markdown, self._display(path)
        )
        snap.bodies[(kind, lang, slug)] = parsed.body
        snap.digests[(kind, lang, slug)] = parsed.digest

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
        entries = [entry for slug in slugs if (entry := self.get(kind, slug, lang)) is not None]
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
        return sorted(
            entries, key=lambda e: (cast(CaseStudyDoc, e.meta).date, e.slug), reverse=True
        )
    if kind == "events":
        return sorted(entries, key=lambda e: (cast(EventDoc, e.meta).starts, e.slug))
    if kind == "sectors":
        return sorted(entries, key=lambda e: (cast(SectorDoc, e.meta).order, e.slug))
    return sorted(entries, key=lambda e: e.slug)
