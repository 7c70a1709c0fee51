"""Flask commands: create-user and seed-demo."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Role, Team, User
from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from tests.conftest import APPEND_ONLY


@pytest.fixture
def config_overrides(tmp_path):
    return {"DEMO_LOGINS_FILE": str(tmp_path / "demo-logins.txt")}


def test_create_user_makes_the_first_admin(app, runner):
    result = runner.invoke(
        args=["create-user", "--email", "Boss@Example.com", "--name", "Boss", "--password-stdin"],
        input="Maple-Lantern-Orbit-Seven\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User))
        assert (user.email, user.role) == ("boss@example.com", Role.ADMIN)
    assert (
        app.test_client().sign_in("boss@example.com", "Maple-Lantern-Orbit-Seven").status_code
        == 302
    )


def test_create_user_refuses_a_weak_password_and_stores_nothing(app, runner):
    result = runner.invoke(
        args=["create-user", "--email", "a@example.com", "--name", "A", "--password-stdin"],
        input="password1234\n",
    )
    assert result.exit_code != 0
    assert "too common" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


# How passwords are made does not depend on the database. The demo's weeks of work are left
# out of both seedings (each would take seconds): only the people are compared.
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_seed_demo_passwords_differ_between_runs(app, runner, monkeypatch):
    from qa_app.demo import activity, organisation, spotlight

    for module, name in ((activity, "seed_activity"), (spotlight, "seed_spotlight")):
        monkeypatch.setattr(module, name, lambda *_args: None)
    for name in ("_auto_score", "_signals"):
        monkeypatch.setattr(organisation, name, lambda: None)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = Path(app.config["DEMO_LOGINS_FILE"]).read_text()
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in APPEND_ONLY:  # the audit log keeps its events (docs/audit.md)
                db.session.execute(table.delete())
        db.session.commit()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    second = Path(app.config["DEMO_LOGINS_FILE"]).read_text()
    first_passwords = {line.split()[-1] for line in first.splitlines()[1:-1]}
    second_passwords = {line.split()[-1] for line in second.splitlines()[1:-1]}
    assert first_passwords.isdisjoint(second_passwords)


def test_seed_demo_once_leaves_a_database_with_users_alone(app, runner, make_user):
    make_user(Role.ADMIN)
    result = runner.invoke(args=["seed-demo", "--once"])
    assert result.exit_code == 0
    assert "nothing was added" in result.output
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_seed_demo_builds_the_whole_demo_with_generated_passwords(app, runner):
    """One run of the command read for several things (each run of it takes seconds): the
    people and their sign-ins, every shipped template published, weeks of evaluated,
    auto-scored work with consistent results, and what spotlight drew."""
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    _organisation_and_sign_ins(app, result.output)
    _every_shipped_template_published(app)
    _weeks_of_work(app, runner)
    _demo_shows_spotlight(app)


def _organisation_and_sign_ins(app, output: str) -> None:
    with app.app_context():
        roles = db.session.execute(sa.select(User.role, sa.func.count()).group_by(User.role)).all()
        assert dict(roles) == {Role.ADMIN: 1, Role.REVIEWER: 2, Role.LEAD: 2, Role.AGENT: 10}
        teams = db.session.scalars(sa.select(Team)).all()
        assert len(teams) == 2 and all(t.lead is not None and len(t.agents) == 5 for t in teams)
    logins = Path(app.config["DEMO_LOGINS_FILE"])
    assert stat.S_IMODE(logins.stat().st_mode) == 0o600
    *logins_lines, footnote = logins.read_text().splitlines()[1:]
    lines = [line.split() for line in logins_lines]
    assert len(lines) == 15
    assert "Márton Horváth and Levente Varga see the site in Hungarian" in footnote
    with app.app_context():
        languages = dict(db.session.execute(sa.select(User.display_name, User.language)).all())
    assert {name for name, language in languages.items() if language == "hu"} == {
        "Márton Horváth",
        "Levente Varga",
    }
    email, password = lines[0][-2], lines[0][-1]
    assert password in output
    assert app.test_client().sign_in(email, password).status_code == 302


def _every_shipped_template_published(app) -> None:
    from qa_app.scorecards.models import ScorecardVersion, Status
    from qa_app.scorecards.schema import list_shipped_templates, load_shipped_template

    with app.app_context():
        published = db.session.execute(
            sa.select(ScorecardVersion.slug, ScorecardVersion.language).where(
                ScorecardVersion.status == Status.PUBLISHED
            )
        ).all()
    shipped = [
        (doc.slug, doc.language) for doc in map(load_shipped_template, list_shipped_templates())
    ]
    assert sorted(map(tuple, published)) == sorted(shipped)
    assert ("five-key-elements", "hu") in shipped


def _weeks_of_work(app, runner) -> None:
    from qa_app.autoqa.models import AutoResult
    from qa_app.disputes.models import Dispute
    from qa_app.evaluations.models import Evaluation
    from qa_app.interactions.models import Interaction, InteractionSignal

    with app.app_context():
        interactions = db.session.scalar(sa.select(sa.func.count()).select_from(Interaction))
        evaluated = db.session.scalar(sa.select(sa.func.count()).select_from(Evaluation))
        assert interactions > 100 and evaluated > interactions / 2
        # the command scores the demo's interactions itself
        assert db.session.scalar(sa.select(sa.func.count(AutoResult.id))) > 100
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Dispute)) == 1
        kinds = db.session.scalars(sa.select(InteractionSignal.kind).distinct()).all()
        assert len(kinds) >= 3  # signals computed once the demo's auto scores exist
        from qa_app.notifications.models import Notification

        notified = db.session.scalars(sa.select(Notification.read_at)).all()
        assert notified and None not in notified  # the demo's past is notified, and read
    assert "match" in runner.invoke(args=["results", "check"]).output


def _demo_shows_spotlight(app) -> None:
    """The demo's plan drew by signals: evaluations say so, the plan reviewer's queue, the
    results and the hit-rate page show it (docs/spotlight.md)."""
    from qa_app.evaluations.models import Evaluation, PickReason
    from qa_app.sampling.models import Assignment

    with app.app_context():
        counts = sa.select(Evaluation.picked, sa.func.count()).group_by(Evaluation.picked)
        picked = {reason: n for reason, n in db.session.execute(counts)}
        assert picked[PickReason.TARGETED] > 10 and picked[PickReason.RANDOM] > 10
        mismatched = (
            sa.select(sa.func.count())
            .select_from(Evaluation)
            .join(
                Assignment,
                (Assignment.interaction_id == Evaluation.interaction_id)
                & (Assignment.reviewer_id == Evaluation.reviewer_id),
            )
            .where(Assignment.picked != Evaluation.picked)
        )
        assert db.session.scalar(mismatched) == 0
    logins = Path(app.config["DEMO_LOGINS_FILE"]).read_text().splitlines()
    email, password = next(line.split()[-2:] for line in logins if "andreea" in line)
    client = app.test_client()
    assert client.sign_in(email, password).status_code == 302
    assert "Spotlight: " in client.get("/sampling/queue").get_data(as_text=True)
    assert "Found by spotlight" in client.get("/results/").get_data(as_text=True)
    hit_rate = client.get("/sampling/hit-rate").get_data(as_text=True)
    assert "Drawn at random: " in hit_rate and " in 0 evaluated" not in hit_rate
    assert re.search(
        r'<tr id="signal-\w+"><th scope="row">[^<]+</th><td class="num">[1-9]', hit_rate
    )


def _numbers() -> list[list[tuple[object, ...]]]:
    """Every evaluation and every results aggregate row, in a fixed order."""
    from qa_app.evaluations.models import Evaluation, EvaluationScore
    from qa_app.results.models import (
        AgentDayCriterionStats,
        AgentDayInteractionStats,
        AgentDayStats,
    )

    tables = [Evaluation, EvaluationScore, AgentDayStats, AgentDayCriterionStats]
    tables.append(AgentDayInteractionStats)
    return [
        sorted(tuple(row) for row in db.session.execute(sa.select(model.__table__)))
        for model in tables
    ]


def test_seed_demo_auto_scores_its_interactions_without_touching_the_results(
    app, runner, monkeypatch
):
    from qa_app.autoqa.models import AutoResult, AutoSuggestion
    from qa_app.demo import organisation

    auto_score = organisation._auto_score
    monkeypatch.setattr(organisation, "_auto_score", lambda: None)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AutoResult.id))) == 0
        before = _numbers()
        auto_score()
        db.session.commit()
    with app.app_context():
        results = db.session.scalar(sa.select(sa.func.count(AutoResult.id)))
        interactions = db.session.scalar(sa.select(sa.func.count()).select_from(Interaction))
        assert results == interactions  # every channel has a published scorecard with rules
        decided = sa.select(AutoSuggestion.outcome).where(AutoSuggestion.point.is_not(None))
        assert len(db.session.scalars(decided).all()) > interactions
        scored = sa.select(sa.func.count(AutoResult.id)).where(AutoResult.score.is_not(None))
        assert db.session.scalar(scored) > interactions / 2
        evidence = db.session.scalars(sa.select(AutoSuggestion.evidence)).all()
        assert any(item["kind"] == "phrase" for items in evidence for item in items)
        assert _numbers() == before
    assert "match" in runner.invoke(args=["results", "check"]).output
