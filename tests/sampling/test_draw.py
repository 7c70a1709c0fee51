"""The pure sampling rules: periods, seeds, a uniform draw, shortfalls, an even spread."""

from __future__ import annotations

from collections import Counter
from datetime import date
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_app.scoring.sampling import (
    Candidate,
    Shortfall,
    derive_seed,
    draw,
    draw_sample,
    period_bounds,
    run_seed,
    spread,
)

DRAWS = 2_000
PINNED_SEED = 8946576310485414671  # a changed derivation would change every past draw
TOLERANCE = 0.04  # about 4.5 standard deviations of a 20 % frequency over 2,000 draws


def test_a_week_runs_monday_to_sunday_and_a_month_is_the_calendar_month():
    assert period_bounds(date(2026, 3, 4), "week") == (date(2026, 3, 2), date(2026, 3, 8))
    assert period_bounds(date(2026, 3, 8), "week") == (date(2026, 3, 2), date(2026, 3, 8))
    assert period_bounds(date(2028, 2, 10), "month") == (date(2028, 2, 1), date(2028, 2, 29))


def test_the_run_seed_depends_on_plan_seed_plan_and_period_and_on_nothing_else():
    seed = run_seed(7, 3, date(2026, 3, 2))
    assert seed == run_seed(7, 3, date(2026, 3, 2))
    assert 0 <= seed < 2**63  # fits a signed 64-bit column
    others = {run_seed(8, 3, date(2026, 3, 2)), run_seed(7, 4, date(2026, 3, 2))}
    others.add(run_seed(7, 3, date(2026, 3, 9)))
    assert seed not in others and len(others) == 3
    # sha256 of "7:3:2026-03-02", not Python's hash(): the same on every machine and every run.
    assert seed == PINNED_SEED


def test_the_draw_does_not_depend_on_the_order_the_candidates_come_in():
    ids = list(range(100, 140))
    shuffled = ids[:]
    Random(5).shuffle(shuffled)
    assert draw(ids, 5, Random(42)) == draw(shuffled, 5, Random(42))
    assert draw(ids, 50, Random(42)) == ids  # fewer candidates than wanted: all of them


def frequencies(sampler, draws: int = DRAWS, pool: int = 10, count: int = 2) -> dict[int, float]:
    """How often each candidate was drawn, over draws with seeds 0..draws-1."""
    seen: Counter[int] = Counter()
    for seed in range(draws):
        picked = sampler(range(pool), count, Random(derive_seed("stat", seed)))
        assert len(set(picked)) == count
        seen.update(picked)
    return {item: seen[item] / draws for item in range(pool)}


def is_uniform(freqs: dict[int, float], expected: float) -> bool:
    return all(abs(f - expected) <= TOLERANCE for f in freqs.values())


def chi_square(freqs: dict[int, float], expected: float, draws: int = DRAWS) -> float:
    return sum((f * draws - expected * draws) ** 2 / (expected * draws) for f in freqs.values())


# The 0.999 quantile of the chi-square distribution with 9 degrees of freedom.
CHI2_9_999 = 27.88


def test_every_eligible_interaction_is_drawn_about_equally_often():
    freqs = frequencies(draw)
    assert is_uniform(freqs, 0.2), freqs
    assert chi_square(freqs, 0.2) < CHI2_9_999


def _first_two(candidates, count, rng):
    return sorted(candidates)[:count]


def _never_the_last(candidates, count, rng):
    return rng.sample(sorted(candidates)[:-1], count)


def _prefers_low_ids(candidates, count, rng):
    pool = sorted(candidates)
    chosen: list[int] = []
    while len(chosen) < count:
        pick = rng.choices(pool, weights=[2 if i < 5 else 1 for i in pool])[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


@pytest.mark.parametrize("sampler", [_first_two, _never_the_last, _prefers_low_ids])
def test_the_uniformity_check_catches_a_biased_sampler(sampler):
    freqs = frequencies(sampler)
    assert not is_uniform(freqs, 0.2)
    assert chi_square(freqs, 0.2) > CHI2_9_999


def _candidates(counts: dict[tuple[int, str], int]) -> list[Candidate]:
    found, next_id = [], 1
    for (agent, channel), n in counts.items():
        for _ in range(n):
            found.append(Candidate(next_id, agent, channel))
            next_id += 1
    return found


def test_a_plan_draw_takes_the_quota_per_agent_and_lists_who_fell_short():
    eligible = _candidates({(1, "call"): 5, (2, "chat"): 1, (4, "call"): 1})
    in_period = {(1, "call"): 6, (2, "chat"): 1, (4, "call"): 3}
    picks, short = draw_sample(99, [1, 2, 3, 4], {None: 2}, eligible, in_period)
    assert Counter(p.agent_id for p in picks) == {1: 2, 2: 1, 4: 1}
    assert short == [
        Shortfall(2, None, 2, 1, 1),
        Shortfall(3, None, 2, 0, 0),
        Shortfall(4, None, 2, 1, 3),
    ]
    assert [s.reason for s in short] == [
        "only 1 interaction in the period",
        "no interactions in the period",
        "3 interactions in the period, only 1 not yet evaluated or assigned",
    ]
    assert [s.missing for s in short] == [1, 2, 1]


def test_a_per_channel_quota_draws_each_channel_on_its_own():
    eligible = _candidates({(1, "call"): 4, (1, "chat"): 1, (1, "email"): 3})
    in_period = {(1, "call"): 4, (1, "chat"): 1, (1, "email"): 3}
    picks, short = draw_sample(5, [1], {"call": 2, "chat": 1}, eligible, in_period)
    assert Counter(p.channel for p in picks) == {"call": 2, "chat": 1}
    assert short == []
    picks, short = draw_sample(5, [1], {"call": 2, "chat": 2}, eligible, in_period)
    assert [(s.channel, s.missing, s.reason) for s in short] == [
        ("chat", 1, "only 1 chat in the period")
    ]


def test_the_same_seed_gives_the_same_plan_draw_and_another_seed_another():
    eligible = _candidates({(agent, "call"): 20 for agent in range(1, 6)})
    first, _ = draw_sample(1, range(1, 6), {None: 3}, eligible, {})
    assert first == draw_sample(1, range(1, 6), {None: 3}, list(reversed(eligible)), {})[0]
    assert first != draw_sample(2, range(1, 6), {None: 3}, eligible, {})[0]


def loads(owner: dict[int, int], reviewers: list[int]) -> list[int]:
    counted = Counter(owner.values())
    return [counted[r] for r in reviewers]


@given(
    picks=st.integers(min_value=0, max_value=60),
    reviewers=st.integers(min_value=1, max_value=9),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_loads_differ_by_at_most_one(picks, reviewers, seed):
    items = [Candidate(i, 1000 + i % 7, "call") for i in range(picks)]
    pool = list(range(1, reviewers + 1))
    owner = spread(items, pool, Random(seed))
    assert set(owner) == {c.interaction_id for c in items}
    counts = loads(owner, pool)
    assert max(counts) - min(counts) <= 1


def balanced_is_possible(items: list[Candidate], pool: list[int]) -> bool:
    """Loads within one of each other are possible iff, with the extra picks going to the reviewers
    with the fewest own interactions, nobody must take more than what is not their own."""
    own = Counter(c.agent_id for c in items)
    base, extra = divmod(len(items), len(pool))
    ordered = sorted(pool, key=lambda r: own[r])
    return all(
        base + (1 if rank < extra else 0) <= len(items) - own[r] for rank, r in enumerate(ordered)
    )


@given(
    agents=st.lists(st.integers(min_value=1, max_value=6), max_size=40),
    reviewers=st.integers(min_value=2, max_value=5),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_no_reviewer_gets_their_own_interaction_and_loads_are_even_when_possible(
    agents, reviewers, seed
):
    items = [Candidate(i, agent, "chat") for i, agent in enumerate(agents)]
    pool = list(range(1, reviewers + 1))  # reviewers 1..n handled some of the interactions
    owner = spread(items, pool, Random(seed))
    assert all(owner[c.interaction_id] != c.agent_id for c in items)
    if balanced_is_possible(items, pool):
        counts = loads(owner, pool)
        assert max(counts) - min(counts) <= 1


def test_a_cycle_of_own_interactions_is_still_spread_evenly():
    items = [Candidate(1, 1, "call"), Candidate(2, 2, "call"), Candidate(3, 3, "call")]
    for seed in range(20):
        owner = spread(items, [1, 2, 3], Random(seed))
        assert sorted(owner.values()) == [1, 2, 3]
        assert all(owner[c.interaction_id] != c.agent_id for c in items)


def test_an_interaction_only_its_own_agent_could_review_is_refused():
    with pytest.raises(ValueError, match="no reviewer but its own agent"):
        spread([Candidate(1, 7, "call")], [7], Random(0))
