"""The reviewer drift and the shares of the reviewer quality page (docs/reviewer-quality.md)."""

from __future__ import annotations

import pytest

from qa_app.scoring.reviewers import Drift, ScoredPoint, percent, reviewer_drift

GREETING, EMPATHY = ("card", "greeting"), ("card", "empathy")


def test_drift_is_the_mean_gap_to_the_mean_of_all_points_of_the_cell():
    points = [
        # March, greeting: points 5 (r1), 3 (r2), 4 (r2) -> mean 4.
        ScoredPoint(1, 10, GREETING, "2026-03", 5),
        ScoredPoint(2, 20, GREETING, "2026-03", 3),
        ScoredPoint(2, 21, GREETING, "2026-03", 4),
        # March, empathy: 2 (r1), 4 (r2) -> mean 3.
        ScoredPoint(1, 10, EMPATHY, "2026-03", 2),
        ScoredPoint(2, 20, EMPATHY, "2026-03", 4),
    ]
    found = {(d.reviewer_id, d.month): d for d in reviewer_drift(points)}
    # r1: (5 - 4) and (2 - 3) -> 0 over 2 points of one evaluation.
    assert found[(1, "2026-03")] == Drift(1, "2026-03", 0.0, 1, 2)
    # r2: (3 - 4), (4 - 4), (4 - 3) -> 0 over 3 points of two evaluations.
    assert found[(2, "2026-03")] == Drift(2, "2026-03", 0.0, 2, 3)


def test_a_lenient_reviewer_drifts_above_zero_and_a_harsh_one_below():
    points = [
        ScoredPoint(1, 1, GREETING, "2026-04", 5),
        ScoredPoint(2, 2, GREETING, "2026-04", 2),
        ScoredPoint(3, 3, GREETING, "2026-04", 2),
    ]  # mean 3
    drift = {d.reviewer_id: d.drift for d in reviewer_drift(points)}
    assert drift == {1: pytest.approx(2.0), 2: pytest.approx(-1.0), 3: pytest.approx(-1.0)}


def test_months_and_criteria_are_compared_apart():
    points = [
        ScoredPoint(1, 1, GREETING, "2026-04", 5),
        ScoredPoint(2, 2, GREETING, "2026-04", 3),
        ScoredPoint(1, 3, GREETING, "2026-05", 1),
        ScoredPoint(2, 4, GREETING, "2026-05", 3),
    ]
    drift = {(d.reviewer_id, d.month): d.drift for d in reviewer_drift(points)}
    assert drift == {
        (1, "2026-04"): 1.0,
        (2, "2026-04"): -1.0,
        (1, "2026-05"): -1.0,
        (2, "2026-05"): 1.0,
    }


def test_a_cell_without_peers_is_left_out():
    points = [
        ScoredPoint(1, 1, GREETING, "2026-04", 5),
        ScoredPoint(1, 2, GREETING, "2026-04", 1),
        ScoredPoint(1, 1, EMPATHY, "2026-04", 4),
        ScoredPoint(2, 3, EMPATHY, "2026-04", 2),
    ]
    assert reviewer_drift(points) == [
        Drift(1, "2026-04", 1.0, 1, 1),
        Drift(2, "2026-04", -1.0, 1, 1),
    ]
    assert reviewer_drift(points[:2]) == []


def test_percent_of_nothing_is_none():
    assert percent(3, 4) == 75.0
    assert percent(0, 0) is None
