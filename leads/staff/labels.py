"""The label functions offered to every staff template."""

from __future__ import annotations

from leads.common.labels import (
    countries_label,
    country_label,
    hq_label,
    interest_label,
    purpose_label,
    scenario_label,
    source_label,
)
from leads.staff.blueprint import bp


@bp.context_processor
def labels():
    """Offer the label functions to every staff template."""
    return {
        "country_label": country_label,
        "countries_label": countries_label,
        "interest_label": interest_label,
        "source_label": source_label,
        "hq_label": hq_label,
        "purpose_label": purpose_label,
        "scenario_label": scenario_label,
    }
