"""When result pages are rendered ahead (qa_app/results/warming.py): a committed write that stamps
a change mark, or changes a team, schedules one run on the queue, however many follow before it
runs; a write that stamps nothing, a rolled-back one, or a queue that fails schedules nothing
and costs the write nothing."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pytest

from qa_app.accounts.models import Role, User
from qa_app.extensions import db
from qa_app.results.warming import DUE, STALE_SECONDS, TASK


@pytest.fixture
def config_overrides(tmp_path: Path) -> dict[str, Any]:
    """A real queue in a SQLite file, as beside a worker; runs due five seconds after a write."""
    return {
        "JOBS_IMMEDIATE": False,
        "JOBS_QUEUE_FILE": str(tmp_path / "queue.db"),
        "RESULTS_WARM_SECONDS": 5,
    }


def _rename(app, user_id: int, name: str, commit: bool = True) -> None:
    """A write every result page may show (a person's name): it stamps `everyone`."""
    with app.app_context():
        db.session.get(User, user_id).display_name = name
        if commit:
            db.session.commit()
        else:
            db.session.flush()
            db.session.rollback()


def _due(app) -> int:
    return int(app.extensions["huey"].pending_count())


def test_a_burst_of_writes_schedules_one_run_and_the_run_takes_the_mark(app, make_user):
    agent = make_user(Role.AGENT)
    assert _due(app) == 0
    _rename(app, agent.id, "First")
    assert _due(app) == 1
    _rename(app, agent.id, "Second")
    _rename(app, agent.id, "Third")
    assert _due(app) == 1
    huey = app.extensions["huey"]
    task = huey.dequeue()
    assert task.name == "warm_results" and task.eta is not None
    huey.execute(task, timestamp=task.eta)  # as the consumer does once it is due
    assert huey.get(DUE, peek=True) is None  # taken by the run
    _rename(app, agent.id, "Fourth")  # a write after the run: the next run
    assert _due(app) == 1


def test_writes_that_stamp_nothing_schedule_nothing(app, make_user):
    agent = make_user(Role.AGENT)
    _rename(app, agent.id, "Rolled back", commit=False)
    with app.app_context():
        db.session.get(User, agent.id).password_hash = "changed"  # no page shows it
        db.session.commit()
    assert _due(app) == 0
    app.config["RESULTS_WARM_SECONDS"] = 0  # off
    _rename(app, agent.id, "Renamed")
    assert _due(app) == 0


def test_a_team_renamed_or_given_an_agent_schedules_a_run(app, make_user, make_team):
    from qa_app.accounts.models import Team
    from qa_app.accounts.services import save_team

    agent, team_id = make_user(Role.AGENT), make_team("Billing").id
    huey = app.extensions["huey"]
    assert _due(app) == 1  # a team made
    huey.flush()
    for change in ("name", "members"):
        with app.app_context():
            team = db.session.get(Team, team_id)
            if change == "name":
                save_team(team, name="Invoices", lead=None, agents=list(team.agents))
            else:
                save_team(team, name=team.name, lead=None, agents=[db.session.get(User, agent.id)])
            db.session.commit()
        assert _due(app) == 1, change
        huey.flush()  # the run and its mark gone, as after a run


def test_a_due_mark_left_by_a_lost_run_is_replaced(app, make_user):
    agent = make_user(Role.AGENT)
    huey = app.extensions["huey"]
    huey.put(DUE, time.time() - STALE_SECONDS - 1)
    _rename(app, agent.id, "Renamed")
    assert _due(app) == 1
    assert time.time() - huey.get(DUE, peek=True) < 60


def test_a_queue_that_fails_costs_the_write_nothing(app, make_user, monkeypatch, caplog):
    agent = make_user(Role.AGENT)
    huey = app.extensions["huey"]

    def broken(*_args: Any, **_kwargs: Any) -> bool:
        raise OSError("the queue's disk is full")

    monkeypatch.setattr(huey, "put_if_empty", broken)
    with caplog.at_level(logging.WARNING, logger="qa_app.results.warming"):
        _rename(app, agent.id, "Renamed")
    with app.app_context():
        assert db.session.get(User, agent.id).display_name == "Renamed"
    assert "the queue failed" in caplog.text
    assert TASK in app.extensions and _due(app) == 0
