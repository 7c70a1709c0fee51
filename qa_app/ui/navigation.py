"""The main menu: which entries each role sees."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user

from ..accounts.models import Role

ALL = frozenset(Role)
STAFF = frozenset({Role.ADMIN, Role.REVIEWER, Role.LEAD})


@dataclass(frozen=True)
class NavEntry:
    label: LazyString  # translated when the menu is drawn, in the reader's language
    endpoint: str
    roles: frozenset[Role]


# Features append their entries here, in menu order.
MENU: list[NavEntry] = [
    NavEntry(_l("Home"), "main.index", ALL),
    NavEntry(_l("My scorecards"), "evaluations.mine", frozenset({Role.AGENT})),
    NavEntry(_l("Self-reviews to do"), "self_reviews.mine", frozenset({Role.AGENT})),
    NavEntry(_l("My queue"), "sampling.queue", frozenset({Role.ADMIN, Role.REVIEWER})),
    NavEntry(_l("Interactions"), "interactions.index", STAFF),
    NavEntry(_l("Evaluations"), "evaluations.index", STAFF),
    NavEntry(_l("Self-reviews"), "self_reviews.index", STAFF),
    NavEntry(_l("Disputes"), "disputes.queue", STAFF),
    NavEntry(_l("Sampling"), "sampling.index", STAFF),
    NavEntry(_l("Calibration"), "calibration.index", frozenset({Role.ADMIN, Role.REVIEWER})),
    NavEntry(_l("Reviewer quality"), "reviews.reviewers", frozenset({Role.ADMIN, Role.REVIEWER})),
    NavEntry(_l("Auto QA trust"), "trust.trust", frozenset({Role.ADMIN, Role.REVIEWER})),
    NavEntry(_l("Results"), "results.index", ALL),
    NavEntry(_l("Action plans"), "plans.index", ALL),
    NavEntry(_l("Scorecards"), "scorecards.index", ALL),
    NavEntry(_l("Users"), "admin.users", frozenset({Role.ADMIN})),
    NavEntry(_l("Teams"), "admin.teams", frozenset({Role.ADMIN})),
    NavEntry(_l("Settings"), "admin.settings", frozenset({Role.ADMIN})),
    NavEntry(_l("Escalation phrases"), "signals.phrases", frozenset({Role.ADMIN})),
    NavEntry(_l("Webhooks"), "webhooks.index", frozenset({Role.ADMIN})),
    NavEntry(_l("Audit log"), "privacy.audit", frozenset({Role.ADMIN})),
    NavEntry(_l("My jobs"), "jobs.index", STAFF),
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
        NavItem(str(entry.label), url_for(entry.endpoint), request.endpoint == entry.endpoint)
        for entry in MENU
        if current_user.role in entry.roles
    ]


def init_navigation(app: Flask) -> None:
    app.jinja_env.globals["nav_items"] = nav_items
