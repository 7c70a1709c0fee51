"""The checks of one value of an interaction that the file readers share with the rules of a
row (validation.py): text that fits and can be stored, a moment, a blank cell, and the words of
their problems in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from ..moments import parse_moment
from ..ui.filters import format_number

MAX_TEXT = 1_048_576  # characters in one transcript, and in one field of a file


def is_blank(value: Any) -> bool:
    """An empty cell, a missing or null key, or an empty list of turns."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == []


def count(number: int) -> str:
    """A count of things in the reader's notation: 1,048,576 or 1 048 576."""
    return format_number(number, 0)


def longer_than(limit: int) -> str:
    return _("is longer than %(count)s characters", count=count(limit))


def storable(value: str) -> bool:
    """Whether PostgreSQL can keep this text: no NUL, and no lone surrogate (which UTF-8 cannot
    encode; JSON escapes can make one). Encoding is several times faster than a search."""
    if "\x00" in value:
        return False
    if value.isascii():
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def text(limit: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(_("must be text"))
        if len(value) > limit:
            raise ValueError(longer_than(limit))
        if not storable(value):
            raise ValueError(_("contains a NUL character or an invalid code point"))
        return value  # exactly as given: inner whitespace and newlines are the user's

    return parse


def parse_timestamp(value: Any) -> datetime:
    """An ISO 8601 date and time; one without an offset is taken as UTC."""
    try:
        return parse_moment(value)
    except (AttributeError, ValueError):
        message = _("must be an ISO 8601 date and time, e.g. 2026-03-01T14:05:00+01:00")
        raise ValueError(message) from None
