"""Two gunicorn servers and two job workers on one PostgreSQL database and one Redis queue,
driven at the same time: the same import sent to both servers, evaluations saved through both,
a sampling run started on both, reports downloaded from both, and failed sign-ins spread over
both. Nothing may be doubled or lost, the sign-in throttle must hold across servers, and every
job must end (docs/deploy.md, "Proven on several processes")."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from flask import g

from qa_app.accounts.models import LoginAttempt, Team, User
from qa_app.evaluations.models import Evaluation, EvaluationStatus
from qa_app.extensions import cache, db
from qa_app.interactions.models import ImportBatch, Interaction
from qa_app.jobs.models import Job, JobState
from qa_app.results import views as results_views
from qa_app.results.chart_cache import part_key
from qa_app.results.readers import views_of
from qa_app.sampling.models import Assignment, SamplingRun
from tests.cluster.browser import Browser, Reply
from tests.cluster.conftest import Cluster
from tests.cluster.world import (
    PASSWORD,
    SAMPLED_WEEK,
    World,
    aggregates_match_a_rebuild,
    inspector,
    seed,
)
from tests.interactions.conftest import csv_bytes, row

pytestmark = pytest.mark.cluster

IMPORTED_ROWS = 400
FAILED_SIGN_INS = 10
JOBS_SECONDS = 60
LOCK_VERSION = re.compile(r'name="lock_version" value="(\d+)"')
EVALUATION = re.compile(r"/evaluations/(\d+)$")


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads that start their request at the same moment."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        barrier.wait(timeout=60)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def signed_in(base: str, email: str) -> Browser:
    browser = Browser(base)
    reply = browser.sign_in(email, PASSWORD)
    assert reply.status == 302, f"sign-in of {email}: {reply.status}"
    return browser


def scores(world: World, strengths: str, action: str = "submit") -> dict[str, str]:
    fields = {f"score_{criterion}": "4" for criterion in world.criteria}
    return {**fields, "strengths": strengths, "action": action}


# The scenarios: each runs its requests on both servers at once and returns what it saw.


def import_same_file(world: World, servers: list[str]) -> list[Reply]:
    email = world.emails["importer_agent"]
    content = csv_bytes([row(email, n) for n in range(1, IMPORTED_ROWS + 1)])
    browsers = [signed_in(base, world.emails["reviewer"]) for base in servers]
    tokens = [browser.token("/interactions/import") for browser in browsers]
    return at_once(
        *(
            lambda b=b, t=t: b.upload("/interactions/import", "same.csv", content, t)
            for b, t in zip(browsers, tokens, strict=True)
        )
    )


def evaluate_through_both(world: World, servers: list[str]) -> list[Reply]:
    """Different evaluations of one agent's day, two at a time, one through each server."""
    people = [world.emails["reviewer"], world.emails["other_reviewer"]]
    browsers = [signed_in(base, email) for base, email in zip(servers, people, strict=True)]
    replies = []
    for pair in (world.to_evaluate[0:2], world.to_evaluate[2:4]):
        paths = [f"/evaluations/new?interaction={interaction}" for interaction in pair]
        tokens = [browser.token(path) for browser, path in zip(browsers, paths, strict=True)]
        replies += at_once(
            *(
                lambda b=b, p=p, t=t: b.post(p, scores(world, "Different"), t)
                for b, p, t in zip(browsers, paths, tokens, strict=True)
            )
        )
    return replies


def edit_same_evaluation(world: World, servers: list[str]) -> tuple[int, list[Reply]]:
    """One reviewer opens the same draft on both servers and saves both: one save must lose."""
    first = signed_in(servers[0], world.emails["reviewer"])
    path = f"/evaluations/new?interaction={world.to_evaluate[4]}"
    draft = first.post(path, scores(world, "Draft", "draft"))
    match = EVALUATION.search(draft.location)
    assert draft.status == 302 and match, draft.text[:500]
    evaluation_id = int(match.group(1))
    browsers = [first, signed_in(servers[1], world.emails["reviewer"])]
    edit = f"/evaluations/{evaluation_id}/edit"
    forms = [browser.get(edit).text for browser in browsers]
    locks = [LOCK_VERSION.search(form) for form in forms]
    assert all(locks), "no lock_version on the edit page"
    tokens = [browser.token(edit) for browser in browsers]
    replies = at_once(
        *(
            lambda b=b, t=t, n=n, lock=lock: b.post(
                edit,
                {**scores(world, f"Saved through server {n}"), "lock_version": lock.group(1)},
                t,
            )
            for n, (b, t, lock) in enumerate(zip(browsers, tokens, locks, strict=True))
        )
    )
    return evaluation_id, replies


def run_sampling_on_both(world: World, servers: list[str]) -> list[Reply]:
    browsers = [signed_in(base, world.emails["admin"]) for base in servers]
    path = f"/sampling/plans/{world.plan_id}/run"
    tokens = [browser.token(f"/sampling/plans/{world.plan_id}") for browser in browsers]
    day = {"day": SAMPLED_WEEK.isoformat()}
    return at_once(
        *(lambda b=b, t=t: b.post(path, day, t) for b, t in zip(browsers, tokens, strict=True))
    )


def download_reports(world: World, servers: list[str]) -> list[Reply]:
    browsers = [signed_in(base, world.emails["admin"]) for base in servers]
    path = f"/reports/teams/{world.team_id}.xlsx?sheets=1"
    return at_once(*(lambda b=b: b.get(path) for b in browsers))


def fail_sign_ins(world: World, servers: list[str]) -> list[Reply]:
    """Wrong passwords for one account, from fresh browsers spread over both servers."""
    browsers = [Browser(servers[n % len(servers)]) for n in range(FAILED_SIGN_INS)]
    tokens = [browser.token("/login") for browser in browsers]
    fields = {"email": world.emails["victim"], "password": "Wrong-Horse-Battery-42"}
    return at_once(
        *(
            lambda b=b, t=t: b.post("/login", fields, t)
            for b, t in zip(browsers, tokens, strict=True)
        )
    )


# The checks, read from the database once everything has answered.


def read_team_page(world: World, servers: list[str]) -> None:
    """The admin reads the team's results once, before the writes: a view the workers then
    render ahead after each burst of writes (qa_app/results/warming.py)."""
    reply = signed_in(servers[0], world.emails["admin"]).get(f"/results/teams/{world.team_id}")
    assert reply.status == 200


def rendered_ahead(cluster: Cluster, world: World) -> bool:
    """Whether the admin's view of the team page under the stamps now is in the servers' cache:
    nobody read it since the writes, so a worker rendered it."""
    env = cluster.env
    app = inspector(
        env["DATABASE_URL"], REDIS_URL=env["REDIS_URL"], JOBS_QUEUE_NAME=env["JOBS_QUEUE_NAME"]
    )
    deadline = time.monotonic() + JOBS_SECONDS
    path, found = f"/results/teams/{world.team_id}", False
    while not found and time.monotonic() < deadline:
        time.sleep(0.5)
        with app.test_request_context(path, headers={"Accept-Language": "en"}):
            admin = db.session.scalar(sa.select(User).where(User.email == world.emails["admin"]))
            g._login_user = admin
            assert [view.role for view, _id in views_of(("team", world.team_id))] == ["admin"]
            _ids, stamps, parts = results_views._team_scope(db.session.get(Team, world.team_id))
            found = cache.get(part_key("results.team", stamps, parts)) is not None
    with app.app_context():
        db.engine.dispose()
    return found


def wait_for_jobs(app: Any) -> list[Job]:
    deadline = time.monotonic() + JOBS_SECONDS
    while True:
        with app.app_context():
            jobs = list(db.session.scalars(sa.select(Job).order_by(Job.id)))
            db.session.expunge_all()
        if all(job.state.is_over for job in jobs) or time.monotonic() > deadline:
            return jobs
        time.sleep(0.3)


def check_import(app: Any, replies: list[Reply], jobs: list[Job]) -> None:
    assert [reply.status for reply in replies] == [302, 302]
    assert all("/jobs/" in reply.location for reply in replies), "big enough to be a job"
    imports = [job for job in jobs if job.kind.value == "interaction_import"]
    assert [job.state for job in imports] == [JobState.DONE, JobState.DONE], [
        j.error for j in imports
    ]
    added = sorted(job.result["rows_added"] for job in imports)
    skipped = sorted(job.result["rows_skipped"] for job in imports)
    assert (added, skipped) == ([0, IMPORTED_ROWS], [0, IMPORTED_ROWS])
    with app.app_context():
        ids = db.session.scalars(
            sa.select(Interaction.external_id).where(Interaction.external_id.like("T-%"))
        ).all()
        assert sorted(ids) == [f"T-{n:05}" for n in range(1, IMPORTED_ROWS + 1)]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportBatch)) == 2


def check_evaluations(
    app: Any, world: World, saved: list[Reply], same: tuple[int, list[Reply]]
) -> None:
    assert [reply.status for reply in saved] == [302] * 4, [r.text[-800:] for r in saved]
    evaluation_id, replies = same
    assert sorted(reply.status for reply in replies) == [302, 409]
    winner = next(n for n, reply in enumerate(replies) if reply.status == 302)
    with app.app_context():
        rows = db.session.scalars(sa.select(Evaluation).order_by(Evaluation.interaction_id)).all()
        assert [row.interaction_id for row in rows] == world.to_evaluate
        assert all(
            row.status == EvaluationStatus.SUBMITTED and row.score is not None for row in rows
        )
        kept = db.session.get(Evaluation, evaluation_id)
        assert kept is not None
        assert (kept.strengths, kept.lock_version) == (f"Saved through server {winner}", 3)
        assert all(score.score == 4 for score in kept.scores)


def check_sampling(app: Any, world: World, replies: list[Reply]) -> None:
    assert [reply.status for reply in replies] == [302, 302]
    with app.app_context():
        runs = db.session.scalars(
            sa.select(SamplingRun).where(SamplingRun.plan_id == world.plan_id)
        ).all()
        assert len(runs) == 1
        assigned = db.session.scalars(sa.select(Assignment.interaction_id)).all()
    assert len(assigned) == len(set(assigned)) == 4  # two agents, two each


def check_throttle(app: Any, world: World, replies: list[Reply], servers: list[str]) -> None:
    limit = app.config["LOGIN_FAIL_LIMIT_PER_ACCOUNT_ADDRESS"]  # the servers' setting too
    statuses = Counter(reply.status for reply in replies)
    assert statuses == {200: limit, 429: FAILED_SIGN_INS - limit}, statuses
    with app.app_context():
        failures = db.session.scalar(
            sa.select(sa.func.count()).where(
                LoginAttempt.email == world.emails["victim"], LoginAttempt.is_success.is_(False)
            )
        )
    assert failures == limit
    for base in servers:  # locked on every server, even with the right password
        assert Browser(base).sign_in(world.emails["victim"], PASSWORD).status == 429


def test_two_servers_and_two_workers_lose_and_double_nothing(cluster: Cluster) -> None:
    cluster.run("flask db upgrade", "-m", "flask", "--app", "wsgi", "db", "upgrade")
    for name in ("web-a", "web-b"):
        cluster.start_server(name)
    for name in ("worker-a", "worker-b"):
        cluster.start(name, "-m", "flask", "--app", "wsgi", "jobs", "worker")
    app = inspector(cluster.env["DATABASE_URL"])
    world = seed(app)
    cluster.wait_ready()
    servers = cluster.servers
    read_team_page(world, servers)
    scenarios = (
        import_same_file,
        evaluate_through_both,
        edit_same_evaluation,
        run_sampling_on_both,
        download_reports,
        fail_sign_ins,
    )
    with ThreadPoolExecutor(len(scenarios)) as pool:
        futures = [pool.submit(scenario, world, servers) for scenario in scenarios]
        imported, saved, same, sampled, reports, throttled = [f.result() for f in futures]
    jobs = wait_for_jobs(app)
    cluster.check_alive()
    assert [job.state for job in jobs if not job.state.is_over] == [], "a job never ended"
    check_import(app, imported, jobs)
    check_evaluations(app, world, saved, same)
    check_sampling(app, world, sampled)
    assert [(r.status, r.body[:2]) for r in reports] == [(200, b"PK")] * 2
    check_throttle(app, world, throttled, servers)
    assert rendered_ahead(cluster, world), "no worker rendered the read page after the writes"
    kept, rebuilt = aggregates_match_a_rebuild(app)
    assert kept == rebuilt, "the aggregates were doubled or lost a count"
    with app.app_context():
        db.engine.dispose()
