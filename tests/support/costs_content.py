"""A copy of the real content with small, hand-checkable estimator figures written into it."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.support.apps import ROOT


def money(value, currency, period="2025"):
    return {
        "value": value,
        "unit": "money_per_month",
        "currency": currency,
        "source": "Test statistics office, test release",
        "period": period,
        "url": "https://stats.example.org/wages",
    }


def percent(value, period="2025"):
    return {"value": value, "unit": "percent", "source": "Test tax office", "period": period}


FIGURES = {
    "countries/serbia.md": {
        "labour": {
            "average_gross_wage": money(117000, "RSD"),
            "average_gross_wage_ict": money(234000, "RSD"),
            "employer_contributions": percent(15.15),
            "months_paid": {
                "value": 12,
                "unit": "months",
                "source": "Labour Law",
                "period": "2025",
            },
        },
        "tax": {"corporate_income_tax": percent(15)},
        "exchange_rate": {
            "value": 117,
            "unit": "currency_per_eur",
            "currency": "RSD",
            "source": "National Bank of Serbia, middle rate",
            "period": "2025-06-30",
        },
    },
    "baselines/germany.md": {
        "labour": {
            "average_gross_wage": money(4500, "EUR"),
            "average_gross_wage_ict": money(5000, "EUR"),
            "employer_contributions": percent(17.85),
            "months_paid": {"value": 12, "unit": "months", "source": "Destatis", "period": "2025"},
        },
        "tax": {"corporate_income_tax": percent(29.9)},
    },
}


def write_front_matter(path: Path, changes: dict) -> None:
    """Merge ``changes`` into a Markdown file's front matter."""
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(head) or {}
    meta.update(changes)
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{text}---\n{body}", encoding="utf-8")


def content_with_figures(tmp_path: Path, figures: dict | None = None) -> Path:
    """Return a content folder: the real one with the test figures written in."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for name, changes in (FIGURES if figures is None else figures).items():
        write_front_matter(content / name, changes)
    return content
