"""The kept fixtures (tests/snapshots.py) put back exactly the rows their builder made."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import sqlalchemy as sa

from qa_app.accounts.models import Role, User
from qa_app.evaluations import services
from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from tests.conftest import _wipe
from tests.snapshots import kept


def _rows() -> dict[str, list[tuple[object, ...]]]:
    found = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows = [tuple(row) for row in db.session.execute(sa.select(table).order_by(*order))]
        if rows:
            found[table.name] = rows
    db.session.rollback()
    return found


def test_a_kept_fixture_comes_back_with_the_same_rows_ids_and_counters(
    app, make_user, make_team, make_interaction, made
):
    calls = []

    def build() -> dict[str, int]:
        calls.append(1)
        lead = make_user(Role.LEAD)
        team = make_team("North", lead=lead)
        agent = make_user(Role.AGENT, team=team)
        reviewer = make_user(Role.REVIEWER)
        interaction = make_interaction(agent)
        with app.app_context():
            version = import_doc(
                load_shipped_template(SHIPPED_DIR / "chat.yaml"), None, publish_now=True
            )
            evaluation = services.start(
                db.session.get(Interaction, interaction.id),
                version,
                db.session.get(User, reviewer.id),
            )
            values = {c.id: services.CriterionInput(4, False, "") for c in version.ordered_criteria}
            data = services.EvaluationInput(values, "", "")
            services.save(evaluation, data, evaluation.reviewer, submit=True, lock_version=None)
            db.session.commit()
            return {"agent_id": agent.id, "evaluation_id": evaluation.id}

    name = f"probe-{uuid.uuid4().hex}"  # a name of its own: this test builds it first
    built = kept(app, name, build, made, {})
    with app.app_context():
        rows = _rows()
    counters = dict(made)
    assert "agent_day_stats" in rows and "team_day_stats" in rows  # the session hook ran

    _wipe(app)
    made.update(user=0, interaction=0)
    again = kept(app, name, build, made, {})
    with app.app_context():
        assert _rows() == rows
    assert again == built and again is not built
    assert made == counters
    assert len(calls) == 1
    # A later user gets the next number, as after a build.
    assert make_user(Role.AGENT).email == f"agent{counters['user'] + 1}@example.com"


def _counted_reviewer(make_user) -> tuple[Callable[[], int], list[int]]:
    """A builder that makes one reviewer, and the list it adds to on each build."""
    calls: list[int] = []

    def build() -> int:
        calls.append(1)
        return make_user(Role.REVIEWER).id

    return build, calls


def test_a_database_with_rows_or_other_settings_builds_as_usual(app, make_user, made):
    build, calls = _counted_reviewer(make_user)
    name = f"probe-{uuid.uuid4().hex}"
    kept(app, name, build, made, {"SOME_SETTING": True})  # other settings: built, not kept
    kept(app, name, build, made, {})  # rows there already: built, not copied back
    assert len(calls) == 2
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2
    _wipe(app)
    kept(app, name, build, made, {})  # nothing was kept: built again (and kept now)
    assert len(calls) == 3


def test_settings_no_builder_reads_still_get_the_copy(app, make_user, made):
    build, calls = _counted_reviewer(make_user)
    name = f"probe-{uuid.uuid4().hex}"
    first = kept(app, name, build, made, {})
    _wipe(app)
    neutral = {"JOB_FILES_DIR": "/elsewhere", "REPORT_JOB_THRESHOLD_EVALUATIONS": 0}
    assert kept(app, name, build, made, neutral) == first  # copied back, not built
    assert len(calls) == 1
    _wipe(app)
    kept(app, name, build, made, {**neutral, "JOBS_IMMEDIATE": False})  # one that may matter
    assert len(calls) == 2
