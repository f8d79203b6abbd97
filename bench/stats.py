"""Side-by-side measurement: run A and B interleaved (A, B, A, B, …), report the median ratio.

The machines are shared, so absolute figures swing between runs; a ratio measured in the same
round holds much better. Every comparison reports the median ratio and its spread (lowest and
highest round).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Ratio:
    """Ratios of one pair measured round by round."""

    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Return the median ratio (nan without rounds)."""
        return statistics.median(self.values) if self.values else float("nan")

    @property
    def spread(self) -> tuple[float, float]:
        """Return the lowest and highest ratio."""
        return (min(self.values), max(self.values)) if self.values else (float("nan"),) * 2

    def __str__(self) -> str:
        low, high = self.spread
        return f"{self.median:.2f} ({low:.2f}–{high:.2f})"


def interleave(runs: dict[str, Callable[[], dict]], rounds: int) -> list[dict[str, dict]]:
    """Call every run once per round in the given order; return each round's results."""
    results = []
    for number in range(rounds):
        row = {}
        for name, run in runs.items():
            row[name] = run()
            print(f"  round {number + 1}/{rounds} {name}: {_brief(row[name])}", flush=True)
        results.append(row)
    return results


def ratio(results: list[dict[str, dict]], a: str, b: str, metric: str) -> Ratio:
    """Return ``a[metric] / b[metric]`` per round."""
    return Ratio([row[a][metric] / row[b][metric] for row in results if row[b][metric]])


def median(results: list[dict[str, dict]], name: str, metric: str) -> float:
    """Return the median of one run's metric over the rounds."""
    return statistics.median(row[name][metric] for row in results)


def _brief(result: dict) -> str:
    return ", ".join(
        f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
        for k, v in result.items()
        if not isinstance(v, (list, dict, set))
    )
