"""Who reads a kept result page, and how: noted when a request renders the page, so that the
worker can render it again for them after a write (warming.py, docs/performance.md).

A view is what decides a kept page part besides the data: the reader's role and language, the
page's arguments (its filters) and where the app is mounted; one reader's id stands for every
reader with the same view. Notes live in the chart cache's backend beside the parts, a few views
a page, for NOTE_SECONDS after the last render of the view in a request: a page read only while kept
is not noted again, so a reader who keeps coming back pays one render in that time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import g, request
from flask_login import current_user

from ..i18n import current_locale
from .chart_cache import keep, read

NOTE_SECONDS = 14 * 24 * 3600
MAX_VIEWS = 6  # a page's latest distinct views; an older one is dropped
WARMING = "qa_results_warming"  # in g: this render is the worker's, not a reader's


@dataclass(frozen=True)
class View:
    """How a page was read, and by whom (any reader of the same view would do)."""

    role: str
    language: str
    query: str
    script_root: str


# ("team", id), ("agent", id), or ("org", 0) for the overview of every team (admins and
# reviewers) and ("org", lead id) for a lead's overview of their teams
Page = tuple[str, int]


def _key(page: Page) -> str:
    return f"readers {page[0]} {page[1]}"


def views_of(page: Page) -> list[tuple[View, int]]:
    """The views noted for this page with the reader who stands for each, newest last."""
    found = read(_key(page))
    return list(found) if isinstance(found, list) else []


def noted(page: Page, render: Callable[[], str]) -> Callable[[], str]:
    """`render`, which also notes the request's view of the page (a reader's request only)."""

    def note_and_render() -> str:
        if not g.get(WARMING):
            _note(page)
        return render()

    return note_and_render


def _note(page: Page) -> None:
    view = View(
        current_user.role.value,
        str(current_locale()),
        request.query_string.decode("latin-1"),
        request.script_root,
    )
    others = [(seen, reader) for seen, reader in views_of(page) if seen != view]
    keep(_key(page), [*others, (view, current_user.id)][-MAX_VIEWS:], NOTE_SECONDS)
