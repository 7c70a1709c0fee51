"""Time the interaction and evaluation lists: first, middle and last page, and every filter.

    .venv/bin/python benchmarks/lists.py [--evaluations N] [--unevaluated N] [--agents N]
        [--database-url URL]

Builds the data of benchmarks/results_pages.py (N submitted evaluations over 52 weeks, each of
its own interaction, and UNEVALUATED more interactions per evaluation that nobody scored), adds
a draft for about one unevaluated interaction in a hundred, fills the interactions' "evaluated" flag as the
migration does and runs ANALYZE. It then times, server side through the Flask test client as a
signed-in admin, each list page (rendered), beside the query the page ran before keyset paging
on the same data: an exact COUNT of the filtered rows and the page read with OFFSET, the "not
evaluated" filter as an anti-join over the evaluations. Every timing is the median of several
runs after one warm-up. Without --database-url a fresh SQLite file in a temporary folder is used;
a URL must name an empty scratch database (its tables are dropped and created).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from results_pages import END, _insert, _median_ms, _person, _signed_in, build  # noqa: E402

from config import TestingConfig  # noqa: E402
from qa_app import create_app  # noqa: E402
from qa_app.accounts.models import Role, User  # noqa: E402
from qa_app.evaluations import queries as evaluation_queries  # noqa: E402
from qa_app.evaluations.evaluated import has_submitted_evaluation, refresh_all  # noqa: E402
from qa_app.evaluations.models import Evaluation, EvaluationStatus  # noqa: E402
from qa_app.extensions import db  # noqa: E402
from qa_app.interactions import queries as interaction_queries  # noqa: E402
from qa_app.interactions.models import Interaction  # noqa: E402
from qa_app.ui.keyset import _encode, keyset_page  # noqa: E402

GOAL_MS = 50.0
PER_PAGE = 50
LISTS = {
    "/interactions": (interaction_queries.LIST_PARTS, Interaction.id),
    "/evaluations/": (evaluation_queries.LIST_PARTS, Evaluation.id),
}
MONTH = f"from={(END - timedelta(days=60)).date()}&to={(END - timedelta(days=30)).date()}"


def add_drafts(every: int = 97) -> int:
    """A reviewer's draft on one unevaluated interaction in ``every`` (drafts list first); a
    prime step spreads them over the agents, whose interactions take turns by id."""
    reviewer = db.session.scalar(sa.select(User.id).where(User.role == Role.REVIEWER))
    version = db.session.scalar(sa.select(Evaluation.scorecard_version_id).limit(1))
    done = sa.select(Evaluation.interaction_id)
    ids = db.session.scalars(
        sa.select(Interaction.id).where(Interaction.id.not_in(done)).order_by(Interaction.id)
    ).all()[::every]
    now = datetime.now(UTC)
    first = (db.session.scalar(sa.select(sa.func.max(Evaluation.id))) or 0) + 1
    rows = [
        dict(
            id=first + n,  # the evaluations were loaded with their ids: no sequence to ask
            interaction_id=i,
            scorecard_version_id=version,
            reviewer_id=reviewer,
            status="draft",
            strengths="",
            improvements="",
            created_at=now,
            updated_at=now,
            is_calibration=False,
            lock_version=1,
        )
        for n, i in enumerate(ids)
    ]
    _insert(Evaluation.__table__, rows)
    return len(rows)


def prepare() -> int:
    """The admin who reads the lists; the flag filled; planner statistics."""
    _insert(User.__table__, [_person("admin", "Admin", Role.ADMIN, datetime.now(UTC))])
    refresh_all(db.session.connection())
    db.session.commit()
    with db.engine.connect() as connection:
        connection.execute(sa.text("ANALYZE"))
        connection.commit()
    return db.session.scalar(sa.select(User.id).where(User.role == Role.ADMIN)) or 0


def _cursor_at(stmt: sa.Select[Any], keys: tuple[Any, ...], part: int, offset: int) -> str:
    """The cursor of the row at ``offset`` of a part, found once with OFFSET (not timed)."""
    row = db.session.execute(
        stmt.with_only_columns(*keys).order_by(*(k.desc() for k in keys)).offset(offset).limit(1)
    ).one()
    return _encode(part, list(row))


Case = tuple[str, str, sa.Select[Any], sa.Select[Any]]


def _new_interactions(**filters: Any) -> sa.Select[Any]:
    return interaction_queries.filter_interactions(sa.select(Interaction), **filters).order_by(None)


def interaction_cases(ids: dict[str, int]) -> list[Case]:
    """(what, the page's query string, the old select, the new one) for the interaction list."""
    old = sa.select(Interaction).order_by(*interaction_queries.LIST_ORDER)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Interaction)) or 0
    keys = (Interaction.occurred_at, Interaction.id)
    base = sa.select(Interaction)
    middle, last = total // 2, max(total - PER_PAGE - 1, 0)
    new = _new_interactions
    start = (END - timedelta(days=60)).date()
    month = {"date_from": start, "date_to": start + timedelta(days=30)}
    cases = [
        ("first page", "", old, new()),
        ("middle page", f"after={_cursor_at(base, keys, 0, middle)}", old.offset(middle), new()),
        ("last page", f"after={_cursor_at(base, keys, 0, last)}", old.offset(last), new()),
        ("agent", f"agent={ids['agent']}", new(agent_id=ids["agent"]), new(agent_id=ids["agent"])),
        ("team", f"team={ids['team']}", _in_team(old, ids["team"]), new(team_id=ids["team"])),
        ("channel", "channel=call", old.where(Interaction.channel == "call"), new(channel="call")),
        ("a month", f"date_from={start}&date_to={month['date_to']}", _month(old), new(**month)),
    ]
    done = has_submitted_evaluation(Interaction.id)
    cases += [
        ("not evaluated", "evaluated=no", old.where(~done), new(evaluated="no")),
        ("evaluated", "evaluated=yes", old.where(done), new(evaluated="yes")),
    ]
    return cases


def _in_team(stmt: sa.Select[Any], team: int) -> sa.Select[Any]:
    from qa_app.accounts.models import team_members

    members = sa.select(team_members.c.agent_id).where(team_members.c.team_id == team)
    return stmt.where(Interaction.agent_id.in_(members))


def _month(stmt: sa.Select[Any]) -> sa.Select[Any]:
    start = datetime.combine((END - timedelta(days=60)).date(), datetime.min.time(), tzinfo=UTC)
    return stmt.where(
        Interaction.occurred_at >= start, Interaction.occurred_at < start + timedelta(days=31)
    )


def evaluation_cases(ids: dict[str, int]) -> list[Case]:
    """(what, the page's query string, the old select, the new one) for the evaluation list."""
    base = sa.select(Evaluation).join(Evaluation.interaction)
    base = base.where(Evaluation.is_calibration.is_(False))
    old = base.order_by(Evaluation.submitted_at.desc().nulls_first(), Evaluation.id.desc())
    submitted = base.where(Evaluation.submitted_at.is_not(None))
    drafts = db.session.scalar(sa.select(sa.func.count()).where(Evaluation.submitted_at.is_(None)))
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Evaluation)) or 0
    keys = evaluation_queries.LIST_PARTS[1].keys
    middle, last = count // 2, max(count - PER_PAGE - 1, 0)
    filters = evaluation_queries.apply_list_filters
    found = evaluation_queries.parse_list_filters
    from werkzeug.datastructures import MultiDict

    def parsed(query: str) -> Any:
        return found(MultiDict([p.split("=") for p in query.split("&")]))

    middle_at = _cursor_at(submitted, keys, 1, middle - drafts)
    last_at = _cursor_at(submitted, keys, 1, last - drafts)
    cases = [
        ("first page", "", old, base),
        ("middle page", f"after={middle_at}", old.offset(middle), base),
        ("last page", f"after={last_at}", old.offset(last), base),
    ]
    for what, query in (
        ("agent", f"agent={ids['agent']}"),
        ("team", f"team={ids['team']}"),
        ("a month", MONTH),
        ("channel", "channel=chat"),
        ("scorecard", f"scorecard={ids['scorecard']}"),
        ("band", "band=needs-improvement"),
        ("spotlight", "spotlight=0"),
    ):
        cases.append((what, query, filters(old, parsed(query)), filters(base, parsed(query))))
    is_draft = Evaluation.status == EvaluationStatus.DRAFT
    drafts_now = evaluation_queries.with_status(EvaluationStatus.DRAFT)
    cases.append(("status", "status=draft", old.where(is_draft), base.where(drafts_now)))
    return cases


def _old_page(stmt: sa.Select[Any]) -> None:
    """What db.paginate ran: an exact count of the filtered rows, then the page by OFFSET."""
    counted = stmt.order_by(None).limit(None).offset(None).subquery()
    db.session.scalar(sa.select(sa.func.count()).select_from(counted))
    db.session.scalars(stmt.limit(PER_PAGE)).all()
    db.session.rollback()


def _new_page(stmt: sa.Select[Any], parts: Any, id_column: Any) -> None:
    """What the page runs now: the keyset page and the capped count."""
    keyset_page(stmt, parts, PER_PAGE, id_column)
    db.session.rollback()


def measure(app: Any, client: Any, path: str, cases: list[Case]) -> list[float]:
    parts, id_column = LISTS[path]
    times = []
    for what, query, old, new in cases:
        url = f"{path}?{query}" if query else path
        page = _median_ms(lambda url=url: _ok(client.get(url)))
        with app.test_request_context(url):
            sql = _median_ms(lambda new=new: _new_page(new, parts, id_column))
            reference = _median_ms(lambda old=old: _old_page(old))
        times.append(page)
        verdict = "met" if page <= GOAL_MS else "missed"
        print(
            f"  {what:<13} page {page:6.1f} ms, its list SQL {sql:6.1f} ms | old OFFSET/anti-join"
            f" SQL {reference:7.1f} ms | old / new SQL {reference / sql:6.1f}x | "
            f"goal <= {GOAL_MS:.0f} ms: {verdict}"
        )
    return times


def _ok(response: Any) -> None:
    assert response.status_code == 200, response.status_code
    body = response.get_data(as_text=True)
    assert "page link was not understood" not in body, "a cursor of the benchmark was refused"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=50_000)
    parser.add_argument("--unevaluated", type=int, default=1, help="per evaluation")
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        config = type("Bench", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url})
        app = create_app(config)
        with app.app_context():
            db.drop_all()
            db.create_all()
            began = time.perf_counter()
            ids = build(args.evaluations, args.agents, args.unevaluated)
            drafts = add_drafts()
            ids["admin"] = prepare()
            ids["scorecard"] = db.session.scalar(sa.text("SELECT id FROM scorecards LIMIT 1"))
            handled = db.session.scalar(sa.select(sa.func.count()).select_from(Interaction))
            print(
                f"data: {handled:,} interactions, {args.evaluations:,} submitted evaluations and "
                f"{drafts:,} drafts, {args.agents} agents in teams of 10, 52 weeks, "
                f"{db.engine.dialect.name}; built in {time.perf_counter() - began:.1f} s"
            )
            cases = {
                "/interactions": interaction_cases(ids),
                "/evaluations/": evaluation_cases(ids),
            }
            db.session.remove()
        client = _signed_in(app, ids["admin"])
        worst = 0.0
        for path, found in cases.items():
            print(f"{path} (rendered, {PER_PAGE} rows a page, count capped at 10,000):")
            worst = max(worst, *measure(app, client, path, found))
        verdict = "met" if worst <= GOAL_MS else "missed"
        print(f"slowest list page {worst:.1f} ms: goal <= {GOAL_MS:.0f} ms on any page: {verdict}")


if __name__ == "__main__":
    main()
