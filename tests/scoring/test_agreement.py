"""Calibration statistics, checked against Krippendorff's published worked examples."""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction

import pytest

from qa_app.scoring.agreement import (
    Agreement,
    AlphaResult,
    Level,
    Spread,
    alpha_reading,
    benchmark_from_others,
    krippendorff_alpha,
    krippendorff_alpha_ordinal,
    reviewer_agreement,
    spread,
)

Units = dict[int, dict[str, int | None]]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")


def units_from_rows(rows: dict[str, str]) -> Units:
    """Turn one row of values per coder ("." = missing) into unit -> coder -> value."""
    units: Units = {}
    for coder, row in rows.items():
        for index, cell in enumerate(row.split(), start=1):
            units.setdefault(index, {})[coder] = None if cell == "." else int(cell)
    return units


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers, 12 units.
KRIPPENDORFF_2011 = units_from_rows(
    {
        "A": "1 2 3 3 2 1 4 1 2 . . .",
        "B": "1 2 3 3 2 2 4 1 2 5 . 3",
        "C": ". 3 3 3 2 3 4 2 2 5 1 .",
        "D": "1 2 3 3 2 4 4 1 2 5 1 .",
    }
)

# The same paper's two coders, binary data, 10 units.
BINARY_TWO_CODERS = units_from_rows({"A": "0 1 0 0 0 0 0 0 1 0", "B": "1 1 1 0 0 1 0 0 0 0"})


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_alpha_reproduces_krippendorff_2011_example(level: Level, published: float) -> None:
    result = krippendorff_alpha(KRIPPENDORFF_2011, level=level)
    assert result.alpha is not None
    assert round(result.alpha, 3) == published


def test_alpha_counts_pairable_units_and_values_of_the_2011_example() -> None:
    result = krippendorff_alpha_ordinal(KRIPPENDORFF_2011)
    # unit 12 has a single value and is left out: 11 units, n = 40 values
    assert (result.units, result.values, result.reading) == (11, 40, "reliable")


def test_alpha_reproduces_the_binary_two_coder_example() -> None:
    result = krippendorff_alpha(BINARY_TWO_CODERS, level="nominal")
    assert result.alpha is not None
    assert round(result.alpha, 3) == 0.095
    assert (result.units, result.values, result.reading) == (10, 20, "not reliable")


def test_binary_example_by_hand() -> None:
    # o_01 = 4, n_0 = 14, n_1 = 6, n = 20 -> alpha = 1 - 19 * 4 / (14 * 6)
    result = krippendorff_alpha(BINARY_TWO_CODERS, level="nominal")
    assert result.alpha == pytest.approx(1 - 19 * 4 / (14 * 6))


def test_ordinal_is_the_default_level() -> None:
    assert krippendorff_alpha(KRIPPENDORFF_2011) == krippendorff_alpha_ordinal(KRIPPENDORFF_2011)


def test_single_reviewer_is_not_enough_data() -> None:
    units = {"call-1": {"ann": 4}, "call-2": {"ann": 2}, "call-3": {"ann": 5}}
    assert krippendorff_alpha_ordinal(units) == AlphaResult(None, 0, 0, "not enough data")


@pytest.mark.parametrize(
    "units",
    [{}, {1: {}}, {1: {"ann": None, "bob": None}}, {1: {"ann": 3, "bob": None}}],
)
def test_no_pairable_unit_is_not_enough_data(units: Units) -> None:
    for level in LEVELS:
        result = krippendorff_alpha(units, level=level)
        assert result == AlphaResult(None, 0, 0, "not enough data")


def test_all_values_equal_is_no_variation() -> None:
    units = {u: {"ann": 4, "bob": 4, "cy": None} for u in range(5)}
    for level in LEVELS:
        result = krippendorff_alpha(units, level=level)
        assert result == AlphaResult(None, 5, 10, "no variation")


def test_perfect_agreement_with_variation_is_one() -> None:
    units = {u: {"ann": u % 5 + 1, "bob": u % 5 + 1, "cy": u % 5 + 1} for u in range(10)}
    for level in LEVELS:
        result = krippendorff_alpha(units, level=level)
        assert result == AlphaResult(1.0, 10, 30, "reliable")


def test_missing_values_and_lone_values_do_not_change_alpha() -> None:
    padded = {unit: dict(coded) for unit, coded in KRIPPENDORFF_2011.items()}
    for coded in padded.values():
        coded.setdefault("E", None)
    padded[101] = {"A": 5, "B": None}
    padded[102] = {"A": None, "C": None}
    assert krippendorff_alpha_ordinal(padded) == krippendorff_alpha_ordinal(KRIPPENDORFF_2011)


def test_order_and_names_of_units_and_coders_do_not_matter() -> None:
    rng = random.Random(20240611)
    unit_keys = list(KRIPPENDORFF_2011)
    rng.shuffle(unit_keys)
    shuffled: dict[object, dict[str, int | None]] = {}
    for position, unit in enumerate(unit_keys):
        coded = list(KRIPPENDORFF_2011[unit].items())
        rng.shuffle(coded)
        shuffled[("interaction", position)] = {f"rev-{coder}": value for coder, value in coded}
    for level in LEVELS:
        expected = krippendorff_alpha(KRIPPENDORFF_2011, level=level)
        assert krippendorff_alpha(shuffled, level=level) == expected


def test_ordinal_matches_the_literal_formula_on_random_data() -> None:
    rng = random.Random(7)
    for _ in range(20):
        units = {
            u: {c: rng.choice([None, 1, 2, 3, 4, 5]) for c in "ABCD"}
            for u in range(rng.randint(2, 15))
        }
        result = krippendorff_alpha_ordinal(units)
        reference = literal_ordinal_alpha(units)
        if reference is None:
            assert result.alpha is None
        else:
            assert result.alpha == pytest.approx(float(reference), abs=1e-12)


def literal_ordinal_alpha(units: Mapping[int, Mapping[str, int | None]]) -> Fraction | None:
    """Alpha from the pairable values, pair by pair, with delta² as written in the paper."""
    pairable = [
        [v for v in coded.values() if v is not None]
        for coded in units.values()
        if sum(v is not None for v in coded.values()) >= 2
    ]
    pooled = [v for values in pairable for v in values]
    n_g = {g: pooled.count(g) for g in set(pooled)}

    def delta2(c: int, k: int) -> Fraction:
        low, high = min(c, k), max(c, k)
        between = sum(count for g, count in n_g.items() if low <= g <= high)
        return (between - Fraction(n_g[c] + n_g[k], 2)) ** 2

    n = len(pooled)
    observed = sum(
        (
            Fraction(1, len(values) - 1) * delta2(values[i], values[j])
            for values in pairable
            for i in range(len(values))
            for j in range(len(values))
            if i != j
        ),
        Fraction(0),
    )
    expected = sum(
        (delta2(c, k) for i, c in enumerate(pooled) for j, k in enumerate(pooled) if i != j),
        Fraction(0),
    )
    if not pairable or expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


def test_alpha_exactly_on_the_reliable_threshold_reads_reliable() -> None:
    # 11 units, 2 coders: 3 agree on 0, 7 agree on 1, 1 disagrees -> alpha = 1 - 21/105 = 4/5
    rows = {"A": "0 0 0 1 1 1 1 1 1 1 0", "B": "0 0 0 1 1 1 1 1 1 1 1"}
    result = krippendorff_alpha(units_from_rows(rows), level="nominal")
    assert result.alpha == pytest.approx(0.8)
    assert result.reading == "reliable"


@pytest.mark.parametrize(
    ("alpha", "reading"),
    [
        (1.0, "reliable"),
        (0.800, "reliable"),
        (Fraction(4, 5), "reliable"),
        (0.7999, "tentative"),
        (0.667, "tentative"),
        (Fraction(667, 1000), "tentative"),
        (0.6669, "not reliable"),
        (0.0, "not reliable"),
        (-0.5, "not reliable"),
    ],
)
def test_alpha_readings_at_the_boundaries(alpha: float | Fraction, reading: str) -> None:
    assert alpha_reading(alpha) == reading


def test_unknown_level_is_rejected() -> None:
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha(KRIPPENDORFF_2011, level="cardinal")  # type: ignore[arg-type]


def test_spread_ignores_missing_values() -> None:
    # mean 3, squared deviations 4 + 0 + 1 + 1 = 6 over 4 values -> sqrt(1.5)
    result = spread([1, None, 3, 4, 4])
    assert (result.min, result.max, result.count) == (1, 4, 4)
    assert result.stdev == pytest.approx(1.5**0.5)


def test_spread_of_a_single_value_has_no_deviation() -> None:
    assert spread([5]) == Spread(5, 5, 0.0, 1)


def test_spread_of_no_values_is_empty() -> None:
    assert spread([]) == Spread(None, None, None, 0)
    assert spread([None, None]) == Spread(None, None, None, 0)


def test_reviewer_agreement_by_hand() -> None:
    reviewer = {"u1": 3, "u2": 5, "u3": 1, "u4": 4, "u5": None, "u6": 2}
    benchmark = {"u1": 3.0, "u2": 4.0, "u3": 4.0, "u4": 3.5, "u5": 2.0, "u6": None}
    # compared u1..u4: gaps 0, 1, 3, 0.5 -> mean 1.125, exact 1/4, within one 3/4
    assert reviewer_agreement(reviewer, benchmark) == Agreement(1.125, 25.0, 75.0, 4)


def test_reviewer_agreement_without_common_units_is_empty() -> None:
    assert reviewer_agreement({"u1": 3}, {"u2": 3.0}) == Agreement(None, None, None, 0)
    assert reviewer_agreement({"u1": None}, {"u1": 3.0}) == Agreement(None, None, None, 0)


def test_a_median_of_three_and_a_half_is_never_matched_exactly() -> None:
    units = {"u1": {"ann": 4, "bob": 3, "cy": 4}, "u2": {"ann": 3, "bob": 3, "cy": 4}}
    benchmark = benchmark_from_others(units, "ann")
    assert benchmark == {"u1": 3.5, "u2": 3.5}
    assert reviewer_agreement(units_for("ann", units), benchmark) == Agreement(0.5, 0.0, 100.0, 2)


def units_for(coder: str, units: Mapping[str, Mapping[str, int | None]]) -> dict[str, int | None]:
    return {unit: coded.get(coder) for unit, coded in units.items()}


def test_benchmark_is_the_median_of_the_other_reviewers() -> None:
    units: dict[str, dict[str, int | None]] = {
        "u1": {"ann": 1, "bob": 2, "cy": 5, "dee": 3},  # others 2, 5, 3 -> 3
        "u2": {"ann": 5, "bob": 2, "cy": None, "dee": 3},  # others 2, 3 -> 2.5
        "u3": {"ann": 4, "bob": None, "cy": None},  # nobody else -> None
        "u4": {"ann": None, "bob": 4},  # reviewer missing: the benchmark still exists
    }
    assert benchmark_from_others(units, "ann") == {"u1": 3.0, "u2": 2.5, "u3": None, "u4": 4.0}
    # gaps 2, 2.5 -> mean 2.25; none exact; none within one
    agreement = reviewer_agreement(units_for("ann", units), benchmark_from_others(units, "ann"))
    assert agreement == Agreement(2.25, 0.0, 0.0, 2)


def test_benchmark_is_the_experts_score_when_an_expert_is_named() -> None:
    units: dict[str, dict[str, int | None]] = {
        "u1": {"ann": 2, "bob": 2, "cy": 2, "expert": 4},
        "u2": {"ann": 3, "bob": 3, "expert": 3},
        "u3": {"ann": 5, "bob": 1, "expert": None},  # no fallback to the median
        "u4": {"ann": 1, "bob": 1},
    }
    benchmark = benchmark_from_others(units, "ann", expert="expert")
    assert benchmark == {"u1": 4.0, "u2": 3.0, "u3": None, "u4": None}
    # gaps 2, 0 -> mean 1, exact 1/2, within one 1/2
    assert reviewer_agreement(units_for("ann", units), benchmark) == Agreement(1.0, 50.0, 50.0, 2)


def test_the_expert_is_benchmarked_against_the_median_of_the_others() -> None:
    units: dict[str, dict[str, int | None]] = {
        "u1": {"ann": 2, "bob": 3, "expert": 4},
        "u2": {"ann": 5, "bob": 5, "expert": 5},
    }
    assert benchmark_from_others(units, "expert", expert="expert") == {"u1": 2.5, "u2": 5.0}


def test_ratio_level_rejects_negative_values() -> None:
    with pytest.raises(ValueError, match="negative"):
        krippendorff_alpha({1: {"A": -1, "B": 1}}, level="ratio")
