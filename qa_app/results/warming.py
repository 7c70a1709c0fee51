"""Result pages rendered ahead: after a write, the worker renders the changed team and agent pages,
and the overviews, again for the views their readers use (readers.py), so the first reader after
the write reads a kept page instead of waiting for its render (docs/performance.md, "Rendered
ahead").

A transaction that stamps a change mark flags its connection (marks.stamp); when it commits, a
run is scheduled RESULTS_WARM_SECONDS later unless one is due already (a mark in the queue's
key-value store: a burst of writes from any number of processes makes one run). The run takes
the mark first, so a write committed while it works schedules the next one. It renders, for each
team whose name, members or stamps changed since this process last looked, every noted view of
the team's page and of its agents' pages as the reader standing for the view would see it: signed
in as them, in the view's language, with its arguments, through the same access checks; and when
anything changed, every noted view of the overviews (everyone's, and each lead's), which count
every team. Nothing here can make a page wrong: a kept part's key holds the stamps its render
read (marks.py).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from itertools import chain

import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from ..accounts.models import Role, Team, User
from ..extensions import db
from ..i18n import current_locale
from . import marks
from .access import agent_or_404, team_or_404
from .readers import WARMING, Page, View, views_of
from .views import EVERYONES, agent_part, org_part, org_teams, team_part

DUE = "qa-results-warm-due"  # in the queue's key-value store: when the due run was scheduled
STALE_SECONDS = 600  # a due mark this old lost its run (a worker stopped): schedule another
TASK = "results.warm_task"  # in app.extensions
SEEN = "results.warm_seen"  # in app.extensions: per page group, what this process rendered for
ENDPOINTS = {"team": "results.team", "agent": "results.agent", "org": "results.index"}
logger = logging.getLogger(__name__)


def init_warming(app: Flask) -> None:
    """The commit listeners (once per process) and the task on the app's queue."""
    for name, listener in (("commit", _committed), ("rollback", _rolled_back)):
        if not event.contains(Engine, name, listener):
            event.listen(Engine, name, listener)
    if not event.contains(Session, "after_flush", _teams_changed):
        event.listen(Session, "after_flush", _teams_changed)
    huey = app.extensions["huey"]

    def warm_task() -> None:
        with app.app_context():
            huey.get(DUE)  # taken first: a write committed from now on schedules the next run
            warm_pages()

    app.extensions[TASK] = huey.task(name="warm_results")(warm_task)


def _committed(connection: Connection) -> None:
    if connection.info.pop(marks.STAMPED, False) and has_app_context():
        schedule(current_app)


def _teams_changed(session: Session, _context: object) -> None:
    """A team renamed, made, removed or given other members stamps nothing (its page's key holds
    its name and members' ids), yet changes what its pages show: its transaction schedules a run
    as a stamping one does."""
    changed = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, Team) or _moved(obj) for obj in changed):
        session.connection().info[marks.STAMPED] = True


def _moved(obj: object) -> bool:
    return isinstance(obj, User) and inspect(obj).attrs.teams.history.has_changes()


def _rolled_back(connection: Connection) -> None:
    if not connection.invalidated:  # a lost connection's info went with it
        connection.info.pop(marks.STAMPED, None)


def schedule(app: Flask) -> bool:
    """Schedule a run unless one is due; False when none was (also when warming is off, with
    jobs run in the request, or when the queue fails: the pages then render on their next read)."""
    seconds = app.config.get("RESULTS_WARM_SECONDS") or 0
    if seconds <= 0 or app.config["JOBS_IMMEDIATE"]:
        return False
    huey = app.extensions["huey"]
    now = time.time()
    try:
        if not huey.put_if_empty(DUE, now):
            since = huey.get(DUE, peek=True)
            if isinstance(since, float) and now - since < STALE_SECONDS:
                return False
            huey.put(DUE, now)
        app.extensions[TASK].schedule(delay=seconds)
    except Exception as error:  # any queue backend's own errors
        logger.warning("results warming: the queue failed (%r); pages render when read", error)
        return False
    return True


def warm_pages() -> int:
    """Render each noted view of the pages of every team, and of every agent in no team, changed
    since this process last looked, and of the overviews if any was; returns how many views were
    rendered (or found kept already)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    seen: dict[Page, object] = app.extensions.setdefault(SEEN, {})
    today = datetime.now(UTC).date()  # "the last four weeks" moves with the day
    changed: list[tuple[Page, list[Page], object]] = []
    stamped = marks.of_teams()
    for team_id, name in db.session.execute(sa.select(Team.id, Team.name)).all():
        ids, stamps = stamped.get(team_id) or ([], marks.read([]))
        mark = (name, ids, stamps, today)
        if stamps is not None and seen.get(("team", team_id)) != mark:
            pages = [("team", team_id), *(("agent", agent_id) for agent_id in ids)]
            changed.append((("team", team_id), pages, mark))
    for agent_id, stamps in marks.of_teamless().items():  # their own page is all they have
        if stamps is not None and seen.get(("agent", agent_id)) != (stamps, today):
            changed.append((("agent", agent_id), [("agent", agent_id)], (stamps, today)))
    overviews = _overviews() if changed else []  # they count every team and agent
    db.session.rollback()  # each render reads in a context of its own
    views = 0
    for key, pages, mark in changed:
        for page in pages:
            views += sum(_render(app, page, view, reader) for view, reader in views_of(page))
        seen[key] = mark
    for page in overviews:
        views += sum(_render(app, page, view, reader) for view, reader in views_of(page))
    return views


def _overviews() -> list[Page]:
    """Everyone's overview and each team lead's (a lead of one team reads none; a lead of no
    team's empty overview is left to its reader)."""
    leads = sa.select(Team.lead_id).where(Team.lead_id.is_not(None)).distinct()
    return [("org", EVERYONES), *(("org", lead_id) for lead_id in db.session.scalars(leads))]


def _render(app: Flask, page: Page, view: View, reader_id: int) -> bool:
    """Render the page's kept part as the reader would see it in this view; False when the
    reader no longer has this view of it (another role or language, gone, no longer allowed)."""
    kind, object_id = page
    host = app.config.get("SERVER_NAME") or "localhost"  # the page's links are relative
    values = {} if kind == "org" else {f"{kind}_id": object_id}
    path = app.url_map.bind(host).build(ENDPOINTS[kind], values)
    with (
        app.app_context(),  # a fresh g: the reader's own locale and user
        app.test_request_context(
            path,
            base_url=f"http://{host}{view.script_root}",
            query_string=view.query,
            headers={"Accept-Language": view.language},
        ),
    ):
        g.setdefault(WARMING, True)
        reader = db.session.get(User, reader_id)
        if reader is None or not reader.is_active or reader.role.value != view.role:
            return False
        g._login_user = reader  # current_user, as Flask-Login keeps it (no sign-in is written)
        if str(current_locale()) != view.language:
            return False
        try:
            if kind == "team":
                team_part(team_or_404(object_id))
            elif kind == "agent":
                agent_part(agent_or_404(object_id))
            else:
                return _overview(reader, object_id)
        except HTTPException:
            return False
        except Exception:  # a page that fails to render: the reader will meet it; the rest goes on
            logger.exception("results warming: %s %s failed to render", kind, object_id)
            return False
        return True


def _overview(reader: User, page_id: int) -> bool:
    """Render the reader's overview if it is still this page: everyone's for an admin or a
    reviewer, their own for a lead who leads other than exactly one team."""
    if reader.role == Role.AGENT:
        return False
    teams = org_teams(reader)
    if page_id == EVERYONES:
        still = teams is None
    else:
        still = teams is not None and page_id == reader.id and len(teams) != 1
    if not still:
        return False
    org_part(teams)
    return True
