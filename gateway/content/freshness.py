"""Figures that stay true: what ends soon, what is old, and how well the figures are sourced.

Pure functions over a loaded store; ``flask content check`` prints the warnings (never errors,
so a passing day does not fail CI) and ``flask content sources`` prints the report. No Flask.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass

from gateway.content import validity
from gateway.content.figures import iter_figures, missing_figure_reasons
from gateway.content.schemas import PRIMARY_KINDS, Fact, Figure
from gateway.content.store import ContentError, ContentStore

EXPIRY_WARNING_DAYS = 60
STALE_PERIOD_MONTHS = 24
STALE_CHECK_MONTHS = 12
RECENT_FROM = "2024"  # "post-2023": a period of 2024 or later
# Counts that only a census gives: an older period is expected, not stale.
CENSUS_FIGURES = ("facts.population",)
KINDS = ("countries", "baselines")


def period_end(period: str) -> dt.date:
    """Return the last day a period (``YYYY``, ``YYYY-Qn``, ``YYYY-MM``, ``YYYY-MM-DD``) covers."""
    parts = period.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return dt.date(year, 12, 31)
    month = int(parts[1][1]) * 3 if parts[1].startswith("Q") else int(parts[1])
    if len(parts) == 3:
        return dt.date(year, month, int(parts[2]))
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def months_between(start: dt.date, end: dt.date) -> int:
    """Return the whole months from ``start`` to ``end``."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def _sourced(meta) -> list[tuple[str, Figure]]:
    return [(path, fig) for path, fig in iter_figures(meta) if fig.value is not None or fig.none]


def figure_warnings(path: str, meta, today: dt.date) -> list[ContentError]:
    """Return the freshness warnings of one file's figures, incentives and facts."""
    warnings = []
    for dotted, until in validity.ending(meta, EXPIRY_WARNING_DAYS, today):
        message = f"{dotted} ends on {until.isoformat()}: hidden from the next day"
        warnings.append(ContentError(path, 1, message))
    unchecked = 0
    for dotted, fig in _sourced(meta):
        if fig.period and dotted not in CENSUS_FIGURES:
            age = months_between(period_end(fig.period), today)
            if age > STALE_PERIOD_MONTHS:
                message = f"{dotted}: period {fig.period} is {age} months old"
                warnings.append(ContentError(path, 1, message))
        if fig.checked is None:
            unchecked += 1
        elif months_between(fig.checked, today) > STALE_CHECK_MONTHS:
            message = f"{dotted}: last checked on {fig.checked.isoformat()}, over a year ago"
            warnings.append(ContentError(path, 1, message))
    if unchecked:
        message = f"{unchecked} figure(s) carry no 'checked' date"
        warnings.append(ContentError(path, 1, message))
    return warnings


def freshness_warnings(store: ContentStore, today: dt.date | None = None) -> list[ContentError]:
    """Return every freshness warning of the countries and baselines (English files)."""
    today = today or validity.today()
    warnings = []
    for kind in KINDS:
        for slug in store.slugs(kind):
            entry = store.original(kind, slug)  # as written: an ending rule is reported
            if entry is not None:
                warnings += figure_warnings(entry.path, entry.meta, today)
    return warnings


@dataclass(frozen=True)
class SourcesReport:
    """How the figures of the countries and baselines are sourced."""

    total: int
    by_kind: dict
    recent: int
    with_period: int
    missing: list  # (path, dotted, reason)

    @property
    def primary_share(self) -> float:
        """Return the share of figures from the publisher itself (directly or via press)."""
        primary = sum(self.by_kind.get(kind, 0) for kind in PRIMARY_KINDS)
        return primary / self.total if self.total else 0.0

    @property
    def recent_share(self) -> float:
        """Return the share of dated figures whose period is 2024 or later."""
        return self.recent / self.with_period if self.with_period else 0.0


def sources_report(store: ContentStore) -> SourcesReport:
    """Count every sourced figure and fact by kind and period; list the missing ones."""
    kinds: Counter = Counter()
    total = recent = with_period = 0
    missing = []
    for kind in KINDS:
        for slug in store.slugs(kind):
            entry = store.get(kind, slug)
            if entry is None:
                continue
            items: list[Figure | Fact] = [fig for _, fig in _sourced(entry.meta)]
            items += [f for f in _facts(entry.meta) if f.text is not None]
            for item in items:
                total += 1
                kinds[item.kind or "unmarked"] += 1
                if item.period:
                    with_period += 1
                    recent += item.period >= RECENT_FROM
            for dotted, reason in missing_figure_reasons(entry.meta):
                missing.append((entry.path, dotted, reason))
            for dotted, fact in _named_facts(entry.meta):
                if fact.text is None:
                    missing.append((entry.path, dotted, fact.note or ""))
    return SourcesReport(total, dict(kinds), recent, with_period, missing)


def _named_facts(meta) -> list[tuple[str, Fact]]:
    risk = getattr(meta, "risk", None)
    if risk is None:
        return []
    return [(f"risk.{name}", getattr(risk, name)) for name in type(risk).model_fields]


def _facts(meta) -> list[Fact]:
    return [fact for _, fact in _named_facts(meta)]
