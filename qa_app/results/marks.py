"""Change marks: a stamp per scope, renewed in the transaction of every write that changes what a
result page shows of that scope, so that a page part kept under the stamps it read stays right
for as long as they do (docs/performance.md, "Page parts").

Scopes: `agent:<id>`, the agent's counted rows (every refresh of their aggregates, from
rollups.py) and which of their evaluations are hidden from them (a write of a row that decides
it, as the slices registered it: `AgentHider` in evaluations/access.py); `everyone`, what every
page names or counts outside the aggregates (people's names, scorecards and their criteria, root
causes, Auto QA results) and a rebuild of every aggregate.
Who is in a team and the team's name are read on every request and are part of the key.

A stamp is random, not counted up: a database restored from a backup, or a second database
sharing the cache, never meets an entry made from other data under the same stamps.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from itertools import chain
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session

from ..accounts.models import Role, User, team_members
from ..evaluations.access import HIDDEN_FROM_AGENT
from ..extensions import db
from .models import ResultMark

EVERYONE = "everyone"
Stamps = list[tuple[str, int]] | None  # what read() gives; None: nothing may be kept under them
PENDING = "qa_result_marks"  # in session.info: `everyone` is stamped when the session commits
HIDING = "qa_result_mark_agents"  # in session.info: agents whose hidden evaluations may change
STAMPED = "qa_result_marks_stamped"  # in a connection's info: its transaction stamped (warming.py)
# Tables the result pages read outside the aggregates, and the columns of each that they show
# (None: any change). A user's sign-in or password change leaves the pages as they were, and a
# new user shows nowhere before joining a team (the team page's key holds its members' ids).
SHOWN: dict[str, tuple[str, ...] | None] = {
    "users": ("display_name", "role", "is_active"),
    "scorecards": None,
    "scorecard_versions": None,
    "sections": None,
    "criteria": None,
    "root_causes": None,
    "root_cause_categories": None,
    "auto_results": None,
    "auto_suggestions": None,
}


def agent(agent_id: int) -> str:
    return f"agent:{agent_id}"


def stamp(connection: Connection, scopes: Iterable[str]) -> None:
    """Give these scopes a new stamp now, in the connection's transaction.

    An agent's row is stamped under the named locks of the rows it marks (rollups.lock_names),
    so its writers already take turns; `everyone` is stamped last, when the session commits.
    """
    names = sorted(set(scopes))
    if not names:
        return
    value = secrets.randbits(62)
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = insert(ResultMark).values([{"scope": name, "stamp": value} for name in names])
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["scope"], set_={"stamp": statement.excluded.stamp}
        )
    )
    connection.info[STAMPED] = True


def later(session: Session) -> None:
    """Stamp `everyone` when the session commits: last, so a transaction that holds its row waits
    for nothing else (no deadlock), and once however many flushes touched it. Agents whose hidden
    evaluations changed are stamped in the same statement, in the same sorted order."""
    session.info[PENDING] = True


def read(scopes: Iterable[str]) -> Stamps:
    """The stamps of these scopes and of `everyone`, in one order; None while `everyone` has none
    (a database whose aggregates were filled by other means): nothing may be kept under them."""
    wanted = sorted({*scopes, EVERYONE})
    found = sorted((scope, value) for scope, value in db.session.execute(_STAMPS, {"in": wanted}))
    return found if any(scope == EVERYONE for scope, _value in found) else None


def of_team(team_id: int) -> tuple[list[int], Stamps]:
    """The ids of the agents now in the team, sorted, and the stamps read() gives for them: one
    statement (the team and agent pages read both on every request, kept or not)."""
    ids, found, everyone = [], [], False
    for agent_id, scope, value in db.session.execute(_TEAM_STAMPS, {"team_id": team_id}):
        if agent_id is not None:
            ids.append(agent_id)
        everyone |= scope == EVERYONE
        if scope is not None:
            found.append((scope, value))
    return sorted(ids), sorted(found) if everyone else None


def of_teams() -> dict[int, tuple[list[int], Stamps]]:
    """of_team() of every team with members, in two statements (the worker's run reads them
    all); a team missing from it has no members: ([], read([]))."""
    everyone = read([])
    members: dict[int, list[int]] = {}
    found: dict[int, list[tuple[str, int]]] = {}
    for team_id, agent_id, scope, value in db.session.execute(_ALL_TEAM_STAMPS):
        members.setdefault(team_id, []).append(agent_id)
        if scope is not None:
            found.setdefault(team_id, []).append((scope, value))
    return {
        team_id: (
            sorted(ids),
            None if everyone is None else sorted([*found.get(team_id, []), *everyone]),
        )
        for team_id, ids in members.items()
    }


def of_teamless() -> dict[int, Stamps]:
    """read() of each agent in no team, in two statements (the worker's run renders their pages
    ahead too)."""
    everyone = read([])
    found: dict[int, list[tuple[str, int]]] = {}
    for agent_id, scope, value in db.session.execute(_TEAMLESS_STAMPS):
        found.setdefault(agent_id, []).extend([] if scope is None else [(scope, value)])
    return {
        agent_id: None if everyone is None else sorted([*own, *everyone])
        for agent_id, own in found.items()
    }


def of_everyone() -> tuple[list[tuple[int, int]], Stamps]:
    """Every (team, agent) membership and every stamp, for a page that counts the whole
    organisation (or several teams) at once: any agent's write, or a move between teams, makes
    it new. Two statements."""
    members = [(team_id, agent_id) for team_id, agent_id in db.session.execute(_MEMBERSHIPS)]
    found = [(scope, value) for scope, value in db.session.execute(_EVERY_STAMP)]
    return members, found if any(scope == EVERYONE for scope, _value in found) else None


# Built once (read on every result page): a new statement works out its cache key each time.
_STAMPS = sa.select(ResultMark.scope, ResultMark.stamp).where(
    ResultMark.scope.in_(sa.bindparam("in", expanding=True))
)
_MEMBER = team_members.c.agent_id
_MEMBERSHIPS = sa.select(team_members.c.team_id, _MEMBER).order_by(team_members.c.team_id, _MEMBER)
_EVERY_STAMP = sa.select(ResultMark.scope, ResultMark.stamp).order_by(ResultMark.scope)
_MEMBER_STAMP = ResultMark.scope == sa.literal("agent:") + sa.cast(_MEMBER, sa.String)
_ALL_TEAM_STAMPS = sa.select(
    team_members.c.team_id, _MEMBER, ResultMark.scope, ResultMark.stamp
).outerjoin(ResultMark, _MEMBER_STAMP)
_TEAMLESS_STAMPS = (
    sa.select(User.id, ResultMark.scope, ResultMark.stamp)
    .outerjoin(ResultMark, ResultMark.scope == sa.literal("agent:") + sa.cast(User.id, sa.String))
    .where(User.role == Role.AGENT, ~sa.exists().where(User.id == _MEMBER))
)
_TEAM_STAMPS = sa.union_all(
    sa.select(_MEMBER, ResultMark.scope, ResultMark.stamp)
    .outerjoin(ResultMark, _MEMBER_STAMP)
    .where(team_members.c.team_id == sa.bindparam("team_id")),
    sa.select(sa.cast(sa.null(), sa.Integer), ResultMark.scope, ResultMark.stamp).where(
        ResultMark.scope == EVERYONE
    ),
)


def init_marks(app: Flask) -> None:
    """Install the session listeners that stamp `everyone` (once per process)."""
    del app
    for name, listener in (
        ("before_flush", _collect),
        ("do_orm_execute", _statement),
        ("before_commit", _stamp_pending),
        ("after_rollback", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _shown_change(session: Session, obj: Any) -> bool:
    table = _table(type(obj))
    if table not in SHOWN:
        return False
    columns = SHOWN[table]
    if columns is None or obj in session.deleted:
        return True
    return obj not in session.new and _changed(obj, columns)


def _changed(obj: Any, columns: tuple[str, ...]) -> bool:
    """Whether the flush writes a new value to any of these columns of a stored row."""
    state = inspect(obj)
    return any(state.attrs[column].history.has_changes() for column in columns)


def _hiding_change(session: Session, obj: Any) -> set[int]:
    """The agents whose pages may hide or show an evaluation after this write of `obj`."""
    for hider in HIDDEN_FROM_AGENT.values():
        if not isinstance(obj, hider.model):
            continue
        stored = obj not in session.new and obj not in session.deleted
        if stored and not _changed(obj, hider.columns):
            continue
        with session.no_autoflush:
            return {agent_id for agent_id in hider.agents(obj) if agent_id is not None}
    return set()


def _collect(session: Session, _context: Any, _instances: Any) -> None:
    hiding: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if PENDING not in session.info and _shown_change(session, obj):
            later(session)
        hiding |= _hiding_change(session, obj)
    if hiding:
        session.info.setdefault(HIDING, set()).update(hiding)


def _statement(state: ORMExecuteState) -> None:
    """Bulk INSERT, UPDATE and DELETE statements on a mapped class through the session (Auto QA
    stores its results so) bypass the flush; their table decides as the rows' would (new rows
    of a table whose shown columns are listed show nowhere yet; any such statement on a hider's
    table stamps everyone). Rows of these tables are written through the ORM: a plain Core
    statement is not seen here."""
    if not state.is_orm_statement or not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    shown = table in SHOWN and not (state.is_insert and SHOWN[table] is not None)
    # on a hider's table, whose evaluations it hides or shows is not known: every page anew
    if shown or any(table == _table(hider.model) for hider in HIDDEN_FROM_AGENT.values()):
        later(state.session)


def _table(model: type) -> str | None:
    return getattr(model, "__tablename__", None)


def _stamp_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # the last changes are noted too
    scopes = [agent(agent_id) for agent_id in session.info.pop(HIDING, ())]
    if session.info.pop(PENDING, False):
        scopes.append(EVERYONE)
    if scopes:
        stamp(session.connection(), scopes)


def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(HIDING, None)
