"""The reports' seeded organisation with transcripts, recordings, Auto QA evidence and signals."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from qa_app.autoqa.models import AutoResult, AutoSuggestion
from qa_app.extensions import db
from qa_app.interactions.models import Interaction, InteractionSignal, SignalKind
from qa_app.rules import Outcome
from tests.reports.conftest import World, world  # noqa: F401  (the fixtures, for these tests)
from tests.reports.raw import download
from tests.results.conftest import seed_through_hooks, seeded  # noqa: F401

CSRF = re.compile(r'name="csrf_token" value="[^"]*"')  # a new token on every page
SECRET = "my card number is 4111"
RECORDING = "https://recordings.test/call"
PHRASE = {"kind": "phrase", "turn": 0, "start": 0, "end": 7, "text": "my card"}
MEASURE = {"kind": "measurement", "name": "csat", "value": 5.0, "unit": "1-5", "turn": None}


@dataclass
class Spoken:
    world: World
    ids: list[int]  # every interaction, oldest first


def _speak(interaction: Interaction, n: int) -> None:
    interaction.transcript_text = f"{SECRET} ({n})"
    interaction.transcript_turns = [{"speaker": "Customer", "text": SECRET}]
    interaction.recording_url = f"{RECORDING}/{n}"
    interaction.customer_ref = f"CUST-{n % 4}"
    result = AutoResult(interaction_id=interaction.id, scorecard_version_id=_version(interaction))
    result.suggestions = [
        AutoSuggestion(
            criterion_id=_criterion(result),
            outcome=Outcome.POINT,
            point=4,
            evidence=[PHRASE, MEASURE],
        )
    ]
    db.session.add(result)
    detail = {"phrase": "card", "turn": 0, "start": 3, "end": 7}
    db.session.add(
        InteractionSignal(interaction_id=interaction.id, kind=SignalKind.ESCALATION, detail=detail)
    )


def _version(interaction: Interaction) -> int:
    from qa_app.evaluations.models import Evaluation

    stmt = sa.select(Evaluation.scorecard_version_id).where(
        Evaluation.interaction_id == interaction.id
    )
    return db.session.scalars(stmt).first()


def _criterion(result: AutoResult) -> int:
    from qa_app.scorecards.models import Criterion

    stmt = sa.select(Criterion.id).where(
        Criterion.scorecard_version_id == result.scorecard_version_id
    )
    return db.session.scalars(stmt.order_by(Criterion.id)).first()


@pytest.fixture
def spoken(app: Flask, world: World) -> Spoken:  # noqa: F811
    with app.app_context():
        rows = list(db.session.scalars(sa.select(Interaction).order_by(Interaction.occurred_at)))
        for n, interaction in enumerate(rows):
            _speak(interaction, n)
        db.session.commit()
        return Spoken(world, [row.id for row in rows])


def snapshot(client: Any, seen: World) -> dict[str, Any]:
    """What the results pages and the Excel reports show, to compare before and after."""
    period = "?from=2026-09-01&to=2026-12-31"
    team_id, agent_id = seen.seeded.team_ids[0], seen.agent_id
    pages = {
        url: CSRF.sub("", client.get(url).get_data(as_text=True))
        for url in (
            f"/results/teams/{team_id}{period}",
            f"/results/agents/{agent_id}{period}",
        )
    }
    books = {}
    for url in (
        f"/reports/teams/{team_id}.xlsx{period}",
        f"/reports/agents/{agent_id}.xlsx{period}",
    ):
        book, _ = download(client, url)
        books[url] = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    return {"pages": pages, "books": books}


def counts(app: Flask) -> dict[str, int]:
    """Rows of every table that holds scores, comments or results, and what still holds text."""
    with app.app_context():
        tables = (
            "interactions",
            "evaluations",
            "evaluation_scores",
            "auto_results",
            "auto_suggestions",
            "interaction_signals",
            "disputes",
            "action_plans",
        )
        found = {
            name: db.session.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
            for name in tables
        }
        held = sa.select(sa.func.count()).where(Interaction.transcript_text.is_not(None))
        found["with_transcript"] = db.session.scalar(held)
        return found


Counter = Callable[[Flask], dict[str, int]]
