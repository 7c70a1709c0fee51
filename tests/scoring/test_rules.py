"""The five-point scale, bands and the score of one evaluation (docs/scoring.md)."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest

import qa_app.scoring
from qa_app.scoring import (
    BANDS,
    DEFAULT_LABELS,
    POINTS,
    Band,
    CriterionSpec,
    EvaluationResult,
    Rating,
    band,
    band_of,
    criterion_pct,
    ratings_map,
    reaches,
    round_score,
    score_evaluation,
    validate_score,
)

# --- scale -------------------------------------------------------------------------------------


def test_scale_has_five_points_with_default_labels():
    assert POINTS == (1, 2, 3, 4, 5)
    assert dict(DEFAULT_LABELS) == {
        5: "Excellent",
        4: "Good",
        3: "Satisfactory",
        2: "Needs improvement",
        1: "Poor",
    }


def test_default_labels_cannot_be_changed_by_accident():
    with pytest.raises(TypeError):
        DEFAULT_LABELS[5] = "Superb"


@pytest.mark.parametrize(("score", "pct"), [(1, 0.0), (2, 25.0), (3, 50.0), (4, 75.0), (5, 100.0)])
def test_points_one_to_five_map_to_0_25_50_75_100_percent(score, pct):
    assert criterion_pct(score) == pct


@pytest.mark.parametrize("score", [1, 3, 5])
def test_validate_score_returns_a_valid_score(score):
    assert validate_score(score) == score


@pytest.mark.parametrize("bad", [0, 6, -1, 3.0, 2.5, "3", None, True, False, Decimal(3)])
def test_validate_score_rejects_anything_but_an_int_from_one_to_five(bad):
    with pytest.raises(ValueError, match="score"):
        validate_score(bad)


@pytest.mark.parametrize("bad", [0, 6, True, 4.0])
def test_criterion_pct_rejects_an_invalid_score(bad):
    with pytest.raises(ValueError):
        criterion_pct(bad)


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (100.0, "Excellent"),
        (90.0, "Excellent"),
        (89.99, "Good"),
        (75.0, "Good"),
        (74.99, "Satisfactory"),
        (60.0, "Satisfactory"),
        (59.99, "Needs improvement"),
        (40.0, "Needs improvement"),
        (39.99, "Poor"),
        (0.0, "Poor"),
    ],
)
def test_band_at_each_boundary(score, expected):
    assert band(score) == expected


def test_band_of_no_score_is_none():
    assert band(None) is None
    assert band_of(None) is None


def test_band_follows_the_displayed_score_so_number_and_band_agree():
    # 89.996 is shown as 90.00, so it must not be shown as "Good".
    assert round_score(89.996) == 90.0
    assert band(89.996) == "Excellent"
    assert band(89.994) == "Good"


def test_band_has_a_css_friendly_slug():
    assert [b.slug for b in BANDS] == [
        "excellent",
        "good",
        "satisfactory",
        "needs-improvement",
        "poor",
    ]
    assert band_of(45.0) == Band("Needs improvement", 40.0)


def test_band_rejects_a_score_that_is_not_a_number():
    with pytest.raises(ValueError):
        band(float("nan"))


# --- round_score -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [(83.33333333333333, 83.33), (83.335, 83.34), (0.005, 0.01), (66.665, 66.67), (100.0, 100.0)],
)
def test_round_score_rounds_half_up_to_two_decimals(score, expected):
    assert round_score(score) == expected


def test_round_score_keeps_none():
    assert round_score(None) is None


@pytest.mark.parametrize("bad", [float("inf"), float("nan")])
def test_round_score_rejects_non_finite(bad):
    with pytest.raises(ValueError):
        round_score(bad)


def test_reaches_compares_the_displayed_score():
    assert reaches(80.0, 80.0)
    assert reaches(79.996, 80.0)
    assert not reaches(79.99, 80.0)


# --- score_evaluation --------------------------------------------------------------------------


def test_weighted_mean_with_na_excluded():
    criteria = [CriterionSpec("a", weight=2), CriterionSpec("b"), CriterionSpec("c", allow_na=True)]
    result = score_evaluation(criteria, {"a": 5, "b": 3, "c": None})
    assert result.score == pytest.approx(83.33333333333333, abs=1e-9)
    assert round_score(result.score) == 83.33
    assert result.critical_fail is False
    assert result.scored_count == 2


def test_score_is_not_rounded_internally():
    result = score_evaluation([CriterionSpec("a", weight=2), CriterionSpec("b")], {"a": 5, "b": 3})
    assert result.score is not None
    assert result.score != round_score(result.score)


def test_equal_weights_give_the_plain_mean():
    criteria = [CriterionSpec(key) for key in "abcd"]
    result = score_evaluation(criteria, {"a": 1, "b": 2, "c": 4, "d": 5})
    assert result == EvaluationResult(score=50.0, critical_fail=False, scored_count=4)


@pytest.mark.parametrize("weights", [(0.3, 0.3, 0.3), (0.1, 0.2), (0.7, 0.1)])
def test_all_top_scores_give_exactly_100_whatever_the_weights(weights):
    # Without care, these weights give 100.00000000000001 or 99.99999999999999.
    criteria = [CriterionSpec(f"c{i}", weight=w) for i, w in enumerate(weights)]
    result = score_evaluation(criteria, {spec.key: 5 for spec in criteria})
    assert result.score == 100.0


def test_critical_criterion_scored_two_zeroes_score_and_flags():
    criteria = [CriterionSpec("greeting"), CriterionSpec("privacy", critical=True)]
    result = score_evaluation(criteria, {"greeting": 5, "privacy": 2})
    assert result == EvaluationResult(score=0.0, critical_fail=True, scored_count=2)


def test_critical_criterion_scored_one_zeroes_score_and_flags():
    criteria = [CriterionSpec("greeting"), CriterionSpec("privacy", critical=True)]
    result = score_evaluation(criteria, {"greeting": 5, "privacy": 1})
    assert result.score == 0.0
    assert result.critical_fail is True


def test_critical_criterion_scored_three_does_not_flag():
    criteria = [CriterionSpec("greeting"), CriterionSpec("privacy", critical=True)]
    result = score_evaluation(criteria, {"greeting": 5, "privacy": 3})
    assert result == EvaluationResult(score=75.0, critical_fail=False, scored_count=2)


def test_critical_criterion_marked_na_does_not_flag():
    criteria = [CriterionSpec("greeting"), CriterionSpec("privacy", critical=True, allow_na=True)]
    result = score_evaluation(criteria, {"greeting": 4, "privacy": None})
    assert result == EvaluationResult(score=75.0, critical_fail=False, scored_count=1)


def test_non_critical_criterion_scored_one_does_not_flag():
    result = score_evaluation([CriterionSpec("a"), CriterionSpec("b")], {"a": 1, "b": 5})
    assert result == EvaluationResult(score=50.0, critical_fail=False, scored_count=2)


def test_all_na_gives_no_score_and_no_flag():
    criteria = [CriterionSpec("a", allow_na=True), CriterionSpec("b", critical=True, allow_na=True)]
    result = score_evaluation(criteria, {"a": None, "b": None})
    assert result == EvaluationResult(score=None, critical_fail=False, scored_count=0)


def test_decimal_weight_from_a_numeric_column_is_accepted_as_float():
    spec = CriterionSpec("a", weight=Decimal("1.5"))
    assert spec.weight == 1.5
    assert isinstance(spec.weight, float)


# --- score_evaluation: errors ------------------------------------------------------------------


def test_rating_for_unknown_criterion_raises():
    with pytest.raises(ValueError, match="unknown criterion: 'zzz'"):
        score_evaluation([CriterionSpec("a")], {"a": 3, "zzz": 4})


def test_missing_rating_raises():
    with pytest.raises(ValueError, match="missing rating for criterion: 'b'"):
        score_evaluation([CriterionSpec("a"), CriterionSpec("b")], {"a": 3})


def test_na_on_criterion_that_does_not_allow_na_raises():
    with pytest.raises(ValueError, match="criterion 'a' does not allow N/A"):
        score_evaluation([CriterionSpec("a")], {"a": None})


@pytest.mark.parametrize("bad", [0, 6, -3, 2.5, 4.0, "4", True])
def test_score_outside_one_to_five_raises(bad):
    with pytest.raises(ValueError, match="criterion 'a': .*score"):
        score_evaluation([CriterionSpec("a")], {"a": bad})


@pytest.mark.parametrize("bad", [0, 0.0, -1, -0.5, float("nan"), float("inf"), True, "2", None])
def test_non_positive_or_invalid_weight_raises(bad):
    with pytest.raises(ValueError, match="weight must be a positive number"):
        score_evaluation([CriterionSpec("a", weight=bad)], {"a": 3})


def test_duplicate_criterion_keys_raise():
    with pytest.raises(ValueError, match="duplicate criterion keys: 'a'"):
        score_evaluation([CriterionSpec("a"), CriterionSpec("a")], {"a": 3})


def test_scorecard_without_criteria_raises():
    with pytest.raises(ValueError, match="at least one criterion"):
        score_evaluation([], {})


def test_empty_criterion_key_raises():
    with pytest.raises(ValueError, match="non-empty"):
        CriterionSpec("")


# --- Rating ------------------------------------------------------------------------------------


def test_ratings_map_builds_the_mapping_score_evaluation_takes():
    ratings = ratings_map([Rating("a", 5), Rating("b", None)])
    assert ratings == {"a": 5, "b": None}
    criteria = [CriterionSpec("a"), CriterionSpec("b", allow_na=True)]
    assert score_evaluation(criteria, ratings).score == 100.0


def test_ratings_map_rejects_two_ratings_for_one_criterion():
    with pytest.raises(ValueError, match="more than one rating for criterion 'a'"):
        ratings_map([Rating("a", 5), Rating("a", 4)])


@pytest.mark.parametrize("bad", [0, 6, True, 3.5])
def test_rating_rejects_a_score_outside_one_to_five(bad):
    with pytest.raises(ValueError, match="criterion 'a'"):
        Rating("a", bad)


# --- purity ------------------------------------------------------------------------------------


def test_scoring_package_imports_neither_flask_nor_sqlalchemy():
    imported: set[str] = set()
    for path in Path(qa_app.scoring.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    assert not imported & {"flask", "flask_sqlalchemy", "sqlalchemy", "qa_app"}
