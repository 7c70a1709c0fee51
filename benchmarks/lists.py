"""Time the interaction and evaluation lists: first, middle and last page, and every filter.

    .venv/bin/python benchmarks/lists.py [--evaluations N] [--unevaluated N] [--agents N]
        [--database-url URL] [--only interactions|evaluations] [--reuse] [--without-old]

Builds the data of benchmarks/results_pages.py (N submitted evaluations over 52 weeks, each of
its own interaction, and UNEVALUATED more interactions per evaluation that nobody scored), adds
a draft for about one unevaluated interaction in a hundred, fills the interactions' "evaluated"
flag as the migration does and runs ANALYZE. It then times, server side through the Flask test
client as a signed-in admin (and a lead of one team), each list page (rendered), beside the
query the page ran before keyset paging on the same data: an exact COUNT of the filtered rows
and the page read with OFFSET, the "not evaluated" filter as an anti-join over the evaluations,
the evaluation filters on the joined interactions. Every timing is the median of several runs
after one warm-up. Without --database-url a fresh SQLite file in a temporary folder is used; a
URL must name an empty scratch database (its tables are dropped and created).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from results_pages import END, _insert, _median_ms, _person, _signed_in, build  # noqa: E402

from config import TestingConfig  # noqa: E402
from qa_app import create_app  # noqa: E402
from qa_app.accounts.access import agents_led_by  # noqa: E402
from qa_app.accounts.models import Role, User  # noqa: E402
from qa_app.evaluations import queries as evaluation_queries  # noqa: E402
from qa_app.evaluations.access import visible_evaluations  # noqa: E402
from qa_app.evaluations.copies import utc_date  # noqa: E402
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
    # NOT EXISTS, not NOT IN: PostgreSQL checked NOT IN against a million ids one interaction
    # at a time when they did not fit in its work memory (hours at a million).
    done = sa.exists().where(Evaluation.interaction_id == Interaction.id)
    copied = (Interaction.id, Interaction.agent_id, Interaction.occurred_at, Interaction.channel)
    found = db.session.execute(sa.select(*copied).where(~done).order_by(Interaction.id)).all()[
        ::every
    ]
    now = datetime.now(UTC)
    first = (db.session.scalar(sa.select(sa.func.max(Evaluation.id))) or 0) + 1
    rows = [
        dict(
            id=first + n,  # the evaluations were loaded with their ids: no sequence to ask
            interaction_id=i,
            agent_id=agent,  # the copies of the interaction (qa_app/evaluations/copies.py)
            occurred_at=moment,
            occurred_on=utc_date(moment),
            channel=channel,
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
        for n, (i, agent, moment, channel) in enumerate(found)
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


# (what, the page's query string, the old select, the new one, the new one's late filter)
Case = tuple[str, str, sa.Select[Any], sa.Select[Any], Any]


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
    return [(*case, None) for case in cases]


def _in_team(stmt: sa.Select[Any], team: int) -> sa.Select[Any]:
    from qa_app.accounts.models import team_members

    members = sa.select(team_members.c.agent_id).where(team_members.c.team_id == team)
    return stmt.where(Interaction.agent_id.in_(members))


def _month(stmt: sa.Select[Any]) -> sa.Select[Any]:
    start = datetime.combine((END - timedelta(days=60)).date(), datetime.min.time(), tzinfo=UTC)
    return stmt.where(
        Interaction.occurred_at >= start, Interaction.occurred_at < start + timedelta(days=31)
    )


# The evaluation list's filters, as (what, query string); every one the list's form offers.
EVALUATION_FILTERS = (
    ("agent", "agent={agent}"),
    ("team", "team={team}"),
    ("a month", MONTH),
    ("last 7 days", f"from={(END - timedelta(days=7)).date()}"),
    ("a day", f"from={(END - timedelta(days=45)).date()}&to={(END - timedelta(days=45)).date()}"),
    ("a year", f"from={(END - timedelta(days=366)).date()}&to={END.date()}"),
    ("a month, submitted", MONTH + "&status=submitted"),  # past the drafts, which list first
    ("a year, submitted", f"from={(END - timedelta(days=366)).date()}&status=submitted"),
    ("agent, a month", "agent={agent}&" + MONTH),
    ("team, a month", "team={team}&" + MONTH),
    ("channel call", "channel=call"),
    ("channel chat", "channel=chat"),
    ("scorecard", "scorecard={scorecard}"),
    ("band", "band=needs-improvement"),
    ("spotlight", "spotlight=0"),
)


def _parsed(query: str) -> Any:
    from werkzeug.datastructures import MultiDict

    return evaluation_queries.parse_list_filters(
        MultiDict([p.split("=") for p in query.split("&")])
    )


def _old_filters(stmt: sa.Select[Any], query: str) -> sa.Select[Any]:
    """The filters as they were before the copies: on the joined interaction."""
    found = _parsed(query)
    clauses = []
    if found.agent_id is not None:
        clauses.append(Interaction.agent_id == found.agent_id)
    if found.team_id is not None:
        clauses.append(interaction_queries.of_team(found.team_id))
    if found.start is not None:
        clauses.append(Interaction.occurred_at >= evaluation_queries._moment(found.start))
    if found.end is not None:
        end = evaluation_queries._moment(found.end + timedelta(days=1))
        clauses.append(Interaction.occurred_at < end)
    if found.channel is not None:
        clauses.append(Interaction.channel == found.channel)
    if "status=submitted" in query:
        clauses.append(Evaluation.status == EvaluationStatus.SUBMITTED)
    rest = replace(found, agent_id=None, team_id=None, start=None, end=None, channel=None)
    return evaluation_queries.apply_list_filters(stmt.where(*clauses), rest)


def evaluation_cases(ids: dict[str, int]) -> list[Case]:
    """(what, the page's query string, the old select, the new one) for the evaluation list;
    the old select joins the interactions and pages by OFFSET, as the list did."""
    base = sa.select(Evaluation).where(Evaluation.is_calibration.is_(False))
    joined = base.join(Evaluation.interaction)
    old = joined.order_by(Evaluation.submitted_at.desc().nulls_first(), Evaluation.id.desc())
    submitted = base.where(Evaluation.submitted_at.is_not(None))
    drafts = db.session.scalar(sa.select(sa.func.count()).where(Evaluation.submitted_at.is_(None)))
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Evaluation)) or 0
    keys = evaluation_queries.LIST_PARTS[1].keys
    middle, last = count // 2, max(count - PER_PAGE - 1, 0)
    middle_at = _cursor_at(submitted, keys, 1, middle - drafts)
    last_at = _cursor_at(submitted, keys, 1, last - drafts)
    cases = [
        ("first page", "", old, base, None),
        ("middle page", f"after={middle_at}", old.offset(middle), base, None),
        ("last page", f"after={last_at}", old.offset(last), base, None),
    ]
    for what, pattern in EVALUATION_FILTERS:
        query = pattern.format(**ids)
        cases.append((what, query, _old_filters(old, query), *_filtered(base, query)))
    is_draft = Evaluation.status == EvaluationStatus.DRAFT
    drafts_now = evaluation_queries.with_status(EvaluationStatus.DRAFT)
    cases.append(("status", "status=draft", old.where(is_draft), base.where(drafts_now), None))
    mine = Evaluation.reviewer_id == ids["admin"]
    cases.append(("mine", "mine=1", old.where(mine), base.where(mine), None))
    return cases


def _filtered(
    stmt: sa.Select[Any], query: str, reader: User | None = None
) -> tuple[sa.Select[Any], Any]:
    """The list's select and its late filter, as the page makes them for the reader."""
    found = _parsed(query)
    if "status=submitted" in query:
        stmt = stmt.where(evaluation_queries.with_status(EvaluationStatus.SUBMITTED))
    narrowed = evaluation_queries.apply_list_filters(stmt, found, days=False)
    return narrowed, evaluation_queries.late_days(found, reader)


def lead_cases(ids: dict[str, int]) -> list[Case]:
    """The evaluation list as a lead of one team sees it: the first page and a month."""
    lead = db.session.get(User, ids["lead"])
    new = visible_evaluations(lead).where(Evaluation.is_calibration.is_(False))
    led = Interaction.agent_id.in_(agents_led_by(lead))
    old = sa.select(Evaluation).join(Evaluation.interaction).where(led)
    old = old.where(Evaluation.status == EvaluationStatus.SUBMITTED)
    old = old.order_by(Evaluation.submitted_at.desc().nulls_first(), Evaluation.id.desc())
    month = _filtered(new, MONTH, lead)
    return [
        ("first page", "", old, new, None),
        ("a month", MONTH, _old_filters(old, MONTH), *month),
    ]


def _old_page(stmt: sa.Select[Any]) -> None:
    """What db.paginate ran: an exact count of the filtered rows, then the page by OFFSET."""
    counted = stmt.order_by(None).limit(None).offset(None).subquery()
    db.session.scalar(sa.select(sa.func.count()).select_from(counted))
    db.session.scalars(stmt.limit(PER_PAGE)).all()
    db.session.rollback()


def _new_page(stmt: sa.Select[Any], parts: Any, id_column: Any, late: Any) -> None:
    """What the page runs now: the keyset page and the capped count."""
    keyset_page(stmt, parts, PER_PAGE, id_column, late)
    db.session.rollback()


def measure(app: Any, client: Any, path: str, cases: list[Case], old_too: bool) -> list[float]:
    parts, id_column = LISTS[path]
    times = []
    for what, query, old, new, late in cases:
        url = f"{path}?{query}" if query else path
        page = _median_ms(lambda url=url: _ok(client.get(url)))
        with app.test_request_context(url):
            sql = _median_ms(lambda new=new, late=late: _new_page(new, parts, id_column, late))
            reference = _median_ms(lambda old=old: _old_page(old)) if old_too else float("nan")
        times.append(page)
        verdict = "met" if page <= GOAL_MS else "missed"
        print(
            f"  {what:<18} page {page:6.1f} ms, its list SQL {sql:6.1f} ms | old OFFSET/anti-join"
            f" SQL {reference:7.1f} ms | old / new SQL {reference / sql:6.1f}x | "
            f"goal <= {GOAL_MS:.0f} ms: {verdict}"
        )
    return times


def _ok(response: Any) -> None:
    assert response.status_code == 200, response.status_code
    body = response.get_data(as_text=True)
    assert "page link was not understood" not in body, "a cursor of the benchmark was refused"


def _stored_ids() -> dict[str, int]:
    """The ids `build` and `prepare` return, read back from a database built before."""

    def user(email: str) -> int:
        return db.session.scalar(sa.select(User.id).where(User.email == email)) or 0

    admin = sa.select(User.id).where(User.role == Role.ADMIN)
    team = sa.text("SELECT id FROM teams WHERE name = 'Team 0'")
    return {
        "team": db.session.scalar(team) or 0,
        "lead": user("lead0@bench.example.com"),
        "agent": user("agent0@bench.example.com"),
        "admin": db.session.scalar(admin) or 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=50_000)
    parser.add_argument("--unevaluated", type=int, default=1, help="per evaluation")
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--database-url")
    parser.add_argument("--only", choices=("interactions", "evaluations"), help="time one list")
    parser.add_argument(
        "--reuse", action="store_true", help="time a database this script built before, as it is"
    )
    parser.add_argument(
        "--without-old", action="store_true", help="skip the old SQL (seconds a page at 1,000,000)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        config = type("Bench", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url})
        app = create_app(config)
        with app.app_context():
            began = time.perf_counter()
            if args.reuse:
                ids = _stored_ids()
            else:
                db.drop_all()
                db.create_all()
                ids = build(args.evaluations, args.agents, args.unevaluated)
                add_drafts()
                ids["admin"] = prepare()
            ids["scorecard"] = db.session.scalar(sa.text("SELECT id FROM scorecards LIMIT 1"))
            counted = sa.select(sa.func.count()).select_from(Evaluation)
            drafts = db.session.scalar(counted.where(Evaluation.submitted_at.is_(None))) or 0
            submitted = (db.session.scalar(counted) or 0) - drafts
            handled = db.session.scalar(sa.select(sa.func.count()).select_from(Interaction))
            print(
                f"data: {handled:,} interactions, {submitted:,} submitted evaluations and "
                f"{drafts:,} drafts, {args.agents} agents in teams of 10, 52 weeks, "
                f"{db.engine.dialect.name}; built in {time.perf_counter() - began:.1f} s"
            )
            groups = [
                ("/interactions", "admin", interaction_cases(ids)),
                ("/evaluations/", "admin", evaluation_cases(ids)),
                ("/evaluations/", "lead", lead_cases(ids)),
            ]
            db.session.remove()
        worst = 0.0
        for path, who, found in groups:
            if args.only and args.only not in path:
                continue
            client = _signed_in(app, ids[who])
            print(f"{path} as {who} (rendered, {PER_PAGE} rows a page, count capped at 10,000):")
            worst = max(worst, *measure(app, client, path, found, not args.without_old))
        verdict = "met" if worst <= GOAL_MS else "missed"
        print(f"slowest list page {worst:.1f} ms: goal <= {GOAL_MS:.0f} ms on any page: {verdict}")


if __name__ == "__main__":
    main()
