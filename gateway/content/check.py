"""Whole-site checks on loaded content: references between files, links and images."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import frontmatter
import yaml

from core.locales import DEFAULT_LANG, TRANSLATION_LANGS
from gateway.content import translate
from gateway.content.figures import missing_figure_reasons
from gateway.content.parse import yaml_line
from gateway.content.placeholders import find_placeholders
from gateway.content.schemas import PageDoc
from gateway.content.store import ContentError, ContentStore, Entry
from gateway.content.urls import KINDS, SECTION_PATHS

_HREF_RE = re.compile(r'(?:href|src)="([^"]+)"')
REQUIRED_PAGES = ("home", "about", "privacy")


def known_paths(store: ContentStore) -> set[str]:
    """Return every English site path the content and the site's sections provide."""
    paths = set(SECTION_PATHS)
    for kind in KINDS:
        for entry in store.all(kind):
            paths.add(entry.url_path)
            if kind == "events":
                paths.add(f"{entry.url_path}meet/")
    return paths


def _strip_lang(path: str) -> str:
    for lang in TRANSLATION_LANGS:
        prefix = f"/{lang}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
        if path == f"/{lang}":
            return "/"
    return path


def _line_of(body: str, needle: str, offset: int) -> int:
    for number, line in enumerate(body.splitlines(), start=1):
        if needle in line:
            return number + offset
    return offset + 1


def check_store(store: ContentStore, static_dir: str | Path) -> list[ContentError]:
    """Return every problem: file errors plus broken references, links and images."""
    static_dir = Path(static_dir)
    errors = list(store.errors)
    sectors = set(store.slugs("sectors"))
    paths = known_paths(store)

    def add(entry, message, needle=None):
        line = 1
        if needle is not None:
            path = store.display_root / entry.path
            line = _line_of(path.read_text(encoding="utf-8"), needle, 0) if path.exists() else 1
        errors.append(ContentError(entry.path, line, message))

    for slug in REQUIRED_PAGES:
        if store.get("pages", slug) is None and not store.errors_for("pages", slug):
            errors.append(ContentError(f"{store.root.name}/pages/{slug}.md", 1, "required page"))
    privacy = store.get("pages", "privacy")
    if privacy is not None and not cast(PageDoc, privacy.meta).version:
        add(privacy, "privacy notice needs a 'version'")

    for lang, entry in _every_language(store):
        problems = list(_link_problems(entry.html, paths, static_dir))
        if lang == DEFAULT_LANG:  # references and images are facts of the English file
            problems[:0] = _reference_problems(entry.meta, sectors, static_dir)
        for message, needle in problems:
            add(entry, message, needle)
    return sorted(set(errors))


def _every_language(store: ContentStore) -> Iterator[tuple[str, Entry]]:
    """Yield (language, entry) for every entry in each language it has, English first."""
    for kind in KINDS:
        for slug in store.slugs(kind):
            langs = [DEFAULT_LANG, *[lg for lg in store.translations(kind, slug) if lg != "en"]]
            for lang in langs:
                entry = store.get(kind, slug, lang)
                if entry is not None:  # always, for a listed slug
                    yield lang, entry


def _reference_problems(meta, sectors: set[str], static_dir: Path) -> Iterator[tuple[str, str]]:
    """Yield (message, text to find its line by) for unknown sectors and missing images."""
    for ref in getattr(meta, "sectors", []) or []:
        if ref not in sectors:
            yield f"unknown sector '{ref}'", f"{ref}"
    parent = getattr(meta, "parent", None)
    if parent and parent not in sectors:
        yield f"unknown parent sector '{parent}'", f"parent: {parent}"
    if meta.image is not None and not (static_dir / meta.image.src).is_file():
        yield f"image not found: static/{meta.image.src}", "src:"


def _link_problems(html: str, paths: set[str], static_dir: Path) -> Iterator[tuple[str, str]]:
    """Yield (message, link) for every site-internal link or image that leads nowhere."""
    for target in _HREF_RE.findall(html):
        if not target.startswith("/") or target.startswith("//"):
            continue
        path = target.split("#", 1)[0].split("?", 1)[0]
        if path.startswith("/static/"):
            if not (static_dir / path[len("/static/") :]).is_file():
                yield f"broken link: {target}", target
        elif _strip_lang(path) not in paths:
            yield f"broken internal link: {target}", target


def _front_tree(path: Path) -> yaml.Node | None:
    """Return the composed YAML front matter of a file (for line numbers), or None."""
    try:
        front, _ = frontmatter.YAMLHandler().split(path.read_text(encoding="utf-8"))
        return yaml.compose(front)
    except (OSError, ValueError, yaml.YAMLError):
        return None


def _line(tree: yaml.Node | None, loc: tuple) -> int:
    line = yaml_line(tree, loc) if tree is not None else None
    return 1 if line is None else line + 1  # YAML line 0 is file line 2 (after "---")


def fallback_warnings(store: ContentStore) -> list[ContentError]:
    """Return, per language, every visible text that falls back to English.

    A text is reported where the English is (``path:line`` of the English field) when the
    translation leaves it out, and where the translation is when it only copies the English
    (unless listed under ``identical``). ``Name`` fields (organisations, universities, titles
    of sources) are proper names and never reported.
    """
    warnings: list[ContentError] = []
    kinds = ("countries", "baselines", "sectors", "case-studies", "events", "pages", "partners")
    for kind in kinds:
        for english in store.all(kind):
            source = store.display_root / english.path
            english_tree = None
            for lang in TRANSLATION_LANGS:
                data = store.overrides(kind, english.slug, lang)
                would_be = english.path[: -len(".md")] + f".{lang}.md"
                if data is None:
                    count = sum(1 for _ in translate.text_fields(english.meta))
                    warnings.append(
                        ContentError(
                            english.path,
                            1,
                            f"warning: {lang}: no translation ({would_be}): "
                            f"{count} text(s) and the body are shown in English"
                            if kind != "baselines"
                            else f"{count} text(s) are shown in English",
                        )
                    )
                    continue
                translated = store.get(kind, english.slug, lang) or english  # falls back anyway
                shown = kind != "baselines"  # a baseline's body is an editor's note, not a page
                if shown and store.body(english).strip() and not store.body(translated).strip():
                    warnings.append(
                        ContentError(translated.path, 1, f"warning: {lang}: the body is missing")
                    )
                tree = None
                for loc, why in translate.fallbacks(english.meta, data):
                    field = translate.dotted(loc)
                    if why == "missing":
                        if english_tree is None:
                            english_tree = _front_tree(source)
                        where, line = english.path, _line(english_tree, loc)
                        message = f"not translated into {lang} ({would_be}), shown in English"
                    else:
                        if tree is None:
                            tree = _front_tree(store.display_root / translated.path)
                        where, line = translated.path, _line(tree, loc)
                        message = "identical to the English (list it under 'identical' if right)"
                    warnings.append(
                        ContentError(where, line, f"warning: {lang}: {field}: {message}")
                    )
    return sorted(set(warnings))


def missing_figure_warnings(store: ContentStore) -> list[ContentError]:
    """Return one warning per figure without a sourced value (shown as "—" on the site)."""
    warnings = []
    for kind in ("countries", "baselines", "sectors", "case-studies", "pages"):
        for entry in store.all(kind):
            path = store.display_root / entry.path
            text = path.read_text(encoding="utf-8") if path.exists() else ""
            for dotted, reason in missing_figure_reasons(entry.meta):
                needle = f"{dotted.rsplit('.', 1)[-1]}:"
                line = _line_of(text, needle, 0) if not needle[0].isdigit() else 1
                message = f"missing figure: {dotted}" + (f" ({reason})" if reason else "")
                warnings.append(ContentError(entry.path, line, message))
    return sorted(set(warnings))


def placeholder_warnings(store: ContentStore) -> list[ContentError]:
    """Return one warning per editor placeholder left in a body, in every language."""
    warnings = []
    for kind in ("countries", "sectors", "case-studies", "events", "pages"):
        for slug in store.slugs(kind):
            for lang in store.translations(kind, slug):
                entry = store.get(kind, slug, lang)
                if entry is None or entry.lang != lang:
                    continue
                offset = _body_offset(store, entry)
                for line, words in find_placeholders(store.body(entry)):
                    message = f"editor placeholder shown as a neutral sentence: [{words} ...]"
                    warnings.append(ContentError(entry.path, line + offset, message))
    return sorted(set(warnings))


def _body_offset(store: ContentStore, entry) -> int:
    """Return the number of file lines before the body (front matter and its markers)."""
    path = store.display_root / entry.path
    if not path.exists():
        return 0
    text = path.read_text(encoding="utf-8")
    body = store.body(entry)
    return text[: len(text) - len(body)].count("\n") if body and text.endswith(body) else 0


__all__ = [
    "check_store",
    "fallback_warnings",
    "known_paths",
    "missing_figure_warnings",
    "placeholder_warnings",
]
