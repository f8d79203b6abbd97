"""Lead scoring: the one table of score rules, and a pure function that explains its total.

Every rule reads a :class:`LeadFacts` (built from a lead and its inquiries) and either gives
points with a reason or stays silent. ``score_lead`` adds the points up, flags high-value
projects and suggests a stage once the total passes a threshold. Change a rule here, then run
``flask leads rescore``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from leads.lifecycle.stages import PIPELINE, Stage

# EU member states (ISO 3166-1 alpha-2) for the "EU headquarters" rule.
# fmt: off
EU_COUNTRIES = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
})
# fmt: on
# Job titles of people who decide on a location (English and German, the main source markets).
DECISION_MAKER = re.compile(
    r"\b(ceo|cto|coo|cfo|cio|chief|founder|co-founder|owner|president|partner|"
    r"managing director|director|head of|vp|vice president|geschäftsführer|vorstand|"
    r"inhaber|leiter|verkställande direktör|vd)\b",
    re.IGNORECASE,
)
SERVED_SECTORS = ("ict", "bpo", "both")


@dataclass(frozen=True)
class LeadFacts:
    """What scoring looks at: the latest answer to each question and the lead's activity."""

    headcount_band: str = ""
    investment_band: str = ""
    timeline: str = ""
    project_type: str = ""
    sector: str = ""
    job_title: str = ""
    hq_country: str = ""
    inquiry_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A score rule: a name, its group (fit or engagement) and how many points it gives."""

    name: str
    group: str
    label: object
    points: Callable[[LeadFacts], tuple[int, str] | None]
    max_points: int


@dataclass(frozen=True)
class Line:
    """One line of a score breakdown: which rule gave how many points, and why."""

    rule: str
    group: str
    label: object
    points: int
    reason: str


@dataclass(frozen=True)
class Score:
    """A lead's total score, how it was reached, its high-value flags and a suggested stage."""

    total: int
    breakdown: tuple[Line, ...]
    high_value: bool
    high_value_reasons: tuple[str, ...] = field(default=())
    suggested_stage: Stage | None = None


def _band(table: dict[str, int], attribute: str, what: str) -> Callable:
    def rule(facts: LeadFacts) -> tuple[int, str] | None:
        value = getattr(facts, attribute)
        if table.get(value):
            return table[value], f"{what}: {value}"
        return None

    return rule


def _sector(facts: LeadFacts) -> tuple[int, str] | None:
    if facts.sector in SERVED_SECTORS:
        return 10, f"sector: {facts.sector} (served by the region)"
    return None


def _decision_maker(facts: LeadFacts) -> tuple[int, str] | None:
    if facts.job_title and DECISION_MAKER.search(facts.job_title):
        return 10, f"job title: {facts.job_title}"
    return None


def _eu_headquarters(facts: LeadFacts) -> tuple[int, str] | None:
    if facts.hq_country.upper() in EU_COUNTRIES:
        return 10, f"headquarters: {facts.hq_country.upper()}"
    return None


def _meeting(facts: LeadFacts) -> tuple[int, str] | None:
    if "meeting" in facts.inquiry_kinds:
        return 15, "asked for a meeting"
    return None


def _repeat(facts: LeadFacts) -> tuple[int, str] | None:
    asks = sum(1 for kind in facts.inquiry_kinds if kind in ("inquiry", "meeting"))
    if asks >= 2:
        return min(5 * (asks - 1), 10), f"{asks} inquiries"
    return None


def _introduction(facts: LeadFacts) -> tuple[int, str] | None:
    if "introduction" in facts.inquiry_kinds:
        return 15, "asked for an introduction to partners"
    return None


def _report(facts: LeadFacts) -> tuple[int, str] | None:
    if "report" in facts.inquiry_kinds:
        return 5, "downloaded the regional report"
    return None


HEADCOUNT_POINTS = {"1-9": 3, "10-49": 10, "50-249": 20, "250+": 25}
INVESTMENT_POINTS = {"lt-250k": 3, "250k-1m": 10, "1m-5m": 20, "5m+": 25}
TIMELINE_POINTS = {"0-6m": 15, "6-12m": 10, "12m+": 4}
PROJECT_POINTS = {"delivery_centre": 15, "acquisition_jv": 15, "rnd": 12, "outsourcing_partner": 8}

RULES: tuple[Rule, ...] = (
    Rule("headcount", "fit", _l("Planned headcount"),
         _band(HEADCOUNT_POINTS, "headcount_band", "headcount"), 25),
    Rule("investment", "fit", _l("Planned investment"),
         _band(INVESTMENT_POINTS, "investment_band", "investment"), 25),
    Rule("timeline", "fit", _l("Timeline"), _band(TIMELINE_POINTS, "timeline", "timeline"), 15),
    Rule("project_type", "fit", _l("Project type"),
         _band(PROJECT_POINTS, "project_type", "project"), 15),
    Rule("sector", "fit", _l("Sector match (ICT or BPO)"), _sector, 10),
    Rule("decision_maker", "fit", _l("Decision-making job title"), _decision_maker, 10),
    Rule("eu_headquarters", "fit", _l("Headquarters in the EU"), _eu_headquarters, 10),
    Rule("meeting", "engagement", _l("Meeting request"), _meeting, 15),
    Rule("repeat", "engagement", _l("Repeat inquiries"), _repeat, 10),
    Rule("introduction", "engagement", _l("Introduction request"), _introduction, 15),
    Rule("report", "engagement", _l("Report download"), _report, 5),
)  # fmt: skip

# High value: 50+ jobs or EUR 1 million+.
HIGH_VALUE_HEADCOUNT = frozenset({"50-249", "250+"})
HIGH_VALUE_INVESTMENT = frozenset({"1m-5m", "5m+"})
# Suggested stage once the total reaches a threshold (highest first).
STAGE_THRESHOLDS: tuple[tuple[int, Stage], ...] = ((60, Stage.QUALIFIED),)


def score_lead(facts: LeadFacts, current_stage: str = Stage.NEW) -> Score:
    """Score a lead's facts: total, breakdown, high-value flags and a suggested stage."""
    lines = []
    for rule in RULES:
        result = rule.points(facts)
        if result:
            points, reason = result
            lines.append(Line(rule.name, rule.group, rule.label, points, reason))
    total = sum(line.points for line in lines)
    reasons = []
    if facts.headcount_band in HIGH_VALUE_HEADCOUNT:
        reasons.append(f"50+ jobs ({facts.headcount_band})")
    if facts.investment_band in HIGH_VALUE_INVESTMENT:
        reasons.append(f"EUR 1m+ ({facts.investment_band})")
    return Score(
        total=total,
        breakdown=tuple(lines),
        high_value=bool(reasons),
        high_value_reasons=tuple(reasons),
        suggested_stage=suggest_stage(total, current_stage),
    )


def suggest_stage(total: int, current_stage: str) -> Stage | None:
    """Suggest a later pipeline stage when the total reaches its threshold, else None."""
    if current_stage not in PIPELINE:
        return None  # closed (lost or disqualified): no suggestion
    position = PIPELINE.index(Stage(current_stage))
    for threshold, stage in STAGE_THRESHOLDS:
        if total >= threshold:
            return stage if PIPELINE.index(stage) > position else None
    return None


def facts_for(lead) -> LeadFacts:
    """Build the scoring facts of a lead: the latest non-empty answer to each question."""
    inquiries = list(lead.inquiries)  # oldest first (the relationship's order), new ones last

    def latest(attribute: str) -> str:
        for inquiry in reversed(inquiries):
            value = getattr(inquiry, attribute) or ""
            if value and value != "unknown":
                return value
        return ""

    return LeadFacts(
        headcount_band=latest("headcount_band"),
        investment_band=latest("investment_band"),
        timeline=latest("timeline"),
        project_type=latest("project_type"),
        sector=latest("sector") or lead.interest or "",
        job_title=lead.job_title or "",
        hq_country=lead.hq_country or "",
        inquiry_kinds=tuple(i.kind for i in inquiries),
    )


def apply_score(lead) -> Score:
    """Score a lead and store its total and high-value flag on it (the caller commits)."""
    score = score_lead(facts_for(lead), lead.stage or Stage.NEW)
    lead.score = score.total
    lead.high_value = score.high_value
    return score
