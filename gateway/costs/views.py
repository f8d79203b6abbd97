"""The estimator's pages: ``/costs/`` (live: any scenario from GET parameters) and its data file."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _

from core import formatting
from core.charts import bar_chart
from core.countries import COUNTRY_SLUGS
from core.i18n import current_lang, localized_route
from gateway.costs import figures, method, present
from gateway.costs.form import (
    MIX_LABELS,
    RENT_SLUGS,
    ROLE_LABELS,
    chosen_countries,
    costs_form,
    country_choices,
    default_scenario,
    query_of,
    rent_field,
)

bp = Blueprint("costs", __name__, template_folder="templates")


def chart(rows: list, title: str, uid: str):
    """Return the bar chart of the team's yearly cost per country and baseline."""
    return bar_chart([(r.name, r.value, r.team_cost) for r in rows], title=title, uid=uid)


def standard_table(inputs: dict, lang: str) -> dict:
    """Return the pre-rendered standard scenarios: headings and one row per country."""
    scenarios = present.standard_scenarios(list(COUNTRY_SLUGS), figures.overhead_values())
    results = [method.estimate(inputs, s) for s in scenarios]
    by_scenario = [{r.slug: r for r in present.rows(result, inputs, lang)} for result in results]
    slugs = [*COUNTRY_SLUGS, *method.BASELINES]
    return {
        "scenarios": scenarios,
        "rows": [
            (present.country_label(slug, lang), [rows[slug] for rows in by_scenario])
            for slug in slugs
        ],
        "periods_differ": any(r["periods_differ"] for r in results),
    }


@localized_route(bp, "/costs/")
def page():
    """Estimate the yearly cost of a team in the chosen countries against the baselines."""
    lang = current_lang()
    form, valid = costs_form(request.args, country_choices(lang))
    inputs = figures.inputs_by_slug()
    scenario = form.scenario() if valid and request.args else default_scenario()
    result = method.estimate(inputs, scenario) if valid else None
    rows = present.rows(result, inputs, lang) if result else []
    # The estimate link names countries only if the investor chose some (not all six, the default).
    query = urlencode(query_of(scenario, countries=chosen_countries(scenario)))
    leads_url = current_app.config["LEADS_URL"]
    return render_template(
        "costs/page.html",
        form=form,
        scenario=scenario,
        result=result,
        rows=rows,
        chart=chart(rows, _chart_title(scenario), "costs") if rows else None,
        standard=standard_table(inputs, lang),
        sources={slug: figures.source_rows(slug, lang) for slug in figures.all_slugs()},
        overhead=figures.overhead_defaults(lang),
        rents=[(slug, rent_field(form, slug), inputs[slug].get("rent")) for slug in RENT_SLUGS],
        names={slug: present.country_label(slug, lang) for slug in figures.all_slugs()},
        mix_labels=MIX_LABELS,
        role_labels=ROLE_LABELS,
        estimate_url=f"{leads_url}/{'' if lang == 'en' else lang + '/'}costs/estimate/?{query}",
        live_url=f"{leads_url}/{'' if lang == 'en' else lang + '/'}costs/",
        method=method,
    )


def _periods(inputs: dict) -> set[str]:
    """Return every period a figure of the inputs describes (as written in the content)."""
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("period"), str):
                found.add(node["period"])
            for value in node.values():
                walk(value)

    walk(inputs)
    return found


def _chart_title(scenario: dict) -> str:
    return _(
        "Yearly employer cost of %(team)d people (%(mix)s), EUR",
        team=scenario["team"],
        mix=MIX_LABELS.get(scenario["mix"], scenario["mix"]),
    )


@localized_route(bp, "/costs/data.json")
def data():
    """Return the figures and labels the frozen page's script computes with."""
    lang = current_lang()
    body = json.dumps(data_file(lang), ensure_ascii=False, sort_keys=True, indent=1)
    return current_app.response_class(body, mimetype="application/json")


def data_file(lang: str) -> dict:
    """Return the data file's content: the method's inputs and the page's words in ``lang``."""
    inputs = figures.inputs_by_slug()
    return {
        "inputs": inputs,
        "names": {slug: present.country_label(slug, lang) for slug in figures.all_slugs()},
        "taxes": {
            slug: present.percent(inputs[slug].get("corporate_tax"), lang) for slug in inputs
        },
        "missing": {key: str(label) for key, label in present.MISSING_LABELS.items()},
        "basis": {slug: present.basis_texts(inputs[slug], lang) for slug in inputs},
        "roles": {role: str(label) for role, label in ROLE_LABELS.items()},
        "overhead": figures.overhead_values(),
        "rent_slugs": list(RENT_SLUGS),
        "mixes": {key: str(label) for key, label in MIX_LABELS.items()},
        "format": {"lang": lang},
        "periods": {period: formatting.period(period, lang) for period in _periods(inputs)},
        "countries": list(COUNTRY_SLUGS),
        "limits": {
            "team": [method.TEAM_MIN, method.TEAM_MAX],
            "factor": [method.FACTOR_MIN, method.FACTOR_MAX],
            **{name: list(limits) for name, limits in method.OVERHEAD_LIMITS.items()},
            "rent": list(method.RENT_LIMITS),
        },
        "text": {
            "missing": _("Cannot be estimated: there is no sourced figure for %(what)s."),
            "scenario": _("%(team)d people, %(mix)s."),
            "baseline": _("comparison country"),
            "mix": _("Choose one of the role mixes shown."),
            "chart": _("Yearly employer cost of %(team)d people (%(mix)s), EUR"),
            "team": _("Enter a team size from %(min)d to %(max)d people.")
            % {"min": method.TEAM_MIN, "max": method.TEAM_MAX},
            "shares": _(
                "The shares of your own split must add up to 100 per cent (now %(total)d)."
            ),
            "countries": _("Choose at least one country."),
            "factor": _("Enter a factor from %(min)s to %(max)s (1 is the published average).")
            % {"min": method.FACTOR_MIN, "max": method.FACTOR_MAX},
            "periods": _(
                "The countries' figures describe different periods (%(periods)s): "
                "compare with care."
            ),
            "number": _("Enter a number from %(min)s to %(max)s."),
            "fallback": _("all-sector average: no figure for the activity"),
            "pension": _("plus %(amount)s typical collective-agreement pension (not statutory)"),
            "range": _("%(low)s to %(high)s"),
            "no_rent": _("no sourced office rent: enter one below"),
        },
    }
