"""Translations of front matter: per-field overrides deep-merged over the English file.

A translation file (``<slug>.de.md``, ``<slug>.sv.md``) repeats the structure of the English
front matter but sets only the fields marked ``Text`` in the schema (labels, notes, places,
topics, slots, EU status, time zone, languages ...). Everything else (numbers, dates, slugs,
units, periods, URLs and ``Name`` fields: organisations, universities, titles of sources)
stays in the English file only, so a figure is changed in one place.

- A mapping overrides field by field; an omitted field falls back to the English text.
- A list of objects (talent, figures, incentives) is overridden item by item: the same
  number of items in the same order; ``{}`` keeps an item's English text.
- A list of texts (slots, topics, languages) is replaced as a whole, with the same length.
- A few ``Name`` fields have an established form in another language ("Universität
  Belgrad", a statistics office's German name) and may be given one (``NAMED_IN_LANGUAGE``);
  they are never required and never reported when left out.
- ``identical: [city, talent.0.note]`` lists fields whose translation really is the same as
  the English (a place name such as "Sarajevo"); they need not be repeated, and
  ``flask content check`` does not report them as untranslated.

``apply`` is the loader's step: a parsed translation file checked against its English
document and merged over it. No Flask in here.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel

from gateway.content.parse import Parsed, errors_with_lines
from gateway.content.schemas import (
    CaseStudyDoc,
    Contact,
    EventDoc,
    Figure,
    Incentive,
    Source,
    TalentSource,
    TextKind,
)

IDENTICAL_KEY = "identical"
BODY = "body"

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Shape:
    """What a schema position holds: a ``text``/``name`` leaf, a model, a list, or a value."""

    kind: str  # "text", "name", "model", "list", "value"
    model: type[BaseModel] | None = None
    item: Shape | None = None


_VALUE = Shape("value")
_NAME = Shape("name")
_LOCAL_NAME = Shape("local-name")

NAMED_IN_LANGUAGE: tuple[tuple[type[BaseModel], str], ...] = (
    (Figure, "source"),  # the publisher's name in the reader's language
    (Incentive, "source"),
    (CaseStudyDoc, "organisation"),
    (Contact, "name"),
    (TalentSource, "name"),
    (EventDoc, "venue"),
    (Source, "title"),  # a case study's source, when it describes rather than quotes a title
)
"""``Name`` fields a translation may give in its language (optional, never reported)."""


def shape(annotation: Any, metadata: tuple | list = ()) -> Shape:
    """Return the shape of a field from its annotation and ``Annotated`` metadata."""
    for mark in metadata:
        if isinstance(mark, TextKind):
            return Shape(mark.kind)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Annotated:
        return shape(args[0], args[1:])
    if origin in (typing.Union, types.UnionType):
        kept = [a for a in args if a is not type(None)]
        return shape(kept[0]) if len(kept) == 1 else _VALUE
    if origin is list:
        return Shape("list", item=shape(args[0]) if args else _VALUE)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Shape("model", model=annotation)
    return _VALUE


def field_shapes(model: type[BaseModel]) -> dict[str, Shape]:
    """Return the shape of every field of ``model`` (cached on the class)."""
    cached = model.__dict__.get("_translation_shapes")
    if cached is None:
        cached = {
            name: shape(info.annotation, info.metadata) for name, info in model.model_fields.items()
        }
        for base, name in NAMED_IN_LANGUAGE:
            if issubclass(model, base) and cached.get(name) == _NAME:
                cached[name] = _LOCAL_NAME
        model._translation_shapes = cached  # type: ignore[attr-defined]
    return cached


def dotted(loc: Loc) -> str:
    """Return a location as ``talent.0.note``."""
    return ".".join(str(part) for part in loc)


def validate(data: dict, english: BaseModel) -> list[tuple[Loc, str]]:
    """Return the problems of a translation's overrides against the English document."""
    problems: list[tuple[Loc, str]] = []
    identical = data.get(IDENTICAL_KEY, [])
    if not isinstance(identical, list) or not all(isinstance(i, str) for i in identical):
        problems.append(((IDENTICAL_KEY,), "must be a list of field paths, e.g. [city]"))
    else:
        known = {dotted(loc) for loc, _ in text_fields(english)}
        for index, path in enumerate(identical):
            if path not in known:
                problems.append(((IDENTICAL_KEY, index), f"no text field '{path}' to keep"))
    overrides = {k: v for k, v in data.items() if k != IDENTICAL_KEY}
    _check_model(overrides, english, (), problems)
    return problems


def _check_model(data: Any, english: BaseModel, loc: Loc, problems: list) -> None:
    if not isinstance(data, dict):
        problems.append((loc, "must be a mapping of translated fields"))
        return
    shapes = field_shapes(type(english))
    for key, value in data.items():
        here = (*loc, key)
        if key not in shapes:
            problems.append((here, "unknown field (check the spelling)"))
            continue
        _check(value, shapes[key], getattr(english, key), here, problems)


def _check(value: Any, where: Shape, english: Any, loc: Loc, problems: list) -> None:
    if where.kind in ("text", "local-name"):
        if not isinstance(value, str) or not value.strip():
            problems.append((loc, "a translation must be a non-empty text"))
        elif english is None:
            problems.append((loc, "the English file has no text here to translate"))
        return
    if where.kind == "model" and english is not None:
        if value is None:
            return
        _check_model(value, english, loc, problems)
        return
    if where.kind == "list" and where.item is not None and where.item.kind in ("text", "model"):
        if not isinstance(value, list):
            problems.append((loc, "must be a list, like the English field"))
            return
        if len(value) != len(english or []):
            problems.append(
                (loc, f"has {len(value)} items; the English file has {len(english or [])}")
            )
            return
        for index, (item, original) in enumerate(zip(value, english, strict=True)):
            if item is None or item == {}:
                continue
            _check(item, where.item, original, (*loc, index), problems)
        return
    problems.append(
        (loc, "not translatable: numbers, dates, codes and names stay in the English file")
    )


def apply(
    english: BaseModel, parsed: Parsed
) -> tuple[BaseModel | None, tuple[tuple[int, str], ...]]:
    """Return a parsed translation merged over its English document, or its problems.

    The problems are ``(file line, message)``, like a parse's; the merged document is None then.
    """
    data = parsed.data or {}
    problems = validate(data, english)
    if problems:
        located = [(loc, f"{dotted(loc)}: {msg}") for loc, msg in problems]
        return None, errors_with_lines(parsed.front, located, 1)
    return merge(english, data), ()


def merge(english: BaseModel, data: dict) -> BaseModel:
    """Return the English document with the (validated) overrides applied."""
    overrides = {k: v for k, v in data.items() if k != IDENTICAL_KEY}
    return _merge_model(english, overrides)


def _merge_model(english: BaseModel, data: dict) -> BaseModel:
    shapes = field_shapes(type(english))
    update = {
        key: _merge(getattr(english, key), shapes[key], value)
        for key, value in data.items()
        if value is not None
    }
    return english.model_copy(update=update) if update else english


def _merge(english: Any, where: Shape, value: Any) -> Any:
    if where.kind in ("text", "local-name"):
        return value
    if where.kind == "model":
        return _merge_model(english, value)
    if where.kind == "list" and where.item is not None:
        if where.item.kind == "text":
            return list(value)
        return [
            original if item in (None, {}) else _merge(original, where.item, item)
            for original, item in zip(english, value, strict=True)
        ]
    return english


def text_fields(meta: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Yield ``(location, English text)`` for every non-empty ``Text`` field of a document."""
    for key, where in field_shapes(type(meta)).items():
        yield from _texts(getattr(meta, key), where, (*loc, key))


def _texts(value: Any, where: Shape, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if value is None:
        return
    if where.kind == "text":
        if isinstance(value, str) and value.strip():
            yield loc, value
    elif where.kind == "model":
        yield from text_fields(value, loc)
    elif where.kind == "list" and where.item is not None:
        for index, item in enumerate(value):
            yield from _texts(item, where.item, (*loc, index))


def lookup(data: Any, loc: Loc) -> Any:
    """Return the override at ``loc`` in a translation's raw data, or None."""
    for part in loc:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def fallbacks(english: BaseModel, data: dict) -> Iterator[tuple[Loc, str]]:
    """Yield ``(location, "missing" | "identical")`` for each text shown in English."""
    keep = set(data.get(IDENTICAL_KEY) or [])
    for loc, text in text_fields(english):
        if dotted(loc) in keep:
            continue
        value = lookup(data, loc)
        if value is None:
            yield loc, "missing"
        elif str(value).strip() == text.strip():
            yield loc, "identical"


__all__ = ["apply", "fallbacks", "merge", "shape", "text_fields", "validate"]
