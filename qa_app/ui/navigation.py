"""The main menu: its groups, which entries each role sees, and the counts of waiting work.

How a feature adds an entry or a count: docs/navigation.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app, g, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user

from ..accounts.models import Role, User
from ..extensions import db

ALL = frozenset(Role)
STAFF = frozenset({Role.ADMIN, Role.REVIEWER, Role.LEAD})
SCORERS = frozenset({Role.ADMIN, Role.REVIEWER})
ADMIN = frozenset({Role.ADMIN})
AGENT = frozenset({Role.AGENT})
LEAD_AND_AGENT = frozenset({Role.LEAD, Role.AGENT})


@dataclass(frozen=True)
class NavGroup:
    """A drop-down of the menu, named by what the person does there."""

    key: str
    label: LazyString


WORK = NavGroup("work", _l("Work"))
REVIEW = NavGroup("review", _l("Review"))
RESULTS = NavGroup("results", _l("Results"))
SETUP = NavGroup("setup", _l("Setup"))
ACCOUNT = NavGroup("account", _l("Account"))  # the user menu at the end of the bar


@dataclass(frozen=True)
class NavEntry:
    label: LazyString  # translated when the menu is drawn, in the reader's language
    endpoint: str
    roles: frozenset[Role]
    group: NavGroup | None  # None: a link of its own in front of the groups
    count: str | None = None  # the name of a count registered with register_count
    args: tuple[tuple[str, str], ...] = ()  # query arguments telling one endpoint's entries apart


# Features append their entries here; within a group the menu keeps this order.
MENU: list[NavEntry] = [
    NavEntry(_l("Home"), "main.index", ALL, None),
    NavEntry(_l("My queue"), "sampling.queue", SCORERS, WORK, "queue"),
    NavEntry(
        _l("Drafts"),
        "evaluations.index",
        SCORERS,
        WORK,
        "drafts",
        (("status", "draft"), ("mine", "1")),
    ),
    NavEntry(_l("Calibration"), "calibration.index", SCORERS, WORK, "calibration"),
    NavEntry(_l("My scorecards"), "evaluations.mine", AGENT, WORK, "unread"),
    NavEntry(_l("Self-reviews to do"), "self_reviews.mine", AGENT, WORK, "self_reviews"),
    NavEntry(_l("Interactions"), "interactions.index", STAFF, REVIEW),
    NavEntry(_l("Evaluations"), "evaluations.index", STAFF, REVIEW),
    NavEntry(_l("Disputes"), "disputes.queue", STAFF, REVIEW, "disputes"),
    NavEntry(_l("Self-reviews"), "self_reviews.index", STAFF, REVIEW),
    NavEntry(_l("Reviewer quality"), "reviews.reviewers", SCORERS, REVIEW),
    NavEntry(_l("Auto QA trust"), "trust.trust", SCORERS, REVIEW),
    NavEntry(_l("Results"), "results.index", ALL, RESULTS),
    NavEntry(_l("Action plans"), "plans.index", ALL, RESULTS),
    NavEntry(_l("Sampling"), "sampling.index", frozenset({Role.LEAD}), RESULTS),
    NavEntry(_l("Scorecards"), "scorecards.index", LEAD_AND_AGENT, RESULTS),
    NavEntry(_l("Scorecards"), "scorecards.index", SCORERS, SETUP),
    NavEntry(_l("Sampling"), "sampling.index", SCORERS, SETUP),
    NavEntry(_l("Rule playground"), "autoqa.playground", SCORERS, SETUP),
    NavEntry(_l("Users"), "admin.users", ADMIN, SETUP),
    NavEntry(_l("Teams"), "admin.teams", ADMIN, SETUP),
    NavEntry(_l("Settings"), "admin.settings", ADMIN, SETUP),
    NavEntry(_l("Notification settings"), "notifications.settings", ADMIN, SETUP),
    NavEntry(_l("Escalation phrases"), "signals.phrases", ADMIN, SETUP),
    NavEntry(_l("Model server"), "admin.model_server", ADMIN, SETUP),
    NavEntry(_l("Webhooks"), "webhooks.index", ADMIN, SETUP),
    NavEntry(_l("Audit log"), "privacy.audit", ADMIN, SETUP),
    NavEntry(_l("Single sign-on"), "sso.settings", ADMIN, SETUP),
    NavEntry(_l("Zendesk connection"), "connectors.zendesk", ADMIN, SETUP),
    NavEntry(_l("API tokens"), "api.all_tokens", ADMIN, SETUP),
    NavEntry(_l("Preferences"), "auth.preferences", ALL, ACCOUNT),
    NavEntry(_l("Password"), "auth.change_password", ALL, ACCOUNT),
    NavEntry(_l("My jobs"), "jobs.index", STAFF, ACCOUNT),
]
GROUPS = (WORK, REVIEW, RESULTS, SETUP)  # the order of the drop-downs

# A count names the rows of a list page the user still has to act on. The owning slice registers
# a function that gives, for a user, the select of those rows; the menu counts them all at once.
CountQuery = Callable[[User], sa.Select[Any]]
COUNTS: dict[str, CountQuery] = {}
# Counts that every page of a signed-in user shows beside the menu (the bell's unread
# notifications): read in the menu's statement, so a page pays one statement for all of them.
EVERY_PAGE: set[str] = set()


def register_count(name: str, query: CountQuery, *, every_page: bool = False) -> None:
    """Say how to count the waiting rows behind a menu entry's `count` name; `every_page` for
    a count shown outside the menu entries, on every page (read it from `menu_counts()`).

    The query must build SQL only: it is called once per role with a stand-in user whose `id`
    is a bound parameter (`Reader`), and the statement serves every user of that role."""
    COUNTS[name] = query
    if every_page:
        EVERY_PAGE.add(name)
    _STATEMENTS.clear()


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: str | None  # the aria-current value: "page", "true" (a page under it) or None
    count: int = 0


@dataclass(frozen=True)
class NavSection:
    """One place of the bar: a drop-down group, or a single link (`label` None)."""

    key: str
    label: str | None
    items: list[NavItem] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(item.current for item in self.items)

    @property
    def count(self) -> int:
        return sum(item.count for item in self.items)


@dataclass(frozen=True)
class Menu:
    sections: list[NavSection]
    account: list[NavItem]


def visible_entries(role: Role) -> list[NavEntry]:
    return [entry for entry in MENU if role in entry.roles]


@dataclass(frozen=True)
class Reader:
    """Stands for the user while the counts' statement of a role is built: the user's id is a
    bound parameter, given when the statement runs."""

    role: Role
    id: sa.BindParameter[int] = field(
        default_factory=lambda: sa.bindparam("menu_user_id", type_=sa.Integer)
    )


# (role, count names) -> the built statement. Building it cost more than running it (about
# 3 ms of Python for an admin's five counts); SQLAlchemy then reuses its compiled form.
_STATEMENTS: dict[tuple[Role, tuple[str, ...]], sa.Select[Any]] = {}


def _counts_statement(role: Role, names: tuple[str, ...]) -> sa.Select[Any]:
    key = (role, names)
    statement = _STATEMENTS.get(key)
    if statement is None:
        reader = cast(User, Reader(role))
        columns = [
            sa.select(sa.func.count())
            .select_from(COUNTS[name](reader).order_by(None).subquery())
            .scalar_subquery()
            .label(name)
            for name in names
        ]
        statement = _STATEMENTS[key] = sa.select(*columns)
    return statement


def counts_for(user: User, names: list[str]) -> dict[str, int]:
    """The named counts for this user, in one SQL statement of scalar subqueries."""
    known = tuple(sorted({name for name in names if name in COUNTS}))
    if not known:
        return {}
    statement = _counts_statement(user.role, known)
    row = db.session.execute(statement, {"menu_user_id": user.id}).one()
    return {name: int(value or 0) for name, value in zip(known, row, strict=True)}


def menu_counts() -> dict[str, int]:
    """The counts of the signed-in user's menu, computed once per request."""
    if "nav_counts" not in g:
        names = [e.count for e in visible_entries(current_user.role) if e.count]
        names += sorted(EVERY_PAGE)
        g.nav_counts = counts_for(current_user, names)
    return g.nav_counts  # type: ignore[no-any-return]


def _matches(entry: NavEntry) -> bool:
    return request.endpoint == entry.endpoint and all(
        request.args.get(key) == value for key, value in entry.args
    )


def current_entry(entries: list[NavEntry]) -> tuple[NavEntry | None, str]:
    """The entry of this page (the one with most matching arguments), else the only entry of
    the page's blueprint, marked as a place under it."""
    exact = [entry for entry in entries if _matches(entry)]
    if exact:
        return max(exact, key=lambda entry: len(entry.args)), "page"
    blueprint = request.blueprint or ""
    same = [entry for entry in entries if entry.endpoint.split(".")[0] == blueprint]
    return (same[0], "true") if len(same) == 1 else (None, "")


def _url(entry: NavEntry) -> str:
    """The entry's address, built once per app and mount point instead of by url_for for
    every entry of every page."""
    urls: dict[tuple[str, str, tuple[tuple[str, str], ...]], str]
    urls = current_app.extensions.setdefault("nav_urls", {})
    key = (request.script_root, entry.endpoint, entry.args)
    url = urls.get(key)
    if url is None:
        url = urls[key] = url_for(entry.endpoint, **dict(entry.args))
    return url


def build_menu(role: Role, counts: dict[str, int]) -> Menu:
    """The sections of the bar and the account items for a role, the current place marked."""
    entries = visible_entries(role)
    current, kind = current_entry(entries)

    def item(entry: NavEntry) -> NavItem:
        url = _url(entry)
        count = counts.get(entry.count, 0) if entry.count else 0
        return NavItem(str(entry.label), url, kind if entry is current else None, count)

    sections = [NavSection(e.endpoint, None, [item(e)]) for e in entries if e.group is None]
    for group in GROUPS:
        items = [item(entry) for entry in entries if entry.group is group]
        if len(items) == 1:  # a group of one is a plain link
            sections.append(NavSection(group.key, None, items))
        elif items:
            sections.append(NavSection(group.key, str(group.label), items))
    account = [item(entry) for entry in entries if entry.group is ACCOUNT]
    return Menu(sections, account)
