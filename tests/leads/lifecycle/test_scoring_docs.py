"""The score table in docs/staff.md says what leads/scoring.py does, and uses the form's values."""

import re

from leads import choices
from leads.lifecycle import scoring
from tests.support.apps import ROOT

DOC = ROOT / "docs" / "staff.md"
BANDS = {
    "headcount": (scoring.HEADCOUNT_POINTS, choices.HEADCOUNT_BANDS),
    "investment": (scoring.INVESTMENT_POINTS, choices.INVESTMENT_BANDS),
    "timeline": (scoring.TIMELINE_POINTS, choices.TIMELINES),
    "project_type": (scoring.PROJECT_POINTS, choices.PROJECT_TYPES),
}


def doc_rows() -> list[tuple[str, str, str]]:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index("| rule | group | points |") + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(tuple(cell.strip() for cell in line.strip("|").split("|")))
    return rows


def test_the_documented_score_table_matches_the_rules(app):
    rows = doc_rows()
    assert len(rows) == len(scoring.RULES)
    for (label, group, points), rule in zip(rows, scoring.RULES, strict=True):
        assert str(rule.label).startswith(label), (label, rule.label)
        assert group == rule.group, label
        given = [int(n) for n in re.findall(r"(?::\s*|at most )(\d+)", points)]
        assert max(given) == rule.max_points, label
        if rule.name in BANDS:
            assert [n for n in given if n] == list(BANDS[rule.name][0].values()), label


def test_scored_answers_are_answers_the_forms_offer():
    for table, options in BANDS.values():
        assert set(table) <= set(choices.values(options))
    assert set(choices.values(choices.HEADCOUNT_BANDS)) >= scoring.HIGH_VALUE_HEADCOUNT
    assert set(choices.values(choices.INVESTMENT_BANDS)) >= scoring.HIGH_VALUE_INVESTMENT
    assert set(scoring.SERVED_SECTORS) <= set(choices.values(choices.INTERESTS))
