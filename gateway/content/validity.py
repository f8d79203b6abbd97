"""Rules and rates that end: hide what is no longer in force, the day after it ends.

Incentives, figures (and their parts) and facts may carry ``valid_until``; from the next day
they disappear from pages, fact sheets, the estimator and mails, because every reader takes
entries through ``ContentStore.get``, which applies :func:`in_force`. ``today`` is the one
clock (tests move it). No Flask in here.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from gateway.content.schemas import Figure


def today() -> dt.date:
    """Return the date content is shown for (one place, so tests can move the clock)."""
    return dt.date.today()


def ended(item: object, on: dt.date) -> bool:
    """Tell whether ``item`` carries a ``valid_until`` before ``on``."""
    until = getattr(item, "valid_until", None)
    return until is not None and until < on


def _prune(value, on: dt.date):
    """Return ``value`` without anything that ended before ``on`` (the same object if none)."""
    if isinstance(value, list):
        kept = [_prune(item, on) for item in value if not ended(item, on)]
        same = len(kept) == len(value) and all(a is b for a, b in zip(kept, value, strict=True))
        return value if same else kept
    if not isinstance(value, BaseModel):
        return value
    if isinstance(value, Figure) and ended(value, on):
        return type(value).model_construct(**_blank(value))
    changes = {}
    for name in type(value).model_fields:
        old = getattr(value, name)
        new = _prune(old, on)
        if new is not old:
            changes[name] = new
    return value.model_copy(update=changes) if changes else value


def _blank(figure: Figure) -> dict:
    """Return the fields of a figure that ended: no value, only what labels it."""
    fields = {name: getattr(figure, name) for name in type(figure).model_fields}
    fields.update(value=None, none=False, parts=[], source=None, period=None, url=None, note=None)
    return fields


def in_force(meta: BaseModel, on: dt.date | None = None) -> BaseModel:
    """Return front matter as it stands on ``on`` (today): ended items left out."""
    return _prune(meta, on or today())


def ending(
    meta: BaseModel, within_days: int, on: dt.date | None = None
) -> list[tuple[str, dt.date]]:
    """Return (field path, end date) of every item that ends within ``within_days`` of ``on``."""
    on = on or today()
    found: list[tuple[str, dt.date]] = []

    def walk(value, path: str) -> None:
        if isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")
            return
        if not isinstance(value, BaseModel):
            return
        until = getattr(value, "valid_until", None)
        if until is not None and on <= until <= on + dt.timedelta(days=within_days):
            found.append((path, until))
        for name in type(value).model_fields:
            walk(getattr(value, name), f"{path}.{name}" if path else name)

    walk(meta, "")
    return found
