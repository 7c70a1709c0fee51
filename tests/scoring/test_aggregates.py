"""Aggregates, strengths and development areas, and customer metrics (docs/scoring.md)."""

from decimal import Decimal

import pytest

from qa_app.scoring import (
    aht,
    ces,
    criterion_average,
    csat_pct,
    fcr_pct,
    nps,
    pass_rate,
    quality_score,
    strengths_and_development_areas,
)

# --- quality score and pass rate ---------------------------------------------------------------


def test_quality_score_is_the_mean_of_evaluation_scores():
    assert quality_score([100.0, 50.0, 0.0, 70.0]) == 55.0


def test_quality_score_leaves_out_evaluations_without_a_score():
    assert quality_score([80.0, None, 60.0]) == 70.0


def test_quality_score_counts_a_critical_fail_as_zero():
    assert quality_score([90.0, 0.0]) == 45.0


@pytest.mark.parametrize("scores", [[], [None, None]])
def test_quality_score_without_scores_is_none(scores):
    assert quality_score(scores) is None


def test_quality_score_accepts_a_generator():
    assert quality_score(s for s in [40.0, 60.0]) == 50.0


@pytest.mark.parametrize("bad", [-0.01, 100.01, float("nan"), "80", True])
def test_quality_score_rejects_a_score_outside_0_to_100(bad):
    with pytest.raises(ValueError, match="evaluation score"):
        quality_score([50.0, bad])


def test_pass_rate_is_the_share_at_or_above_the_default_pass_mark_of_80():
    assert pass_rate([80.0, 79.99, 100.0, 0.0]) == 50.0


def test_pass_rate_leaves_out_evaluations_without_a_score():
    assert pass_rate([90.0, None, 70.0, None]) == 50.0


def test_pass_rate_uses_the_given_pass_mark():
    assert pass_rate([70.0, 65.0, 60.0], pass_mark=65.0) == pytest.approx(200 / 3)


def test_pass_rate_counts_a_score_displayed_as_the_pass_mark_as_passed():
    assert pass_rate([79.996]) == 100.0


@pytest.mark.parametrize("scores", [[], [None]])
def test_pass_rate_without_scores_is_none(scores):
    assert pass_rate(scores) is None


@pytest.mark.parametrize("bad", [-1.0, 100.5, float("nan")])
def test_pass_rate_rejects_a_pass_mark_outside_0_to_100(bad):
    with pytest.raises(ValueError, match="pass mark"):
        pass_rate([50.0], pass_mark=bad)


# --- per-criterion average ---------------------------------------------------------------------


def test_criterion_average_is_the_mean_of_one_to_five_values():
    assert criterion_average([5, 4, 3]) == 4.0


def test_criterion_average_excludes_na():
    assert criterion_average([5, None, 2, None]) == 3.5


@pytest.mark.parametrize("values", [[], [None, None]])
def test_criterion_average_without_values_is_none(values):
    assert criterion_average(values) is None


@pytest.mark.parametrize("bad", [0, 6, 2.5, True])
def test_criterion_average_rejects_a_value_outside_one_to_five(bad):
    with pytest.raises(ValueError):
        criterion_average([3, bad])


# --- strengths and development areas -----------------------------------------------------------


def test_average_of_four_is_a_strength():
    assert strengths_and_development_areas({"empathy": (4.0, 3)}, {}) == (["empathy"], [])


def test_average_just_below_four_is_neither():
    assert strengths_and_development_areas({"empathy": (3.99, 5)}, {"empathy": 3.5}) == ([], [])


def test_average_below_three_is_a_development_area():
    assert strengths_and_development_areas({"clarity": (2.99, 4)}, {}) == ([], ["clarity"])


def test_average_of_exactly_three_is_not_a_development_area_by_itself():
    assert strengths_and_development_areas({"clarity": (3.0, 4)}, {"clarity": 3.5}) == ([], [])


def test_more_than_half_a_point_below_the_team_is_a_development_area():
    assert strengths_and_development_areas({"hold": (3.4, 3)}, {"hold": 3.95}) == ([], ["hold"])


def test_exactly_half_a_point_below_the_team_is_not_a_development_area():
    # 4.4 - 3.9 is 0.5000000000000004 in floating point; it must still count as 0.5.
    assert 4.4 - 3.9 > 0.5
    assert strengths_and_development_areas({"hold": (3.9, 3)}, {"hold": 4.4}) == ([], [])


def test_fewer_than_three_scored_evaluations_is_neither():
    agent = {"empathy": (5.0, 2), "clarity": (1.0, 2), "hold": (3.0, 0)}
    team = {"hold": 5.0}
    assert strengths_and_development_areas(agent, team) == ([], [])


def test_strength_more_than_half_a_point_below_the_team_is_a_development_area_only():
    strengths, development = strengths_and_development_areas(
        {"empathy": (4.2, 6)}, {"empathy": 4.9}
    )
    assert strengths == []
    assert development == ["empathy"]


def test_strengths_and_development_areas_keep_the_input_order():
    agent = {"c": (4.5, 3), "a": (2.0, 3), "b": (5.0, 3), "d": (1.5, 3)}
    assert strengths_and_development_areas(agent, {}) == (["c", "b"], ["a", "d"])


def test_team_average_from_the_database_may_be_a_decimal():
    agent = {"hold": (3.0, 3)}
    assert strengths_and_development_areas(agent, {"hold": Decimal("3.75")}) == ([], ["hold"])


@pytest.mark.parametrize(
    ("agent", "team"),
    [
        ({"a": (5.5, 3)}, {}),
        ({"a": (0.5, 3)}, {}),
        ({"a": (4.0, -1)}, {}),
        ({"a": (4.0, 3.0)}, {}),
        ({"a": (4.0, 3)}, {"a": 6.0}),
    ],
)
def test_strengths_and_development_areas_reject_out_of_range_input(agent, team):
    with pytest.raises(ValueError):
        strengths_and_development_areas(agent, team)


# --- customer metrics --------------------------------------------------------------------------


def test_csat_is_the_share_of_four_and_five_answers():
    assert csat_pct([5, 4, 3, 1]) == 50.0


def test_csat_ignores_unknown_answers():
    assert csat_pct([5, None, 2, None, 4]) == pytest.approx(200 / 3)


def test_nps_is_promoters_minus_detractors():
    # promoters 10, 9; passives 8, 7; detractors 6, 0: (2 - 2) / 6 * 100
    assert nps([10, 9, 8, 7, 6, 0]) == 0.0


def test_nps_hand_computed_examples():
    assert nps([10, 10, 9, 8]) == 75.0
    assert nps([0, 6, 7, 10]) == -25.0
    assert nps([0, 1, 2]) == -100.0
    assert nps([9, None, 10]) == 100.0


def test_ces_is_the_mean_of_one_to_seven_answers():
    assert ces([1, 7, 4, None]) == 4.0
    assert ces([2, 3]) == 2.5


def test_fcr_is_resolved_over_interactions_with_a_known_answer():
    assert fcr_pct([True, False, None, True, True]) == 75.0


def test_aht_is_the_mean_handle_time():
    assert aht([300, 420.5, None, 0]) == pytest.approx(240.16666666666666)


@pytest.mark.parametrize("metric", [csat_pct, nps, ces, fcr_pct, aht])
@pytest.mark.parametrize("values", [[], [None, None]])
def test_customer_metrics_without_data_are_none(metric, values):
    assert metric(values) is None


@pytest.mark.parametrize(
    ("metric", "bad"),
    [
        (csat_pct, 0),
        (csat_pct, 6),
        (csat_pct, 4.5),
        (csat_pct, True),
        (nps, -1),
        (nps, 11),
        (nps, 9.0),
        (ces, 0),
        (ces, 8),
        (fcr_pct, 1),
        (fcr_pct, "yes"),
        (aht, -1),
        (aht, float("inf")),
        (aht, "300"),
        (aht, True),
    ],
)
def test_customer_metrics_reject_out_of_range_values(metric, bad):
    with pytest.raises(ValueError):
        metric([bad])
