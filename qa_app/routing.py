"""Integers from the URL and the query string stay inside what the database can store.

A row id past the 32-bit range (or any number past 64 bits) cannot be bound to a query on
PostgreSQL or SQLite; such a value names nothing, so it is refused before any query runs: a
path argument answers 404, a query argument counts as missing. See docs/hostile-input.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the largest INTEGER on PostgreSQL, and so the largest row id


def bounded_int(value: str) -> int:
    """An int within 0..MAX_ID, or ValueError, for `args.get(name, type=...)`."""
    number = int(value)
    if not 0 <= number <= MAX_ID:
        raise ValueError(f"{value!r} is out of range")
    return number


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that matches only 0..MAX_ID; a larger number is a 404 like any unknown id."""

    def __init__(self, url_map: Any, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002  # fmt: skip
        super().__init__(url_map, fixed_digits, min, MAX_ID if max is None else max, signed)


class BoundedArgs(ImmutableMultiDict[str, str]):
    """Request arguments whose `get(..., type=int)` treats an out-of-range number as missing."""

    def get(self, key: str, default: Any = None, type: Callable[[str], Any] | None = None) -> Any:  # noqa: A002
        return super().get(key, default, bounded_int if type is int else type)


class BoundedRequest(Request):
    parameter_storage_class = BoundedArgs


def init_routing(app: Flask) -> None:
    """Register the bounded converter (before any blueprint) and the bounded arguments."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = BoundedRequest
