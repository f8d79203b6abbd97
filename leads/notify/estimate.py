"""The estimate mail's content: the stored scenario, estimated with today's figures."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app

from gateway.content.figures import format_figure, format_number
from gateway.costs import figures, method, present
from gateway.costs.form import MIX_LABELS, ROLE_LABELS, query_of
from leads.capture.estimate import stored_scenario


def context(inquiry, lang: str) -> dict | None:
    """Return what the estimate mail shows: scenario, rows, savings, sources and the page link.

    None when the inquiry carries no scenario (nothing can be estimated).
    """
    scenario = stored_scenario(inquiry)
    if scenario is None:
        return None
    inputs = figures.inputs_by_slug()
    result = method.estimate(inputs, scenario)
    prefix = "" if lang == "en" else f"{lang}/"
    link = f"{current_app.config['SITE_URL']}/{prefix}costs/?{urlencode(query_of(scenario))}"
    shown = [*scenario["countries"], *method.BASELINES]
    return {
        "scenario": scenario,
        "mix": MIX_LABELS[scenario["mix"]],
        "roles": [
            (
                ROLE_LABELS[role],
                format_number(scenario["shares"][role], lang),
                format_number(scenario["factors"][role], lang),
            )
            for role in method.ROLES
            if scenario["shares"][role] > 0
        ],
        "rows": present.rows(result, inputs, lang),
        "result": result,
        "sources": [
            (present.country_label(slug, lang), figures.source_rows(slug, lang)) for slug in shown
        ],
        "link": link,
        "figure_text": lambda figure: format_figure(figure, lang),
    }
