"""Keyset pages for long lists: "Newest", "Newer" and "Older" links that cost what the first
page costs, whatever the page, and a count that stops at a cap (docs/performance.md, Lists).

A list is sorted newest first by one or more *parts*, each a set of rows with sort keys that are
never NULL, the last key unique (the id): the evaluation list shows its drafts (no submission
time) before the submitted ones. A page is read through the keys, never with OFFSET, so the
thousandth page is as fast as the first and rows added meanwhile do not shift the pages.

The cursor in a link is the part and the key values of the row the page starts after (``after``,
older rows) or before (``before``, newer rows), as base64 of a small JSON list. It is not signed:
it only says where to start reading, and the rows a user may see are chosen by the query itself.
A cursor that is not understood gives the first page with a message, never an error.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import flash, request
from flask_babel import gettext as _

from ..database import UTCDateTime
from ..extensions import db
from ..routing import MAX_ID
from .late_filter import Late, LateReading, probe

COUNT_CAP = 10_000  # a list counts its rows up to this many, then shows "more than"


@dataclass(frozen=True)
class Part:
    """Rows of a list sorted by ``keys``, descending; the last key is unique (the id)."""

    where: sa.ColumnElement[bool] | None
    keys: tuple[Any, ...]


@dataclass(frozen=True)
class Position:
    part: int
    values: tuple[Any, ...]
    newer: bool  # read the rows before the position (the "Newer" link), not after it


@dataclass(frozen=True)
class KeysetPage:
    items: list[Any]
    newer: str | None  # the cursor for ?before=, None on the newest page
    older: str | None  # the cursor for ?after=, None on the oldest page
    at_start: bool  # the newest page, asked for without a cursor
    total: int  # the rows in the whole list, up to COUNT_CAP
    capped: bool  # more than COUNT_CAP rows: show "more than"


def _encode(part: int, values: Sequence[Any]) -> str:
    shown = [v.astimezone(UTC).isoformat() if isinstance(v, datetime) else v for v in values]
    text = json.dumps([part, *shown], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


def _value(key: Any, raw: Any) -> Any:
    """A key's value from the cursor, or ValueError when it cannot be one."""
    if isinstance(key.type, UTCDateTime):
        moment = datetime.fromisoformat(raw) if isinstance(raw, str) and len(raw) < 40 else None
        if moment is None or moment.tzinfo is None:
            raise ValueError("not a moment")
        return moment.astimezone(UTC)
    if type(raw) is not int or not 0 <= raw <= MAX_ID:  # PostgreSQL binds an id as INTEGER
        raise ValueError("not an integer key")
    return raw


def decode(raw: str, parts: Sequence[Part], newer: bool) -> Position | None:
    """The position a cursor names in these parts, or None when it names none."""
    try:
        found = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        part = found[0] if isinstance(found, list) and found else None
        if type(part) is not int or not 0 <= part < len(parts):
            return None
        keys = parts[part].keys
        if len(found) != len(keys) + 1:
            return None
        values = tuple(_value(key, value) for key, value in zip(keys, found[1:], strict=True))
    except (ValueError, TypeError, OverflowError, binascii.Error, RecursionError):
        return None
    return Position(part, values, newer)


def requested(parts: Sequence[Part]) -> Position | None:
    """The position asked for by ``after`` or ``before``; a bad one is told and dropped."""
    for name, newer in (("after", False), ("before", True)):
        raw = request.args.get(name)
        if raw:
            found = decode(raw[:500], parts, newer)
            if found is None:
                flash(_("That page link was not understood: here is the first page."), "error")
            return found
    return None


def _beyond(keys: Sequence[Any], values: Sequence[Any], older: bool) -> sa.ColumnElement[bool]:
    """Rows strictly after (older) or before (newer) the key values, in a form indexes serve."""
    key, value = keys[0], values[0]
    strict = key < value if older else key > value
    if len(keys) == 1:
        return strict
    loose = key <= value if older else key >= value
    return sa.and_(loose, sa.or_(strict, _beyond(keys[1:], values[1:], older)))


def _read(
    stmt: sa.Select[Any],
    part: Part,
    values: tuple[Any, ...] | None,
    newer: bool,
    limit: int,
    late: LateReading | None = None,
) -> list[Any]:
    """Rows of one part past the key values (all when None), in reading order."""
    if part.where is not None:
        stmt = stmt.where(part.where)
    if values is not None:
        stmt = stmt.where(_beyond(part.keys, values, older=not newer))
    stmt = stmt.order_by(*[key.asc() if newer else key.desc() for key in part.keys])
    if late is None:
        return list(db.session.scalars(stmt.limit(limit)))
    found = None if late.is_few() else probe(stmt, part, newer, late, limit)
    if found is None and not late.is_few() and (bound := late.bound(part, newer)) is not None:
        stmt = stmt.where(bound)
        found = probe(stmt, part, newer, late, limit)
    if found is None:
        found = list(db.session.scalars(stmt.where(late.late.where).limit(limit)))
    return found


def _gather(
    stmt: sa.Select[Any],
    parts: Sequence[Part],
    at: Position | None,
    limit: int,
    late: LateReading | None = None,
) -> list[tuple[int, Any]]:
    """Up to ``limit`` rows from the position on, part after part, in reading order."""
    newer = at is not None and at.newer
    start = at.part if at is not None else 0
    rows: list[tuple[int, Any]] = []
    for index in range(start, -1, -1) if newer else range(start, len(parts)):
        values = at.values if at is not None and index == at.part else None
        found = _read(stmt, parts[index], values, newer, limit - len(rows), late)
        rows += [(index, row) for row in found]
        if len(rows) >= limit:
            break
    return rows


def _cursor(parts: Sequence[Part], found: tuple[int, Any]) -> str:
    index, row = found
    return _encode(index, [getattr(row, key.key) for key in parts[index].keys])


def capped_count(stmt: sa.Select[Any], id_column: Any, cap: int = COUNT_CAP) -> int:
    """The rows of a select, counted up to ``cap + 1``: the cost stays flat in the data."""
    ids = stmt.order_by(None).with_only_columns(id_column).limit(cap + 1).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(ids)) or 0


def keyset_page(
    stmt: sa.Select[Any],
    parts: Sequence[Part],
    size: int,
    id_column: Any,
    late: Late | None = None,
) -> KeysetPage:
    """The page of ``stmt`` (unordered, filtered) the request's cursor asks for; ``late`` is a
    further filter that no index serves in the list's order (see Late)."""
    at = requested(parts)
    later = None if late is None else LateReading(late, id_column)
    rows = _gather(stmt, parts, at, size + 1, later)
    if at is not None and at.newer and len(rows) <= size:  # nothing newer: the newest page
        at, rows = None, _gather(stmt, parts, None, size + 1, later)
    newer: str | None
    older: str | None
    if at is not None and at.newer:
        shown = list(reversed(rows[:size]))
        newer, older = _cursor(parts, shown[0]), _cursor(parts, shown[-1])
    else:
        shown = rows[:size]
        more = len(rows) > size
        older = _cursor(parts, shown[-1]) if more else None
        newer = _cursor(parts, shown[0]) if at is not None and shown else None
    total = capped_count(stmt if late is None else stmt.where(late.where), id_column, COUNT_CAP)
    return KeysetPage(
        [row for _index, row in shown],
        newer,
        older,
        at is None,
        min(total, COUNT_CAP),
        total > COUNT_CAP,
    )
