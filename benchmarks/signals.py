"""Time signal detection (pure) and the interaction list filtered by a signal (SQLite).

    .venv/bin/python benchmarks/signals.py [--interactions N] [--list-interactions N]

(a) Generates N interactions in memory (chats, emails and calls of 12 timed turns, English and
Hungarian, metrics, an auto result, a handle-time baseline, a previous contact on some and two
earlier evaluations), then runs two passes over the same seeds: a bare pass that only builds the
inputs (turns, metrics, facts), and the real pass that builds them and runs ``detect`` with the
shipped escalation lists. Prints interactions per second for both.

(b) Builds a SQLite file of N interactions (200 agents, a year) with their signals (core bulk
inserts), then times the first page of the interaction list as an admin, unfiltered and filtered
by a common and a rare signal: the median server time of several requests after a warm-up.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from config import TestingConfig  # noqa: E402
from qa_app import create_app  # noqa: E402
from qa_app.accounts.models import Role, User  # noqa: E402
from qa_app.extensions import db  # noqa: E402
from qa_app.interactions.models import Interaction, InteractionSignal  # noqa: E402
from qa_app.rules import Interaction as Engine  # noqa: E402
from qa_app.rules import Metrics, Speaker, Turn  # noqa: E402
from qa_app.signal_rules import (  # noqa: E402
    AutoFacts,
    EarlierEvaluation,
    Facts,
    HandleBaseline,
    compile_escalation,
    detect,
)
from qa_app.signal_rules.escalation import DEFAULT_PHRASES  # noqa: E402

RUNS = 7
BATCH = 5000
START = datetime(2025, 12, 1, 8, 0, tzinfo=UTC)
SENTENCES = {
    "en": [
        "My card was charged twice this month",
        "I have been waiting for the refund since Monday",
        "Could you check the order number please",
        "The parcel never arrived at my address",
        "Thanks that helps a lot",
        "I want to cancel my subscription",
        "This is unacceptable I will file a complaint",
        "Let me check that for you right away",
        "Is there anything else I can help with",
    ],
    "hu": [
        "Kétszer vonták le a díjat a kártyámról",
        "Hétfő óta várok a visszatérítésre",
        "Megnézné a rendelés számát kérem",
        "A csomag nem érkezett meg a címemre",
        "Köszönöm ez sokat segít",
        "Felmondanám az előfizetésemet",
        "Ez elfogadhatatlan panaszt teszek",
        "Máris megnézem önnek",
        "Segíthetek még valamiben",
    ],
}
KEYS = [f"1:c{n}" for n in range(10)]


NAMES = ["".join(random.Random(n).choices("abcdefghijklmnopqrstuvwxyz", k=7)) for n in range(300)]


def _text(rng: random.Random, language: str) -> str:
    """A sentence of the pool; some carry an order number (new each time) or a name (of 300)."""
    pool = SENTENCES[language]
    # Escalation sentences (indexes 5 and 6) are rare: most conversations are calm.
    text = pool[rng.choice(CALM if rng.random() < 0.97 else (5, 6))]
    draw = rng.random()
    if draw < 0.3:
        text += f" #{rng.randrange(10**8)}"
    elif draw < 0.4:
        text += f" {rng.choice(NAMES)}"
    return text


CALM = (0, 1, 2, 3, 4, 7, 8)


def _facts(seed: int) -> Facts:
    rng = random.Random(seed)
    channel = rng.choice(("chat", "chat", "email", "call"))
    language = rng.choice(("en", "hu"))
    step = 400.0 if channel != "email" else 100_000.0
    times = accumulate(rng.random() * step for _ in range(12))
    turns = tuple(
        Turn(Speaker.AGENT if n % 2 else Speaker.CUSTOMER, _text(rng, language), at)
        for n, at in enumerate(times)
    )
    metrics = Metrics(
        handle_seconds=rng.randint(60, 1500),
        csat=rng.choice((None, 1, 2, 3, 4, 5)),
        nps=rng.choice((None, 3, 7, 9, 10)),
        ces=rng.choice((None, 2, 4, 6)),
        first_contact_resolved=rng.choice((None, True, False)),
    )
    points = {key: rng.choice((1, 2, 3, 4, 5, 5)) for key in KEYS}
    auto = AutoFacts(rng.uniform(50, 100), 80.0, rng.random() < 0.05, points)
    earlier = (
        EarlierEvaluation(seed, frozenset(rng.sample(KEYS, 2)), frozenset(rng.sample(KEYS, 1))),
        EarlierEvaluation(seed + 1, frozenset(rng.sample(KEYS, 1))),
    )
    return Facts(
        Engine(channel, language, turns, metrics),
        auto=auto,
        baseline=HandleBaseline(rng.uniform(600, 1200), rng.randint(10, 60)),
        previous_contact=seed - 1 if rng.random() < 0.1 else None,
        earlier=earlier,
    )


def measure_pure(count: int) -> None:
    phrases, problems = compile_escalation(DEFAULT_PHRASES)
    assert not problems, problems
    began = time.perf_counter()
    for seed in range(count):
        _facts(seed)
    bare = time.perf_counter() - began
    began, found = time.perf_counter(), 0
    for seed in range(count):
        found += len(detect(_facts(seed), phrases))
    real = time.perf_counter() - began
    print(
        f"(a) pure, {count:,} interactions of 12 turns: build + detect {count / real:,.0f}/s "
        f"({real:.1f} s, {found:,} signals) | bare pass (build the inputs only) "
        f"{count / bare:,.0f}/s ({bare:.1f} s) | detection alone {count / (real - bare):,.0f}/s"
    )


def _rows(count: int, agent_ids: list[int]) -> Iterator[tuple[dict[str, Any], list[dict]]]:
    rng, now = random.Random(2026), datetime.now(UTC)
    kinds = [("low_csat", 0.15), ("not_resolved", 0.2), ("long_handle", 0.1), ("escalation", 0.01)]
    for n in range(1, count + 1):
        row = dict(
            id=n,
            external_id=f"S-{n}",
            channel=rng.choice(["call", "chat", "email"]),
            agent_id=agent_ids[n % len(agent_ids)],
            occurred_at=START + timedelta(seconds=rng.randrange(365 * 86400)),
            csat=rng.choice([None, 1, 3, 4, 5]),
            handle_seconds=rng.randint(30, 1200),
            created_at=now,
        )
        signals = [
            dict(interaction_id=n, kind=kind, figure=1.0, detail=None, computed_at=now)
            for kind, share in kinds
            if rng.random() < share
        ]
        yield row, signals


def build(count: int) -> int:
    now = datetime.now(UTC)
    people = [
        dict(email=f"a{n}@bench.example.com", display_name=f"Agent {n}", role=Role.AGENT)
        for n in range(200)
    ] + [dict(email="admin@bench.example.com", display_name="Admin", role=Role.ADMIN)]
    for person in people:
        person.update(password_hash="x", is_active=True, session_version=1, created_at=now)
        person.update(password_changed_at=now)
    db.session.execute(sa.insert(User.__table__), people)
    ids = dict(db.session.execute(sa.select(User.email, User.id)).all())
    agents = [ids[f"a{n}@bench.example.com"] for n in range(200)]
    interactions, signals = [], []
    for row, found in _rows(count, agents):
        interactions.append(row)
        signals += found
        if len(interactions) == BATCH:
            db.session.execute(sa.insert(Interaction.__table__), interactions)
            db.session.execute(sa.insert(InteractionSignal.__table__), signals)
            interactions, signals = [], []
    if interactions:
        db.session.execute(sa.insert(Interaction.__table__), interactions)
    if signals:
        db.session.execute(sa.insert(InteractionSignal.__table__), signals)
    db.session.commit()
    return ids["admin@bench.example.com"]


def _median_ms(client, path: str) -> float:
    assert client.get(path).status_code == 200  # warm-up
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        response = client.get(path)
        response.get_data()
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    return statistics.median(timings)


def measure_list(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        app = create_app(type("Bench", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
        with app.app_context():
            db.create_all()
            began = time.perf_counter()
            admin_id = build(count)
            stored = db.session.scalar(sa.select(sa.func.count(InteractionSignal.id)))
            key = db.session.get(User, admin_id).get_id()
            db.session.remove()
        print(
            f"(b) SQLite, {count:,} interactions, {stored:,} signals, 200 agents, a year; "
            f"built in {time.perf_counter() - began:.1f} s"
        )
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = key, True
        plain = _median_ms(client, "/interactions")
        print(f"    unfiltered list, first page: {plain:6.1f} ms")
        for kind, share in (("low_csat", "15 %"), ("escalation", "1 %")):
            took = _median_ms(client, f"/interactions?signal={kind}")
            print(f"    filtered by {kind} ({share} of interactions): {took:6.1f} ms")
        took = _median_ms(client, "/interactions?signal=escalation&page=10")
        print(f"    filtered by escalation, page 10: {took:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=100_000)
    parser.add_argument("--list-interactions", type=int, default=100_000)
    args = parser.parse_args()
    measure_pure(args.interactions)
    measure_list(args.list_interactions)


if __name__ == "__main__":
    main()
