"""Estimator inputs for tests: small, hand-checkable figures (not the published ones)."""

from __future__ import annotations

import copy


def wage(value, period="2025"):
    """Return a wage figure as the estimator reads it."""
    return {"value": value, "period": period}


INPUTS = {
    "serbia": {
        "slug": "serbia",
        "rate": 117.0,
        "wages": {"average_gross_wage": wage(117000.0), "average_gross_wage_ict": wage(234000.0)},
        "contributions": [{"rate": 15.15, "ceiling": None}],
        "months_paid": 12,
        "corporate_tax": 15.0,
    },
    "albania": {
        "slug": "albania",
        "rate": 100.0,
        "wages": {"average_gross_wage": wage(80000.0, "2024")},  # no NACE J wage
        "contributions": [{"rate": 15.0, "ceiling": 176416.0}, {"rate": 1.7, "ceiling": None}],
        "months_paid": 12,
        "corporate_tax": 15.0,
    },
    "kosovo": {
        "slug": "kosovo",
        "rate": 1.0,
        "wages": {"average_gross_wage": wage(None)},
        "contributions": [{"rate": 5.0, "ceiling": None}],
        "months_paid": None,
        "corporate_tax": 10.0,
    },
    "germany": {
        "slug": "germany",
        "rate": 1.0,
        "wages": {"average_gross_wage": wage(4500.0), "average_gross_wage_ict": wage(5000.0)},
        "contributions": [{"rate": 9.3, "ceiling": 8050.0}, {"rate": 8.55, "ceiling": 5512.5}],
        "months_paid": 12,
        "corporate_tax": 29.9,
    },
    "austria": {
        "slug": "austria",
        "rate": 1.0,
        "wages": {"average_gross_wage": wage(3800.0), "average_gross_wage_ict": wage(4800.0)},
        "contributions": [{"rate": 21.0, "ceiling": 6450.0}, {"rate": 8.0, "ceiling": None}],
        "months_paid": 14,
        "corporate_tax": 23.0,
    },
    "sweden": {
        "slug": "sweden",
        "rate": 11.5,
        "wages": {"average_gross_wage": wage(38000.0), "average_gross_wage_ict": wage(52000.0)},
        "contributions": [{"rate": 31.42, "ceiling": None}],
        "months_paid": 12,
        "corporate_tax": 20.6,
    },
}


def inputs(**changes):
    """Return a deep copy of the fixture inputs with some countries replaced."""
    data = copy.deepcopy(INPUTS)
    data.update(changes)
    return data
