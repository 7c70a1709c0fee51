"""Keeping a scorecard's root-cause list: add, rename, retire or restore, reorder; the rule."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..errors import UserError
from ..extensions import db
from .models import RootCause, RootCauseCategory, RootCauseSettings, evaluation_score_causes

Item = RootCauseCategory | RootCause


class RootCauseError(UserError):
    """Why a change to the root-cause list was refused."""


def is_required(scorecard_id: int) -> bool:
    """Whether a criterion scored 1-3 on this scorecard needs at least one cause."""
    found = db.session.get(RootCauseSettings, scorecard_id)
    return found is not None and found.required


def set_required(scorecard_id: int, required: bool) -> None:
    found = db.session.get(RootCauseSettings, scorecard_id)
    if found is None:
        db.session.add(RootCauseSettings(scorecard_id=scorecard_id, required=required))
    else:
        found.required = required
    db.session.flush()


def categories(scorecard_id: int) -> list[RootCauseCategory]:
    """The whole list, retired parts included, in its order, with the causes in one query."""
    stmt = (
        sa.select(RootCauseCategory)
        .where(RootCauseCategory.scorecard_id == scorecard_id)
        .options(selectinload(RootCauseCategory.causes))
        .order_by(RootCauseCategory.position, RootCauseCategory.id)
    )
    return list(db.session.scalars(stmt))


def offered(scorecard_id: int) -> list[tuple[RootCauseCategory, list[RootCause]]]:
    """What a reviewer may pick: the live categories with their live causes, none empty."""
    found = []
    for category in categories(scorecard_id):
        causes = [cause for cause in category.causes if not cause.retired]
        if not category.retired and causes:
            found.append((category, causes))
    return found


def _siblings(item: Item) -> Sequence[Item]:
    if isinstance(item, RootCause):
        return item.category.causes
    return categories(item.scorecard_id)


def _check_name(item: Item | None, siblings: Sequence[Item], name: str) -> str:
    name = name.strip()
    if not name:
        raise RootCauseError(_("Give a name."))
    if any(other is not item and other.name.casefold() == name.casefold() for other in siblings):
        raise RootCauseError(_('"%(name)s" is already in this list.', name=name))
    return name


def add_category(scorecard_id: int, name: str) -> RootCauseCategory:
    siblings = categories(scorecard_id)
    category = RootCauseCategory(
        scorecard_id=scorecard_id,
        name=_check_name(None, siblings, name),
        position=len(siblings),
    )
    db.session.add(category)
    db.session.flush()
    return category


def add_cause(category: RootCauseCategory, name: str) -> RootCause:
    siblings = category.causes
    cause = RootCause(name=_check_name(None, siblings, name), position=len(siblings))
    category.causes.append(cause)
    db.session.flush()
    return cause


def rename(item: Item, name: str) -> None:
    item.name = _check_name(item, _siblings(item), name)
    db.session.flush()


def set_retired(item: Item, retired: bool) -> None:
    """A retired item stays on the evaluations that picked it; it is only offered no more."""
    item.retired = retired
    db.session.flush()


def move(item: Item, step: int) -> None:
    """Swap the item with its neighbour (step -1: up, +1: down); positions are renumbered."""
    ordered = list(_siblings(item))
    index = ordered.index(item)
    other = index + step
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, each in enumerate(ordered):
        each.position = position
    db.session.flush()


@dataclass(frozen=True)
class Pick:
    """The causes sent for one criterion, as the check below needs them."""

    criterion: str  # its name, for the message
    low: bool  # scored 1, 2 or 3
    wanted: frozenset[int]
    kept: frozenset[int]  # stored on this score already: allowed even if retired since


def pick_problems(scorecard_id: int, picks: Sequence[Pick], complete: bool) -> list[str]:
    """Causes not on the scorecard's live list (unless kept), and missing required ones."""
    allowed = {cause.id for _, causes in offered(scorecard_id) for cause in causes}
    required = complete and is_required(scorecard_id)
    found = []
    for pick in picks:
        if pick.wanted - allowed - pick.kept:
            found.append(
                _(
                    'A root cause sent for "%(criterion)s" cannot be picked.',
                    criterion=pick.criterion,
                )
            )
        elif required and pick.low and not pick.wanted:
            found.append(
                _('Pick at least one root cause for "%(criterion)s".', criterion=pick.criterion)
            )
    return found


def stored_picks(score_ids: Sequence[int]) -> dict[int, frozenset[int]]:
    """The cause ids stored per evaluation score id, in one query."""
    table = evaluation_score_causes
    stmt = sa.select(table.c.evaluation_score_id, table.c.root_cause_id).where(
        table.c.evaluation_score_id.in_(score_ids)
    )
    found: dict[int, set[int]] = defaultdict(set)
    for score_id, cause_id in db.session.execute(stmt):
        found[score_id].add(cause_id)
    return {score_id: frozenset(ids) for score_id, ids in found.items()}


def causes_by_id(ids: Iterable[int]) -> dict[int, RootCause]:
    stmt = (
        sa.select(RootCause)
        .where(RootCause.id.in_(list(ids)))
        .options(selectinload(RootCause.category))
    )
    return {cause.id: cause for cause in db.session.scalars(stmt)}


def list_order(cause: RootCause) -> tuple[int, int, int, int]:
    """Where a cause stands in its scorecard's list: by category, then within it."""
    return cause.category.position, cause.category.id, cause.position, cause.id


def cause_text(causes: Iterable[RootCause]) -> str:
    """Causes as the history keeps them: "Knowledge / Product policy, Process / Wrong tool"."""
    ordered = sorted(causes, key=list_order)
    return ", ".join(f"{cause.category.name} / {cause.name}" for cause in ordered)


def picks_by_score(score_ids: Sequence[int]) -> dict[int, list[RootCause]]:
    """Each evaluation score's causes, in list order, for a page: two queries in all."""
    stored = stored_picks(score_ids)
    known = causes_by_id({cause for ids in stored.values() for cause in ids})
    return {sid: sorted((known[c] for c in ids), key=list_order) for sid, ids in stored.items()}
