"""Scoring: explainable points per rule, high-value flags, suggested stages, rescoring."""

from hypothesis import given
from hypothesis import strategies as st

from core.extensions import db
from leads.choices import HEADCOUNT_BANDS, INVESTMENT_BANDS, PROJECT_TYPES, TIMELINES, values
from leads.lifecycle import scoring
from leads.lifecycle.scoring import LeadFacts, score_lead
from leads.lifecycle.stages import Stage
from leads.models import Inquiry, Lead

STRONG = LeadFacts(
    headcount_band="250+",
    investment_band="5m+",
    timeline="0-6m",
    project_type="delivery_centre",
    sector="ict",
    job_title="Chief Operating Officer",
    hq_country="DE",
    inquiry_kinds=("inquiry", "meeting", "report"),
)


def test_a_strong_lead_scores_every_rule_and_explains_each_one():
    score = score_lead(STRONG)
    points = {line.rule: line.points for line in score.breakdown}
    assert points == {
        "headcount": 25,
        "investment": 25,
        "timeline": 15,
        "project_type": 15,
        "sector": 10,
        "decision_maker": 10,
        "eu_headquarters": 10,
        "meeting": 15,
        "repeat": 5,
        "report": 5,
    }
    assert score.total == sum(points.values()) == 135
    reasons = {line.rule: line.reason for line in score.breakdown}
    assert reasons["headcount"] == "headcount: 250+"
    assert reasons["eu_headquarters"] == "headquarters: DE"


def test_an_empty_lead_scores_nothing_and_suggests_nothing():
    score = score_lead(LeadFacts())
    assert score.total == 0
    assert score.breakdown == ()
    assert not score.high_value
    assert score.suggested_stage is None


def test_unknown_answers_and_non_eu_headquarters_give_no_points():
    facts = LeadFacts(
        headcount_band="unknown",
        investment_band="unknown",
        timeline="exploring",
        project_type="other",
        sector="unsure",
        job_title="Intern",
        hq_country="US",
    )
    assert score_lead(facts).total == 0


def test_high_value_means_fifty_jobs_or_a_million_euros():
    assert score_lead(LeadFacts(headcount_band="50-249")).high_value
    assert score_lead(LeadFacts(investment_band="1m-5m")).high_value
    assert not score_lead(LeadFacts(headcount_band="10-49", investment_band="250k-1m")).high_value
    assert score_lead(STRONG).high_value_reasons == ("50+ jobs (250+)", "EUR 1m+ (5m+)")


def test_the_suggested_stage_follows_the_threshold_and_never_goes_back():
    assert score_lead(STRONG, Stage.NEW).suggested_stage == Stage.QUALIFIED
    assert score_lead(STRONG, Stage.CONTACTED).suggested_stage == Stage.QUALIFIED
    assert score_lead(STRONG, Stage.MEETING).suggested_stage is None
    assert score_lead(STRONG, Stage.LOST).suggested_stage is None
    weak = LeadFacts(headcount_band="1-9", timeline="12m+")
    assert score_lead(weak, Stage.NEW).suggested_stage is None


def test_repeat_inquiries_add_points_up_to_a_cap():
    def repeat(kinds):
        lines = score_lead(LeadFacts(inquiry_kinds=kinds)).breakdown
        return next((line.points for line in lines if line.rule == "repeat"), 0)

    assert repeat(("inquiry",)) == 0
    assert repeat(("inquiry", "inquiry")) == 5
    assert repeat(("inquiry",) * 5) == 10


def test_decision_maker_titles_in_english_and_german():
    for title in ("CEO", "Managing Director", "Head of Delivery", "Geschäftsführer", "VP IT"):
        assert score_lead(LeadFacts(job_title=title)).total == 10, title
    assert score_lead(LeadFacts(job_title="Software Developer")).total == 0


@given(
    headcount=st.sampled_from([*values(HEADCOUNT_BANDS), ""]),
    investment=st.sampled_from([*values(INVESTMENT_BANDS), ""]),
    timeline=st.sampled_from([*values(TIMELINES), ""]),
    project=st.sampled_from([*values(PROJECT_TYPES), ""]),
    kinds=st.lists(st.sampled_from(["inquiry", "meeting", "report"]), max_size=6),
)
def test_every_rule_stays_within_its_maximum(headcount, investment, timeline, project, kinds):
    facts = LeadFacts(
        headcount_band=headcount,
        investment_band=investment,
        timeline=timeline,
        project_type=project,
        inquiry_kinds=tuple(kinds),
    )
    score = score_lead(facts)
    maxima = {rule.name: rule.max_points for rule in scoring.RULES}
    assert all(0 < line.points <= maxima[line.rule] for line in score.breakdown)
    assert score.total == sum(line.points for line in score.breakdown)
    assert score.total <= sum(maxima.values())


def test_rule_names_are_unique():
    names = [rule.name for rule in scoring.RULES]
    assert len(names) == len(set(names))


def test_facts_take_the_latest_known_answer(app, make_lead):
    lead = make_lead(inquiry={"headcount_band": "10-49", "investment_band": "5m+"})
    lead.inquiries.append(Inquiry(kind="meeting", headcount_band="250+", investment_band="unknown"))
    db.session.commit()
    facts = scoring.facts_for(lead)
    assert facts.headcount_band == "250+"
    assert facts.investment_band == "5m+"  # "unknown" does not erase a known answer
    assert facts.inquiry_kinds == ("inquiry", "meeting")


def test_rescore_command_updates_stored_scores(app, runner, make_lead):
    lead = make_lead(inquiry={"headcount_band": "250+"})
    assert lead.score == 0
    result = runner.invoke(args=["leads", "rescore"])
    assert result.exit_code == 0, result.output
    assert "1 lead(s) scored, 1 changed" in result.output
    db.session.expire_all()
    stored = db.session.get(Lead, lead.id)
    assert stored.score == scoring.score_lead(scoring.facts_for(stored)).total > 0
    assert stored.high_value
