"""Validation helpers for the scorecard schema: each check records problems instead of raising."""

from __future__ import annotations

import datetime
import difflib
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

SCHEMA_VERSION = 1
CHANNELS = ("call", "chat", "email")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class SchemaProblem:
    """One thing wrong with a scorecard document, located by a path like ``sections[0].name``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class Problems:
    """Collects every problem found, so the author can fix them all in one pass."""

    items: list[SchemaProblem] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        """Record one problem at ``path``."""
        self.items.append(SchemaProblem(path, message))


@dataclass(frozen=True)
class Fields:
    """The keys of one mapping in the document, checked one at a time."""

    data: Mapping[Any, Any]
    path: str
    problems: Problems

    def get(self, key: str, default: T, check: Callable[..., T], **options: Any) -> T:
        """Check the value under ``key``; a missing key gives ``default`` (required is separate)."""
        if key not in self.data:
            return default
        return check(self.data[key], join(self.path, key), self.problems, **options)

    def check_keys(self, allowed: Sequence[str], required: Collection[str]) -> None:
        """Report unknown keys by name, and required keys that are missing."""
        for key in self.data:
            if not isinstance(key, str) or key not in allowed:
                self.problems.add(join(self.path, str(key)), _unknown_key(key, allowed))
        for key in allowed:
            if key in required and key not in self.data:
                self.problems.add(join(self.path, key), "is required")


def _unknown_key(key: object, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
    return f"unknown key '{key}' ({hint})"


def join(path: str, key: str | int) -> str:
    """Extend a path with a list index (``[2]``) or a mapping key (``.name``)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def describe(value: object) -> str:
    """Name the kind of a YAML value for an error message."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime.date):
        return "a date (put it in quotes to make it text)"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def mapping(value: object, path: str, problems: Problems) -> Fields | None:
    """Wrap ``value`` for key-by-key checks when it is a mapping, else record a problem."""
    if isinstance(value, Mapping):
        return Fields(value, path, problems)
    problems.add(path, f"must be a mapping of keys to values, not {describe(value)}")
    return None


def sequence(
    value: object, path: str, problems: Problems, *, max_items: int
) -> Sequence[object] | None:
    """Return ``value`` when it is a list of at most ``max_items`` entries, else record it."""
    if not isinstance(value, list | tuple):
        problems.add(path, f"must be a list, not {describe(value)}")
        return None
    if len(value) > max_items:
        problems.add(path, f"must have at most {max_items} entries (got {len(value)})")
        return None
    return value


def text(
    value: object, path: str, problems: Problems, *, max_len: int, optional: bool = False
) -> str:
    """Return the trimmed text, checking that it is a string of the right length."""
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        problems.add(path, f"must be text, not {describe(value)}")
        return ""
    trimmed = value.strip()
    if not trimmed and not optional:
        problems.add(path, "must not be empty")
    elif len(trimmed) > max_len:
        problems.add(path, f"must be at most {max_len} characters (got {len(trimmed)})")
    return trimmed


def number(
    value: object, path: str, problems: Problems, *, low: float, high: float, low_open: bool
) -> float:
    """Return a finite number in ``low``..``high`` (``low`` itself refused when ``low_open``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.add(path, f"must be a number, not {describe(value)}")
        return 0
    if isinstance(value, float) and not math.isfinite(value):
        problems.add(path, "must be a finite number")
    elif value <= low if low_open else value < low:
        problems.add(path, f"must be a number {'greater than' if low_open else 'at least'} {low:g}")
    elif value > high:
        problems.add(path, f"must be at most {high:g}")
    return value


def flag(value: object, path: str, problems: Problems) -> bool:
    """Return a YAML boolean; anything else is a problem."""
    if isinstance(value, bool):
        return value
    problems.add(path, f"must be true or false, not {describe(value)}")
    return False


def point_texts(
    value: object, path: str, problems: Problems, *, points: tuple[int, ...], max_len: int
) -> tuple[tuple[int, str], ...]:
    """Check a mapping of scale points to texts; keys may be integers or digit strings (JSON)."""
    fields = mapping(value, path, problems)
    if fields is None:
        return ()
    found = [_as_point(key) for key in fields.data]
    if None in found or sorted(p for p in found if p is not None) != list(points):
        name = path.rsplit(".", 1)[-1]
        problems.add(path, f"{name} must have exactly the points {', '.join(map(str, points))}")
    texts: dict[int, str] = {}
    for key, point in zip(fields.data, found, strict=True):
        if point in points:
            item_path = join(path, str(point))
            texts[point] = text(fields.data[key], item_path, problems, max_len=max_len)
    return tuple(sorted(texts.items()))


def _as_point(key: object) -> int | None:
    if isinstance(key, int) and not isinstance(key, bool):
        return key
    if isinstance(key, str) and key.strip().isascii() and key.strip().isdigit():
        return int(key)
    return None


def version(value: object, path: str, problems: Problems) -> int:
    """The schema version: only 1 exists so far."""
    if isinstance(value, bool) or not isinstance(value, int) or value != SCHEMA_VERSION:
        problems.add(path, f"must be {SCHEMA_VERSION} (the only schema version this app reads)")
        return 0
    return value


def slug(value: object, path: str, problems: Problems) -> str:
    """A URL-safe identifier: lowercase letters and digits joined by single hyphens."""
    found = text(value, path, problems, max_len=80)
    if found and len(found) <= 80 and not _SLUG.fullmatch(found):
        message = "must use lowercase letters, digits and single hyphens, e.g. 'chat-basics'"
        problems.add(path, message)
    return found


def language(value: object, path: str, problems: Problems) -> str:
    """A BCP-47-like language tag such as ``en`` or ``pt-BR``."""
    found = text(value, path, problems, max_len=35)
    if found and len(found) <= 35 and not _LANGUAGE.fullmatch(found):
        problems.add(path, "must be a language code such as 'en', 'hu' or 'pt-BR'")
    return found


def channels(value: object, path: str, problems: Problems) -> tuple[str, ...]:
    """A non-empty list of known channels, each named once."""
    items = sequence(value, path, problems, max_items=10)
    if items is None:
        return ()
    if not items:
        problems.add(path, f"must list at least one channel ({', '.join(CHANNELS)})")
    seen: list[str] = []
    for index, item in enumerate(items):
        if not isinstance(item, str) or item not in CHANNELS:
            message = f"unknown channel {item!r} (expected one of {', '.join(CHANNELS)})"
            problems.add(join(path, index), message)
        elif item in seen:
            problems.add(join(path, index), f"duplicate channel '{item}'")
        else:
            seen.append(item)
    return tuple(seen)


def check_unique(entries: Iterable[tuple[str, str]], what: str, problems: Problems) -> None:
    """Report repeated names (trimmed, case-insensitive) at both positions, given (path, name)."""
    first: dict[str, str] = {}
    for path, name in entries:
        key = name.strip().casefold()
        if not key:
            continue
        if key in first:
            problems.add(path, f"duplicate {what} '{name}' (also at {first[key]})")
        else:
            first[key] = path
