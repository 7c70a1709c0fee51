"""Reading the audit log: filters, keyset pages (newest first) and all rows for the export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from ..audit.models import AuditEvent
from ..extensions import db

PAGE_SIZE = 50
ID_LISTS = {"agents_joined", "agents_left"}  # lists of ids, not [old, new] pairs


@dataclass(frozen=True)
class AuditFilters:
    action: str | None = None
    actor: str | None = None  # a part of the actor's email, any case
    since: date | None = None  # from this day on, UTC
    until: date | None = None  # up to and with this day, UTC


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def filtered(filters: AuditFilters) -> sa.Select[tuple[AuditEvent]]:
    """The events the filters keep, newest first (ids grow with time: the keyset is the id)."""
    stmt = sa.select(AuditEvent).order_by(AuditEvent.id.desc())
    if filters.action:
        stmt = stmt.where(AuditEvent.action == filters.action)
    if filters.actor:
        wanted = filters.actor.strip().lower()
        stmt = stmt.where(sa.func.lower(AuditEvent.actor).contains(wanted, autoescape=True))
    if filters.since:
        stmt = stmt.where(AuditEvent.at >= _start_of(filters.since))
    if filters.until:
        stmt = stmt.where(AuditEvent.at < _start_of(filters.until + timedelta(days=1)))
    return stmt


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    older_than: int | None  # the keyset of the next (older) page, None on the last one


def audit_page(filters: AuditFilters, before: int | None, size: int = PAGE_SIZE) -> AuditPage:
    """One page of events older than the event ``before`` (the newest page when None).

    Keyset paging: the page is found through the primary key, so the thousandth page costs what
    the first does, and events written meanwhile do not shift the pages being read.
    """
    stmt = filtered(filters)
    if before is not None:
        stmt = stmt.where(AuditEvent.id < before)
    rows = list(db.session.scalars(stmt.limit(size + 1)))
    older = rows[size - 1].id if len(rows) > size else None
    return AuditPage(rows[:size], older)


def count(filters: AuditFilters) -> int:
    kept = filtered(filters).order_by(None).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(kept)) or 0


def all_events(filters: AuditFilters) -> Iterator[AuditEvent]:
    """Every event the filters keep, streamed in batches for the export."""
    yield from db.session.scalars(filtered(filters).execution_options(yield_per=1000))


def detail_text(detail: dict[str, object]) -> str:
    """An event's detail as one line: ``role: agent → lead; email: changed``."""
    parts = []
    for key, value in detail.items():
        shown = value
        if isinstance(value, list):  # an [old, new] pair, or a list of ids
            joiner = ", " if key in ID_LISTS or len(value) != 2 else " → "
            shown = joiner.join(map(str, value))
        parts.append(f"{key}: {shown}")
    return "; ".join(parts)
