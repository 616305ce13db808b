"""The outcome of reviewers' answers under a version's rules: worked examples, then properties
that hold for any criteria and answers."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hw4all.practices.outcomes import CORE, EXCLUSION, QUALIFIER, CriterionSpec, Result, outcome

RELEVANCE = CriterionSpec("relevance", EXCLUSION)
ETHICS = CriterionSpec("ethics", EXCLUSION)
EFFECTIVENESS = CriterionSpec("effectiveness", CORE, scale_max=4, weight=2)
EQUITY = CriterionSpec("equity", CORE, scale_max=4, weight=1)
TRANSFERABILITY = CriterionSpec("transferability", QUALIFIER, scale_max=4)
SUSTAINABILITY = CriterionSpec("sustainability", QUALIFIER, scale_max=5)
CRITERIA = [RELEVANCE, ETHICS, EFFECTIVENESS, EQUITY, TRANSFERABILITY, SUSTAINABILITY]


def answers(exclusion=True, effectiveness=4, equity=4, transferability=4, sustainability=5):
    return {
        "relevance": exclusion,
        "ethics": True,
        "effectiveness": effectiveness,
        "equity": equity,
        "transferability": transferability,
        "sustainability": sustainability,
    }


def test_weighted_percentages_and_means():
    result = outcome(
        CRITERIA,
        {
            "ana": answers(effectiveness=4, equity=0, transferability=2, sustainability=5),
            "ben": answers(effectiveness=2, equity=2, transferability=2, sustainability=0),
        },
    )
    # Effectiveness 3/4 with weight 2, equity 1/4 with weight 1: (1.5 + 0.25) / 3.
    assert result.core_percent == pytest.approx(100 * 1.75 / 3)
    # Transferability 2/4, sustainability 2.5/5: both one half.
    assert result.qualifier_percent == pytest.approx(50)
    means = {criterion.key: criterion.mean for criterion in result.criteria}
    assert means["effectiveness"] == 3 and means["equity"] == 1 and means["relevance"] == 1
    assert result.exclusions_passed
    assert result.result is Result.CASE_STUDY
    assert result.label == "Case study"


def test_the_thresholds_are_reached_at_equality():
    # One reviewer, scales of 5: a score of 3 is exactly 60 %.
    criteria = [
        CriterionSpec("e", EXCLUSION),
        CriterionSpec("c", CORE, scale_max=5),
        CriterionSpec("q", QUALIFIER, scale_max=5),
    ]
    assert outcome(criteria, {"r": {"e": True, "c": 3, "q": 2}}).result is Result.PROMISING_PRACTICE
    assert outcome(criteria, {"r": {"e": True, "c": 3, "q": 3}}).result is Result.BEST_PRACTICE
    assert outcome(criteria, {"r": {"e": True, "c": 2, "q": 5}}).result is Result.CASE_STUDY
    strict = outcome(criteria, {"r": {"e": True, "c": 4, "q": 4}}, core_threshold_percent=90)
    assert strict.result is Result.CASE_STUDY


def test_an_exclusion_passes_on_a_strict_majority():
    two_of_three = {"a": answers(), "b": answers(), "c": answers(exclusion=False)}
    assert outcome(CRITERIA, two_of_three).result is Result.BEST_PRACTICE
    tie = {"a": answers(), "b": answers(exclusion=False)}
    result = outcome(CRITERIA, tie)
    assert result.result is Result.NOT_ELIGIBLE
    assert [c.passed for c in result.criteria if c.group == EXCLUSION] == [False, True]


def test_unanswered_criteria_count_against_the_case():
    # Nobody answered the exclusion criterion "ethics": not eligible.
    scores = {"a": {"relevance": True, "effectiveness": 4, "equity": 4}}
    result = outcome(CRITERIA, scores)
    assert result.result is Result.NOT_ELIGIBLE
    # Nobody scored the qualifiers: they count as 0.
    assert result.qualifier_percent == 0
    assert next(c for c in result.criteria if c.key == "transferability").mean is None


def test_no_reviewers_is_not_eligible():
    assert outcome(CRITERIA, {}).result is Result.NOT_ELIGIBLE


@pytest.mark.parametrize(
    "scores",
    [
        {"a": {"unknown": 1}},
        {"a": {"effectiveness": 5}},
        {"a": {"effectiveness": -1}},
        {"a": {"effectiveness": True}},
        {"a": {"relevance": 1}},
    ],
)
def test_wrong_answers_are_refused(scores):
    with pytest.raises(ValueError):
        outcome(CRITERIA, scores)


def test_bad_criteria_are_refused():
    with pytest.raises(ValueError):
        CriterionSpec("x", "other")
    with pytest.raises(ValueError):
        CriterionSpec("x", CORE, scale_max=0)
    with pytest.raises(ValueError):
        CriterionSpec("x", CORE, weight=0)
    with pytest.raises(ValueError):
        outcome([EQUITY, EQUITY], {})


# Properties ---------------------------------------------------------------------------------


@st.composite
def criteria_lists(draw, min_qualifiers=0, min_exclusions=0):
    specs = []
    groups = (
        [EXCLUSION] * draw(st.integers(min_exclusions, 3))
        + [CORE] * draw(st.integers(1, 3))
        + [QUALIFIER] * draw(st.integers(min_qualifiers, 3))
    )
    for number, group in enumerate(groups):
        specs.append(
            CriterionSpec(
                key=number,
                group=group,
                scale_max=draw(st.integers(1, 10)) if group != EXCLUSION else 1,
                weight=draw(st.integers(1, 5)),
            )
        )
    return specs


def answer_for(criterion):
    if criterion.group == EXCLUSION:
        return st.booleans()
    return st.integers(0, criterion.scale_max)


@st.composite
def reviews(draw, min_qualifiers=0, min_exclusions=0):
    criteria = draw(criteria_lists(min_qualifiers=min_qualifiers, min_exclusions=min_exclusions))
    reviewers = draw(st.integers(1, 4))
    scores = {
        reviewer: {
            criterion.key: draw(answer_for(criterion))
            for criterion in criteria
            if draw(st.booleans()) or criterion.group == EXCLUSION
        }
        for reviewer in range(reviewers)
    }
    thresholds = {
        "core_threshold_percent": draw(st.integers(0, 100)),
        "qualifier_threshold_percent": draw(st.integers(0, 100)),
    }
    return criteria, scores, thresholds


@given(reviews())
def test_percentages_are_between_0_and_100(review):
    criteria, scores, thresholds = review
    result = outcome(criteria, scores, **thresholds)
    assert 0 <= result.core_percent <= 100
    assert 0 <= result.qualifier_percent <= 100


@given(reviews(), st.data())
def test_a_higher_answer_never_lowers_the_outcome(review, data):
    criteria, scores, thresholds = review
    before = outcome(criteria, scores, **thresholds)
    reviewer = data.draw(st.sampled_from(sorted(scores)))
    criterion = data.draw(st.sampled_from(criteria))
    current = scores[reviewer].get(criterion.key)
    if criterion.group == EXCLUSION:
        # A pass replacing a fail, or added where the reviewer had not answered.
        higher = True
    else:
        # A higher score replacing a lower one (a new score beside others could lower the mean).
        assume(current is not None)
        higher = data.draw(st.integers(current, criterion.scale_max))
    raised = {**scores, reviewer: {**scores[reviewer], criterion.key: higher}}
    after = outcome(criteria, raised, **thresholds)
    assert after.result >= before.result
    assert after.core_percent >= before.core_percent
    assert after.qualifier_percent >= before.qualifier_percent


@given(reviews(min_qualifiers=1))
def test_every_score_at_its_maximum_with_exclusions_passed_is_best_practice(review):
    criteria, scores, thresholds = review
    top = {
        reviewer: {c.key: True if c.group == EXCLUSION else c.scale_max for c in criteria}
        for reviewer in scores
    }
    result = outcome(criteria, top, **thresholds)
    assert result.result is Result.BEST_PRACTICE
    assert result.core_percent == 100 and result.qualifier_percent == 100


@given(reviews(min_exclusions=1), st.data())
def test_a_failed_exclusion_means_not_eligible(review, data):
    criteria, scores, thresholds = review
    failed = data.draw(st.sampled_from([c for c in criteria if c.group == EXCLUSION]))
    # Every reviewer fails it.
    failing = {reviewer: {**answers, failed.key: False} for reviewer, answers in scores.items()}
    result = outcome(criteria, failing, **thresholds)
    assert result.result is Result.NOT_ELIGIBLE
    assert not result.exclusions_passed
