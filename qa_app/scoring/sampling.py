"""Sampling rules: which interactions a plan draws each period, and which reviewer gets each one.

Pure and reproducible: the same seed and the same candidates give the same draw on every machine.
"""

from __future__ import annotations

import calendar
import hashlib
import math
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

WEEK = "week"
MONTH = "month"
NOUNS = {"call": "call", "chat": "chat", "email": "email", None: "interaction"}


def period_bounds(day: date, period: str) -> tuple[date, date]:
    """The first and last day of the week (Monday to Sunday) or month that contains the day."""
    if period == MONTH:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def derive_seed(*parts: object) -> int:
    """A 63-bit seed made from the parts, the same on every machine and Python version."""
    text = ":".join(str(part) for part in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") >> 1


def run_seed(plan_seed: int, plan_id: int, period_start: date) -> int:
    """The seed of one plan's draw for one period."""
    return derive_seed(plan_seed, plan_id, period_start.isoformat())


def draw(candidates: Iterable[int], count: int, rng: Random) -> list[int]:
    """Up to count ids drawn uniformly without replacement, independent of the input order."""
    pool = sorted(set(candidates))
    if count >= len(pool):
        return pool
    return sorted(rng.sample(pool, count))


@dataclass(frozen=True)
class Candidate:
    interaction_id: int
    agent_id: int
    channel: str


@dataclass(frozen=True)
class Shortfall:
    """An agent who got fewer interactions than the quota, and the numbers that explain why."""

    agent_id: int
    channel: str | None  # None: the quota covers every channel
    wanted: int
    drawn: int
    in_period: int  # interactions in the period, evaluated or not (targeted: with a signal)
    targeted: bool = False  # the part drawn by signals fell short

    @property
    def missing(self) -> int:
        return self.wanted - self.drawn

    @property
    def reason(self) -> str:
        noun = NOUNS.get(self.channel, self.channel or "interaction")
        if self.targeted:
            noun = "signalled interaction"
        if self.in_period == 0:
            return f"no {noun}s in the period"
        counted = f"{self.in_period} {noun}{'' if self.in_period == 1 else 's'}"
        if self.drawn == self.in_period:
            return f"only {counted} in the period"
        if self.drawn == 0:
            return f"{counted} in the period, all already evaluated or assigned"
        return f"{counted} in the period, only {self.drawn} not yet evaluated or assigned"


def draw_sample(
    seed: int,
    agents: Iterable[int],
    quota: Mapping[str | None, int],
    eligible: Iterable[Candidate],
    in_period: Mapping[tuple[int, str], int],
) -> tuple[list[Candidate], list[Shortfall]]:
    """Per agent and quota channel (None: any), a seeded uniform draw; and who fell short."""
    pools: dict[tuple[int, str | None], dict[int, Candidate]] = defaultdict(dict)
    for candidate in eligible:
        for key in ((candidate.agent_id, candidate.channel), (candidate.agent_id, None)):
            pools[key][candidate.interaction_id] = candidate
    picks: list[Candidate] = []
    shortfalls: list[Shortfall] = []
    for agent in sorted(set(agents)):
        for channel in sorted(quota, key=lambda c: c or ""):
            wanted, pool = quota[channel], pools.get((agent, channel), {})
            rng = Random(derive_seed(seed, agent, channel or "*"))
            chosen = draw(pool.keys(), wanted, rng)
            picks += [pool[i] for i in chosen]
            if len(chosen) < wanted:
                total = sum(
                    n for (a, c), n in in_period.items() if a == agent and channel in (None, c)
                )
                shortfalls.append(Shortfall(agent, channel, wanted, len(chosen), total))
    return picks, shortfalls


def weighted_draw(weights: Mapping[int, float], count: int, rng: Random) -> list[int]:
    """Up to count ids drawn without replacement, each the likelier the higher its weight.

    Efraimidis and Spirakis, "Weighted random sampling with a reservoir" (Information Processing
    Letters 97(5), 2006), algorithm A-Res: each id gets the key u ** (1 / w) for a uniform u in
    (0, 1], and the ids with the largest keys are drawn; compared as log(u) / w to stay exact for
    large weights. Ids of weight <= 0 are never drawn. Keys follow the sorted ids, so the input
    order does not matter.
    """
    keys = {}
    for interaction_id in sorted(weights):
        u = 1.0 - rng.random()  # in (0, 1]: log is defined
        if weights[interaction_id] > 0:
            keys[interaction_id] = math.log(u) / weights[interaction_id]
    ranked = sorted(keys, key=lambda i: (-keys[i], i))
    return sorted(ranked[:count])


def draw_targeted(
    seed: int,
    agents: Iterable[int],
    count: int,
    signals: Mapping[int, tuple[int, Sequence[str]]],
    weights: Mapping[str, float],
    free: Iterable[int],
) -> tuple[list[int], list[Shortfall]]:
    """Per agent, count of the free interactions by their signals' total weight; who fell short.

    `signals` maps each interaction of the period with a weighted signal to its agent and kinds.
    """
    weighted: dict[int, dict[int, float]] = defaultdict(dict)
    for interaction_id in set(free) & set(signals):
        agent, kinds = signals[interaction_id]
        weighted[agent][interaction_id] = sum(weights.get(kind, 0) for kind in kinds)
    in_period = Counter(agent for agent, _kinds in signals.values())
    picks: list[int] = []
    shortfalls: list[Shortfall] = []
    for agent in sorted(set(agents)) if count > 0 else ():
        rng = Random(derive_seed(seed, agent, "targeted"))
        chosen = weighted_draw(weighted.get(agent, {}), count, rng)
        picks += chosen
        if len(chosen) < count:
            found = in_period.get(agent, 0)
            shortfalls.append(Shortfall(agent, None, count, len(chosen), found, targeted=True))
    return picks, shortfalls


def heaviest_first(
    kinds: Iterable[str], weights: Mapping[str, float], order: Sequence[str]
) -> list[str]:
    """Signal kinds by weight, the heaviest first, ties in the given order."""
    rank = {kind: n for n, kind in enumerate(order)}
    return sorted(kinds, key=lambda kind: (-weights.get(kind, 0), rank.get(kind, len(rank)), kind))


def spread(picks: Sequence[Candidate], reviewers: Iterable[int], rng: Random) -> dict[int, int]:
    """Interaction id -> reviewer: never the agent who handled it, loads as even as that allows.

    When loads that differ by at most one are possible at all, they are what comes out.
    """
    pool = sorted(set(reviewers))
    for pick in picks:
        if not any(r != pick.agent_id for r in pool):
            raise ValueError(f"interaction {pick.interaction_id} has no reviewer but its own agent")
    owner = _greedy(picks, pool, rng)
    agent_of = {p.interaction_id: p.agent_id for p in picks}
    while (moves := _improving_path(owner, agent_of, pool)) is not None:
        owner.update(moves)
    return owner


def _greedy(picks: Sequence[Candidate], pool: list[int], rng: Random) -> dict[int, int]:
    """A first assignment: the most constrained picks first, each to the least loaded reviewer."""
    own: dict[int, list[Candidate]] = defaultdict(list)
    free: list[Candidate] = []
    for pick in sorted(picks, key=lambda p: p.interaction_id):
        (own[pick.agent_id] if pick.agent_id in pool else free).append(pick)
    order: list[Candidate] = []
    for reviewer in sorted(own, key=lambda r: (-len(own[r]), r)):
        group = own[reviewer]
        rng.shuffle(group)
        order += group
    rng.shuffle(free)
    priority = {r: rng.random() for r in pool}
    loads = dict.fromkeys(pool, 0)
    owner: dict[int, int] = {}
    for pick in order + free:
        allowed = [r for r in pool if r != pick.agent_id]
        best = min(allowed, key=lambda r: (loads[r], -len(own.get(r, ())), priority[r]))
        loads[best] += 1
        owner[pick.interaction_id] = best
    return owner


def _improving_path(
    owner: Mapping[int, int], agent_of: Mapping[int, int], pool: list[int]
) -> dict[int, int] | None:
    """Moves along a chain of reviewers that take one pick from a load L to a load <= L - 2."""
    held: dict[int, list[int]] = {r: [] for r in pool}
    for interaction_id in sorted(owner):
        held[owner[interaction_id]].append(interaction_id)
    for source in sorted(pool, key=lambda r: (-len(held[r]), r)):
        came: dict[int, tuple[int, int]] = {}  # reviewer -> (reviewer before, pick it receives)
        queue = deque([source])
        while queue:
            giver = queue.popleft()
            for taker in pool:
                if taker == source or taker in came:
                    continue
                pick = next((i for i in held[giver] if agent_of[i] != taker), None)
                if pick is None:
                    continue
                came[taker] = (giver, pick)
                if len(held[taker]) <= len(held[source]) - 2:
                    return _moves(came, taker, source)
                queue.append(taker)
    return None


def _moves(came: Mapping[int, tuple[int, int]], end: int, source: int) -> dict[int, int]:
    moves: dict[int, int] = {}
    taker = end
    while taker != source:
        giver, pick = came[taker]
        moves[pick] = taker
        taker = giver
    return moves
