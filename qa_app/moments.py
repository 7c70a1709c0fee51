"""One reader of dates and times from outside (imports, forms, query strings), with bounds.

Python and the databases accept years 1 to 9999, but arithmetic near those ends overflows
(a week before 0001-01-01, UTC of 9999-12-31 at -05:00). A QA record lies between FIRST_YEAR
and LAST_YEAR, and a UTC offset is at most 14 hours, as on every real clock. See
docs/hostile-input.md.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

FIRST_YEAR = 1970
LAST_YEAR = 2999
MAX_OFFSET = timedelta(hours=14)


def in_range(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def parse_day(raw: str | None) -> date | None:
    """An ISO date (2026-03-31) within the years allowed, or None."""
    try:
        day = date.fromisoformat(raw.strip()) if raw else None
    except (AttributeError, ValueError):
        return None
    return day if day is not None and in_range(day) else None


def parse_moment(raw: Any) -> datetime:
    """An ISO 8601 date and time in UTC (no offset means UTC); ValueError when out of bounds."""
    moment = datetime.fromisoformat(raw.strip())  # AttributeError or ValueError when not text
    offset = moment.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        raise ValueError("UTC offset beyond 14 hours")
    if not in_range(moment):
        raise ValueError("year out of range")
    return moment.replace(tzinfo=UTC) if offset is None else moment.astimezone(UTC)


def check_day(value: Any) -> Any:
    """A WTForms filter: a date field's value must lie within the years allowed."""
    if isinstance(value, date) and not in_range(value):
        message = _l(
            "Choose a date between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR
        )
        raise ValueError(str(message))
    return value
