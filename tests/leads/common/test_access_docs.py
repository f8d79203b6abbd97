"""docs/staff.md shows the access table exactly as ``leads/staff/access.py`` defines it."""

from leads.common.access import ENDPOINT_CAPABILITY, matrix_rows
from tests.support.apps import ROOT

DOC = ROOT / "docs" / "staff.md"


def lead_paths(app):
    paths: dict[str, list[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ENDPOINT_CAPABILITY:
            methods = "/".join(sorted(rule.methods - {"HEAD", "OPTIONS"}))
            paths.setdefault(rule.endpoint, []).append(f"{methods} {rule.rule}")
    return {endpoint: ", ".join(sorted(rules)) for endpoint, rules in paths.items()}


def test_the_documented_access_matrix_equals_the_code(app):
    text = DOC.read_text(encoding="utf-8")
    missing = [row for row in matrix_rows(lead_paths(app)) if row not in text]
    assert not missing, "update docs/staff.md:\n" + "\n".join(matrix_rows(lead_paths(app)))
