"""`flask results check` compares in the database: a changed, missing or extra row is found."""

from __future__ import annotations

import random
from datetime import date

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Role, User
from qa_app.extensions import db
from qa_app.interactions.models import Channel
from qa_app.results.models import (
    AgentDayInteractionStats,
    AgentDayStats,
    AgentMonthCriterionStats,
    OrganisationDayStats,
    OrganisationWeekStats,
)
from qa_app.results.verify import compare_all
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from tests.results.conftest import evaluate


@pytest.fixture
def evaluated(app, make_user, make_interaction) -> int:
    """One submitted evaluation of one agent's call, its aggregates kept by the session hooks."""
    agent, reviewer = make_user(Role.AGENT), make_user(Role.REVIEWER)
    interaction = make_interaction(agent, channel=Channel.CALL, csat=5, handle_seconds=300)
    with app.app_context():
        version = import_doc(
            load_shipped_template(SHIPPED_DIR / "phone.yaml"), None, publish_now=True
        )
        interaction = db.session.merge(interaction)
        evaluate(interaction, version, db.session.get(User, reviewer.id), random.Random(1))
        db.session.commit()
    return agent.id


def _differences(samples: bool = False) -> dict[str, tuple[int, int]]:
    found = compare_all(db.session.connection())
    db.session.rollback()
    if samples:
        return {d.table: d.samples for d in found if d.rows}
    return {d.table: (d.kept_only, d.fresh_only) for d in found if d.rows}


def test_a_clean_database_matches_and_rounding_noise_is_no_difference(app, evaluated):
    with app.app_context():
        assert _differences() == {}
        row = db.session.scalar(sa.select(AgentDayStats))
        row.score_sum += 1e-9  # the same sum added in another order
        db.session.commit()
        assert _differences() == {}


def test_a_changed_missing_or_extra_row_is_found_with_its_key(app, evaluated, runner):
    with app.app_context():
        row = db.session.scalar(sa.select(AgentDayStats))
        row.score_sum += 0.01
        db.session.delete(db.session.scalar(sa.select(AgentDayInteractionStats)))
        extra = AgentDayInteractionStats(
            agent_id=evaluated, day=date(2020, 1, 1), channel="chat", week_start=date(2019, 12, 30)
        )
        extra.interactions = 1
        for name in ("csat_n", "csat_positive", "nps_n", "nps_promoters", "nps_detractors"):
            setattr(extra, name, 0)
        for name in ("ces_n", "ces_sum", "fcr_known", "fcr_resolved", "aht_n", "aht_sum"):
            setattr(extra, name, 0)
        db.session.add(extra)
        db.session.commit()
        # The rollups are summed from the daily rows: they disagree with the changed ones too.
        assert _differences() == {
            "agent_day_stats": (1, 1),
            "agent_day_interaction_stats": (1, 1),
            "agent_week_stats": (1, 1),
            "agent_month_stats": (1, 1),
            "agent_week_interaction_stats": (1, 1),
            "agent_month_interaction_stats": (1, 1),
            "organisation_week_stats": (1, 1),
            "organisation_day_stats": (1, 1),
        }
        keys = _differences(samples=True)["agent_day_interaction_stats"]
        assert keys == [  # the extra row kept, then the deleted one as computed
            {"agent_id": evaluated, "day": date(2020, 1, 1), "channel": "chat"},
            {"agent_id": evaluated, "day": date(2026, 3, 2), "channel": "call"},
        ]
    stale = runner.invoke(args=["results", "check"])
    assert stale.exit_code == 1
    assert "agent_day_stats: 2 rows differ" in stale.output
    assert f"agent_id={evaluated}, day=2020-01-01, channel=chat" in stale.output
    assert "differ from a fresh computation (16 rows)" in stale.output


def test_a_changed_rollup_row_is_found(app, evaluated):
    with app.app_context():
        row = db.session.scalar(sa.select(AgentMonthCriterionStats))
        row.value_sum += 1
        db.session.commit()
        assert _differences() == {"agent_month_criterion_stats": (1, 1)}


def test_a_changed_organisation_week_or_day_is_found(app, evaluated):
    with app.app_context():
        row = db.session.scalar(sa.select(OrganisationWeekStats))
        row.passed += 1
        db.session.commit()
        assert _differences() == {"organisation_week_stats": (1, 1)}
        row = db.session.scalar(sa.select(OrganisationWeekStats))
        row.passed -= 1
        day = db.session.scalar(sa.select(OrganisationDayStats))
        day.scored -= 1
        db.session.commit()
        assert _differences() == {"organisation_day_stats": (1, 1)}
