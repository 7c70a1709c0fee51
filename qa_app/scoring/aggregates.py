"""Aggregates over many evaluations, per-criterion findings and customer metrics.

Every function takes plain values, ignores None entries (no score, N/A, unknown answer) and
returns None when nothing is left to aggregate. Out-of-range values raise ValueError.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final, Literal

from .scale import MAX_POINT, MIN_POINT, reaches, validate_score

DEFAULT_PASS_MARK: Final = 80.0
STRENGTH_MIN_AVERAGE: Final = 4.0
DEVELOPMENT_BELOW_AVERAGE: Final = 3.0
TEAM_GAP: Final = 0.5
MIN_SCORED_EVALUATIONS: Final = 3

_Finding = Literal["strength", "development"]

# Differences like 4.4 - 3.9 come out as 0.5000000000000004; compare at a precision far finer
# than anything shown, so a gap of exactly 0.5 is not "more than 0.5".
_COMPARE_DIGITS: Final = 9


def _real(value: object, what: str) -> float:
    """Return value as a float if it is a finite int, float or Decimal (not bool), else raise."""
    # PostgreSQL AVG() arrives as Decimal; accept it rather than make every caller convert.
    number = math.nan
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return number


def _in_range(value: object, low: float, high: float, what: str) -> float:
    """Return value as a float if it is a number from low to high, else raise ValueError."""
    number = _real(value, what)
    if not low <= number <= high:
        bounds = f"at least {low:g}" if high == math.inf else f"from {low:g} to {high:g}"
        raise ValueError(f"{what} must be {bounds}, got {value!r}")
    return number


def _whole(values: Iterable[int | None], low: int, high: int, what: str) -> list[int]:
    """Return the non-None values, each checked to be a whole number from low to high."""
    checked: list[int] = []
    for value in values:
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{what} must be whole numbers from {low} to {high}, got {value!r}")
        checked.append(value)
    return checked


def _mean(values: Sequence[float]) -> float | None:
    """Return the arithmetic mean, or None for no values."""
    return math.fsum(values) / len(values) if values else None


def _share_pct(count: int, total: int) -> float | None:
    """Return count as a percentage of total, or None when total is 0."""
    # One division keeps exact answers exact (2 of 4 is 50.0, not 50.00000000000001).
    return count * 100 / total if total else None


def _scores(scores: Iterable[float | None]) -> list[float]:
    """Return the non-None evaluation scores, each checked to be within 0..100."""
    return [_in_range(s, 0.0, 100.0, "an evaluation score") for s in scores if s is not None]


def quality_score(scores: Iterable[float | None]) -> float | None:
    """Return the mean of the evaluation scores, leaving out evaluations without a score."""
    return _mean(_scores(scores))


def pass_rate(scores: Iterable[float | None], pass_mark: float = DEFAULT_PASS_MARK) -> float | None:
    """Return the percentage of scored evaluations whose displayed score reaches the pass mark."""
    mark = _in_range(pass_mark, 0.0, 100.0, "the pass mark")
    checked = _scores(scores)
    return _share_pct(sum(reaches(score, mark) for score in checked), len(checked))


def criterion_average(values: Iterable[int | None]) -> float | None:
    """Return the mean of the 1-5 values given to one criterion, N/A excluded."""
    return _mean([validate_score(value) for value in values if value is not None])


def _is_development_area(average: float, team_average: float | None) -> bool:
    """Return True when an average is below 3.0 or more than 0.5 below the team's."""
    if round(average, _COMPARE_DIGITS) < DEVELOPMENT_BELOW_AVERAGE:
        return True
    if team_average is None:
        return False
    return round(team_average - average, _COMPARE_DIGITS) > TEAM_GAP


def _finding(key: str, entry: tuple[float, int], team: float | None) -> _Finding | None:
    """Classify one criterion of an agent, after checking its input."""
    average = _in_range(entry[0], MIN_POINT, MAX_POINT, f"the average of {key!r}")
    count = entry[1]
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"the evaluation count of {key!r} must be a whole number >= 0")
    if team is not None:
        team = _in_range(team, MIN_POINT, MAX_POINT, f"the team average of {key!r}")
    if count < MIN_SCORED_EVALUATIONS:
        return None
    if _is_development_area(average, team):
        return "development"
    return "strength" if round(average, _COMPARE_DIGITS) >= STRENGTH_MIN_AVERAGE else None


def strengths_and_development_areas(
    agent_avgs: Mapping[str, tuple[float, int]], team_avgs: Mapping[str, float]
) -> tuple[list[str], list[str]]:
    """Split an agent's criteria into strengths and development areas, in input order.

    agent_avgs maps criterion key -> (average 1-5, number of scored evaluations); criteria with
    fewer than 3 are neither. A criterion missing from team_avgs is judged on its own average.
    A criterion is never both: one at >= 4.0 but more than 0.5 below the team's average is a
    development area only, because the team shows that criterion can be done better.
    """
    found = {key: _finding(key, entry, team_avgs.get(key)) for key, entry in agent_avgs.items()}
    strengths = [key for key, finding in found.items() if finding == "strength"]
    development = [key for key, finding in found.items() if finding == "development"]
    return strengths, development


def csat_pct(answers: Iterable[int | None]) -> float | None:
    """Return CSAT: the percentage of 1-5 answers that are 4 or 5."""
    checked = _whole(answers, 1, 5, "CSAT answers")
    return _share_pct(sum(answer >= 4 for answer in checked), len(checked))


def nps(answers: Iterable[int | None]) -> float | None:
    """Return NPS: % promoters (9-10) minus % detractors (0-6) of 0-10 answers."""
    checked = _whole(answers, 0, 10, "NPS answers")
    promoters = sum(answer >= 9 for answer in checked)
    detractors = sum(answer <= 6 for answer in checked)
    return _share_pct(promoters - detractors, len(checked))


def ces(answers: Iterable[int | None]) -> float | None:
    """Return CES: the mean of 1-7 answers."""
    return _mean(_whole(answers, 1, 7, "CES answers"))


def fcr_pct(flags: Iterable[bool | None]) -> float | None:
    """Return FCR: resolved at first contact as a percentage of interactions with a known answer."""
    known: list[bool] = []
    for flag in flags:
        if flag is not None and not isinstance(flag, bool):
            raise ValueError(f"first-contact-resolved must be True, False or None, got {flag!r}")
        if flag is not None:
            known.append(flag)
    return _share_pct(sum(known), len(known))


def aht(seconds: Iterable[float | None]) -> float | None:
    """Return AHT: the mean handle time in seconds, unknown times left out."""
    return _mean([_in_range(s, 0.0, math.inf, "a handle time") for s in seconds if s is not None])
