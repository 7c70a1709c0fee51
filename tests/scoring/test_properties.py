"""Properties of score_evaluation that must hold for every scorecard and set of ratings."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_app.scoring import (
    CriterionSpec,
    band,
    criterion_pct,
    quality_score,
    round_score,
    score_evaluation,
)

weights = st.floats(min_value=0.01, max_value=100.0, allow_nan=False, allow_infinity=False)
points = st.integers(min_value=1, max_value=5)


@st.composite
def criteria(draw, min_size=1, max_size=8):
    """A scorecard: criteria with unique keys, random weights and flags."""
    count = draw(st.integers(min_value=min_size, max_value=max_size))
    return [
        CriterionSpec(
            key=f"c{index}",
            weight=draw(weights),
            critical=draw(st.booleans()),
            allow_na=draw(st.booleans()),
        )
        for index in range(count)
    ]


@st.composite
def evaluations(draw, **kwargs):
    """A scorecard and a valid rating for every criterion (None only where N/A is allowed)."""
    specs = draw(criteria(**kwargs))
    ratings = {
        spec.key: draw(st.one_of(st.none(), points) if spec.allow_na else points) for spec in specs
    }
    return specs, ratings


def _scored_pcts(specs, ratings):
    return [criterion_pct(ratings[spec.key]) for spec in specs if ratings[spec.key] is not None]


@given(evaluations())
def test_score_is_within_0_and_100_or_none(evaluation):
    result = score_evaluation(*evaluation)
    assert result.score is None or 0.0 <= result.score <= 100.0
    assert (result.score is None) == (result.scored_count == 0)


@given(evaluations(), st.booleans())
def test_adding_na_for_an_extra_criterion_never_changes_the_result(evaluation, critical):
    specs, ratings = evaluation
    extra = CriterionSpec("extra", weight=3.0, critical=critical, allow_na=True)
    before = score_evaluation(specs, ratings)
    after = score_evaluation([*specs, extra], {**ratings, "extra": None})
    assert after == before


@given(evaluations())
def test_critical_fail_is_always_exactly_zero(evaluation):
    result = score_evaluation(*evaluation)
    if result.critical_fail:
        assert result.score == 0.0


@given(evaluations(), st.data())
def test_a_critical_criterion_scored_one_or_two_always_fails(evaluation, data):
    specs, ratings = evaluation
    failing = data.draw(st.sampled_from(specs))
    specs = [
        CriterionSpec(s.key, s.weight, critical=True, allow_na=s.allow_na) if s is failing else s
        for s in specs
    ]
    ratings = {**ratings, failing.key: data.draw(st.sampled_from([1, 2]))}
    result = score_evaluation(specs, ratings)
    assert result.critical_fail is True
    assert result.score == 0.0


@given(evaluations(), st.data())
def test_no_critical_criterion_below_three_never_fails(evaluation, data):
    specs, ratings = evaluation
    low_critical = [s for s in specs if s.critical and ratings[s.key] is not None]
    ratings = {**ratings, **{s.key: data.draw(st.integers(3, 5)) for s in low_critical}}
    assert score_evaluation(specs, ratings).critical_fail is False


@given(evaluations(), st.data())
def test_permuting_the_criteria_never_changes_the_result(evaluation, data):
    specs, ratings = evaluation
    shuffled = data.draw(st.permutations(specs))
    assert score_evaluation(shuffled, ratings) == score_evaluation(specs, ratings)


@given(evaluations(), st.floats(min_value=0.01, max_value=100.0))
def test_scaling_all_weights_never_changes_the_score(evaluation, factor):
    specs, ratings = evaluation
    scaled = [CriterionSpec(s.key, s.weight * factor, s.critical, s.allow_na) for s in specs]
    before = score_evaluation(specs, ratings)
    after = score_evaluation(scaled, ratings)
    assert after.critical_fail == before.critical_fail
    if before.score is None:
        assert after.score is None
    else:
        assert after.score == pytest.approx(before.score, rel=1e-9, abs=1e-9)


@given(evaluations())
def test_score_lies_between_the_lowest_and_highest_scored_pct(evaluation):
    specs, ratings = evaluation
    result = score_evaluation(specs, ratings)
    pcts = _scored_pcts(specs, ratings)
    if result.score is not None and not result.critical_fail:
        assert min(pcts) <= result.score <= max(pcts)


@given(evaluations())
def test_score_matches_the_weighted_mean_formula(evaluation):
    specs, ratings = evaluation
    result = score_evaluation(specs, ratings)
    scored = [
        (s.weight, criterion_pct(ratings[s.key])) for s in specs if ratings[s.key] is not None
    ]
    if result.score is not None and not result.critical_fail:
        expected = sum(w * p for w, p in scored) / sum(w for w, _ in scored)
        assert result.score == pytest.approx(expected, rel=1e-9, abs=1e-9)


@given(st.floats(min_value=0.0, max_value=100.0))
def test_round_score_is_within_half_a_cent_and_band_is_always_known(score):
    assert math.isclose(round_score(score), score, abs_tol=0.005 + 1e-9)
    assert band(score) in {"Excellent", "Good", "Satisfactory", "Needs improvement", "Poor"}


@given(st.lists(st.one_of(st.none(), st.floats(min_value=0.0, max_value=100.0))))
def test_quality_score_lies_between_the_lowest_and_highest_score(scores):
    known = [s for s in scores if s is not None]
    result = quality_score(scores)
    if not known:
        assert result is None
    else:
        assert min(known) - 1e-9 <= result <= max(known) + 1e-9
