"""The main menu: which entries each role sees."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user

from .accounts.models import Role

ALL = frozenset(Role)
STAFF = frozenset({Role.ADMIN, Role.REVIEWER, Role.LEAD})


@dataclass(frozen=True)
class NavEntry:
    label: str
    endpoint: str
    roles: frozenset[Role]


# Features append their entries here, in menu order.
MENU: list[NavEntry] = [
    NavEntry("Home", "main.index", ALL),
    NavEntry("My scorecards", "evaluations.mine", frozenset({Role.AGENT})),
    NavEntry("My queue", "sampling.queue", frozenset({Role.ADMIN, Role.REVIEWER})),
    NavEntry("Interactions", "interactions.index", STAFF),
    NavEntry("Evaluations", "evaluations.index", STAFF),
    NavEntry("Disputes", "evaluations.disputes_queue", STAFF),
    NavEntry("Sampling", "sampling.index", STAFF),
    NavEntry("Calibration", "calibration.index", frozenset({Role.ADMIN, Role.REVIEWER})),
    NavEntry("Results", "results.index", ALL),
    NavEntry("Action plans", "plans.index", ALL),
    NavEntry("Scorecards", "scorecards.index", ALL),
    NavEntry("Users", "admin.users", frozenset({Role.ADMIN})),
    NavEntry("Teams", "admin.teams", frozenset({Role.ADMIN})),
    NavEntry("Settings", "admin.settings", frozenset({Role.ADMIN})),
]


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def nav_items() -> list[NavItem]:
    """The menu entries for the signed-in user, with the current one marked."""
    if not current_user.is_authenticated:
        return []
    return [
        NavItem(entry.label, url_for(entry.endpoint), request.endpoint == entry.endpoint)
        for entry in MENU
        if current_user.role in entry.roles
    ]


def init_navigation(app: Flask) -> None:
    app.jinja_env.globals["nav_items"] = nav_items
