"""What a cost estimate request tells us about the lead: its band, sector and scenario.

The scenario is validated by the estimator's own form (``gateway.costs.form``) and stored with
the inquiry's answers under ``SCENARIO_KEY``; scoring and routing read the inquiry's headcount
band, sector and countries like those of every other inquiry.
"""

from __future__ import annotations

from gateway.costs import figures, method
from leads.choices import headcount_band_for

SCENARIO_KEY = "scenario"
# The estimate as first given (team cost per country and baseline, EUR), kept beside the
# scenario so the investor's plan can show it next to the estimate on today's figures.
ORIGINAL_KEY = "estimate_at_request"
# The sector an estimate's role mix stands for (leads.choices.INTERESTS values).
MIX_SECTORS = {"software": "ict", "bpo": "bpo", "finance": "bpo"}


def sector_of(scenario: dict) -> str:
    """Return the sector of a scenario: ICT, BPO, or both for a mixed team."""
    if scenario["mix"] in MIX_SECTORS:
        return MIX_SECTORS[scenario["mix"]]
    shares = scenario["shares"]
    software = shares.get("software", 0) > 0
    business = shares.get("service", 0) + shares.get("finance", 0) > 0
    return "both" if software and business else ("ict" if software else "bpo")


def inquiry_fields(scenario: dict) -> dict:
    """Return the inquiry columns a scenario fills (what scoring reads)."""
    return {"sector": sector_of(scenario), "headcount_band": headcount_band_for(scenario["team"])}


def stored_scenario(inquiry) -> dict | None:
    """Return the scenario an estimate inquiry carries, or None (another kind, or erased)."""
    scenario = (inquiry.answers or {}).get(SCENARIO_KEY)
    if not isinstance(scenario, dict) or "team" not in scenario:
        return None
    return method.scenario(
        int(scenario["team"]),
        scenario.get("mix", "software"),
        list(scenario.get("countries") or ()),
        scenario.get("shares"),
        scenario.get("factors"),
        scenario.get("overhead") or figures.overhead_values(),
        scenario.get("fallback") is True,
    )


def original_of(result: dict) -> dict:
    """Return what to keep of an estimate as first given: the team cost of each row (EUR)."""
    rows = [*result["countries"], *result["baselines"]]
    return {"team_cost": {row["slug"]: row["team_cost"] for row in rows if row.get("ok")}}
