"""Read Lighthouse JSON reports and format their four category scores."""

from __future__ import annotations

import json
from pathlib import Path

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TITLES = {
    "performance": "Performance",
    "accessibility": "Accessibility",
    "best-practices": "Best practices",
    "seo": "SEO",
}


def read_scores(report: dict) -> dict[str, int | None]:
    """Return the category scores of a Lighthouse report as 0-100 (None if not measured)."""
    scores = {}
    for key in CATEGORIES:
        score = report.get("categories", {}).get(key, {}).get("score")
        scores[key] = None if score is None else round(score * 100)
    return scores


def shortfalls(report: dict, limit: int = 8) -> list[str]:
    """Return the audits that cost points, per category, most weighty first."""
    audits = report.get("audits", {})
    lines = []
    for key in CATEGORIES:
        category = report.get("categories", {}).get(key, {})
        refs = sorted(category.get("auditRefs", []), key=lambda r: -r.get("weight", 0))
        for ref in refs:
            audit = audits.get(ref["id"], {})
            score = audit.get("score")
            if ref.get("weight", 0) > 0 and score is not None and score < 1:
                value = audit.get("displayValue", "")
                lines.append(f"{TITLES[key]}: {audit.get('title', ref['id'])} {value}".strip())
    return lines[:limit]


def format_table(rows: list[tuple[str, dict[str, int | None]]]) -> str:
    """Format scores as a Markdown table: one row per page, one column per category."""
    header = "| page | " + " | ".join(TITLES[c] for c in CATEGORIES) + " |"
    rule = "|---|" + "---:|" * len(CATEGORIES)
    body = [
        f"| {name} | " + " | ".join("–" if s[c] is None else str(s[c]) for c in CATEGORIES) + " |"
        for name, s in rows
    ]
    return "\n".join([header, rule, *body])


def main(paths: list[str]) -> None:
    """Print the score table of Lighthouse JSON files given on the command line."""
    rows = []
    for path in paths:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
        rows.append((report.get("finalDisplayedUrl", path), read_scores(report)))
    print(format_table(rows))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
