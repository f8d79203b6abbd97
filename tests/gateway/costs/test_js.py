"""One method: the frozen page's script computes what the Python computes, on a grid."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from core.countries import COUNTRY_SLUGS
from gateway.costs import method
from tests.support.apps import ROOT
from tests.support.costs_fixtures import INPUTS, inputs

RUNNER = ROOT / "tests" / "js" / "costs_grid.js"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")

TEAMS = (5, 13, 50, 199, 200, 500)
MIXES = (
    ("software", None),
    ("bpo", None),
    ("finance", None),
    ("custom", {"software": 60, "service": 30, "finance": 10}),
    ("custom", {"software": 0, "service": 33, "finance": 67}),
)
FACTORS = (None, {"software": 1.35, "service": 0.8, "finance": 2.5})
COUNTRY_SETS = (("serbia",), ("serbia", "albania", "kosovo"), ("albania", "unknown"))


def grid() -> list[dict]:
    return [
        {"team": team, "mix": mix, "shares": shares, "factors": factors, "countries": list(c)}
        for team, (mix, shares), factors, c in itertools.product(
            TEAMS, MIXES, FACTORS, COUNTRY_SETS
        )
    ]


def run_node(tmp_path: Path, data: dict, scenarios: list[dict]) -> list[dict]:
    path = tmp_path / "grid.json"
    path.write_text(json.dumps({"inputs": data, "scenarios": scenarios}))
    done = subprocess.run(
        [NODE, str(RUNNER), str(path)], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(done.stdout)


def run_script(script: str) -> str:
    """Run ``script`` with Node.js, the page's script as its first argument; return stdout."""
    done = subprocess.run(
        [NODE, "-e", script, str(ROOT / "static" / "js" / "costs.js")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout


def python(data: dict, scenarios: list[dict]) -> list[dict]:
    return [
        method.estimate(
            data,
            method.scenario(s["team"], s["mix"], s["countries"], s["shares"], s["factors"]),
        )
        for s in scenarios
    ]


def test_python_and_javascript_agree_on_the_grid(tmp_path):
    scenarios = grid()
    assert len(scenarios) == 180
    assert run_node(tmp_path, INPUTS, scenarios) == python(INPUTS, scenarios)


def test_they_agree_where_figures_are_missing_or_capped(tmp_path):
    capped = {**INPUTS["germany"], "contributions": [{"rate": 20.0, "ceiling": 4000.0}]}
    yearly = {
        **INPUTS["austria"],
        "wages": {"average_gross_wage": {"value": 4100.5, "period": "2024", "months": 12}},
        "months_paid": None,
    }
    data = inputs(germany=capped, austria=yearly, sweden={"slug": "sweden", "rate": None})
    scenarios = grid()[:30]
    assert run_node(tmp_path, data, scenarios) == python(data, scenarios)


def test_they_agree_on_the_published_figures(app, tmp_path):
    from gateway.costs import figures

    with app.app_context():
        data = figures.inputs_by_slug()
    scenarios = [{**s, "countries": list(COUNTRY_SLUGS)} for s in grid()[::7]]
    assert run_node(tmp_path, data, scenarios) == python(data, scenarios)


def test_the_script_names_the_method_constants_as_the_python_does():
    script = "process.stdout.write(JSON.stringify(require(process.argv[1]).constants))"
    constants = json.loads(run_script(script))
    assert constants == {
        "ROLES": list(method.ROLES),
        "ROLE_WAGES": {role: list(keys) for role, keys in method.ROLE_WAGES.items()},
        "ROLE_MIXES": method.ROLE_MIXES,
        "CUSTOM": method.CUSTOM,
        "DEFAULT_FACTOR": method.DEFAULT_FACTOR,
        "COST_STEP": method.COST_STEP,
        "PERSON_STEP": method.PERSON_STEP,
        "PERCENT_STEP": method.PERCENT_STEP,
        "BASELINES": list(method.BASELINES),
        "MISSING": [
            method.MISSING_WAGE,
            method.MISSING_MONTHS,
            method.MISSING_CONTRIBUTIONS,
            method.MISSING_RATE,
        ],
    }


FORMAT_VALUES = (0, 605000, 1926000, 38520.42, -1200)
FORMAT_PERCENTS = (0, 49, 84, 15.82)


def test_the_script_formats_amounts_and_percentages_as_the_site_does():
    """The frozen page's figures read as the live page's: CLDR formats in en, de and sv."""
    from core import formatting

    script = (
        "const m = require(process.argv[1]); const out = {};"
        "for (const lang of ['en', 'de', 'sv']) out[lang] = {"
        f"money: {list(FORMAT_VALUES)}.map(v => m.money(v, lang)),"
        f"percent: {list(FORMAT_PERCENTS)}.map(v => m.percent(v, lang))}};"
        "console.log(JSON.stringify(out));"
    )
    shown = json.loads(run_script(script))
    for lang in ("en", "de", "sv"):
        assert shown[lang]["money"] == [formatting.amount(v, "EUR", lang) for v in FORMAT_VALUES], (
            lang
        )
        assert shown[lang]["percent"] == [formatting.percent(v, lang) for v in FORMAT_PERCENTS]
    assert shown["de"]["money"][1] == "605.000\u00a0€"
