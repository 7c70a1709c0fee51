"""Validation helpers for the scorecard schema: each check records problems instead of raising.

Messages are English templates marked with ``N_`` for the catalogue and kept with their values, so
the page that shows them can translate them while this module stays free of Flask.
"""

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
# Control characters but tab and line breaks (PostgreSQL cannot store NUL; XML forbids the rest).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a message for the catalogue; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Message:
    """An English message template with named values, rendered in any language on demand."""

    template: str
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, template: str, **values: Any) -> Message:
        return cls(template, tuple(values.items()))

    def render(self, translate: Callable[[str], str] = str) -> str:
        """The text in the language ``translate`` gives (English by default); values are data."""
        values = {
            name: value.render(translate) if isinstance(value, Message) else value
            for name, value in self.values
        }
        text = translate(self.template)
        return text % values if values else text


@dataclass(frozen=True)
class SchemaProblem:
    """One thing wrong with a scorecard document, located by a path like ``sections[0].name``."""

    path: str
    text: Message

    @property
    def message(self) -> str:
        """The problem in English."""
        return self.text.render()

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class Problems:
    """Collects every problem found, so the author can fix them all in one pass."""

    items: list[SchemaProblem] = field(default_factory=list)

    def add(self, path: str, template: str, **values: Any) -> None:
        """Record one problem at ``path``: a template marked with ``N_``, and its values."""
        self.items.append(SchemaProblem(path, Message.of(template, **values)))


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
                self._unknown_key(key, allowed)
        for key in allowed:
            if key in required and key not in self.data:
                self.problems.add(join(self.path, key), N_("is required"))

    def _unknown_key(self, key: object, allowed: Sequence[str]) -> None:
        path = join(self.path, str(key))
        close = difflib.get_close_matches(str(key), allowed, n=1)
        if close:
            message = N_("unknown key '%(key)s' (did you mean '%(close)s'?)")
            self.problems.add(path, message, key=str(key), close=close[0])
        else:
            message = N_("unknown key '%(key)s' (allowed keys: %(allowed)s)")
            self.problems.add(path, message, key=str(key), allowed=", ".join(allowed))


def join(path: str, key: str | int) -> str:
    """Extend a path with a list index (``[2]``) or a mapping key (``.name``)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def describe(value: object) -> Message | str:
    """Name the kind of a YAML value for an error message."""
    if value is None:
        return Message(N_("an empty value"))
    if isinstance(value, bool):
        return Message(N_("a boolean (true)") if value else N_("a boolean (false)"))
    if isinstance(value, int | float):
        return Message(N_("a number"))
    if isinstance(value, str):
        return Message(N_("text"))
    if isinstance(value, datetime.date):
        return Message(N_("a date (put it in quotes to make it text)"))
    if isinstance(value, Mapping):
        return Message(N_("a mapping"))
    if isinstance(value, list | tuple):
        return Message(N_("a list"))
    return type(value).__name__


def mapping(value: object, path: str, problems: Problems) -> Fields | None:
    """Wrap ``value`` for key-by-key checks when it is a mapping, else record a problem."""
    if isinstance(value, Mapping):
        return Fields(value, path, problems)
    problems.add(
        path, N_("must be a mapping of keys to values, not %(kind)s"), kind=describe(value)
    )
    return None


def sequence(
    value: object, path: str, problems: Problems, *, max_items: int
) -> Sequence[object] | None:
    """Return ``value`` when it is a list of at most ``max_items`` entries, else record it."""
    if not isinstance(value, list | tuple):
        problems.add(path, N_("must be a list, not %(kind)s"), kind=describe(value))
        return None
    if len(value) > max_items:
        message = N_("must have at most %(max)s entries (got %(count)s)")
        problems.add(path, message, max=max_items, count=len(value))
        return None
    return value


def text(
    value: object, path: str, problems: Problems, *, max_len: int, optional: bool = False
) -> str:
    """Return the trimmed text, checking that it is a string of the right length."""
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        problems.add(path, N_("must be text, not %(kind)s"), kind=describe(value))
        return ""
    trimmed = value.strip()
    if not trimmed and not optional:
        problems.add(path, N_("must not be empty"))
    elif len(trimmed) > max_len:
        message = N_("must be at most %(max)s characters (got %(count)s)")
        problems.add(path, message, max=max_len, count=len(trimmed))
    elif _CONTROL.search(trimmed):
        problems.add(path, N_("must not contain control characters such as NUL"))
    return trimmed


def number(
    value: object, path: str, problems: Problems, *, low: float, high: float, low_open: bool
) -> float:
    """Return a finite number in ``low``..``high`` (``low`` itself refused when ``low_open``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.add(path, N_("must be a number, not %(kind)s"), kind=describe(value))
        return 0
    if isinstance(value, float) and not math.isfinite(value):
        problems.add(path, N_("must be a finite number"))
    elif low_open and value <= low:
        problems.add(path, N_("must be a number greater than %(low)s"), low=f"{low:g}")
    elif not low_open and value < low:
        problems.add(path, N_("must be a number at least %(low)s"), low=f"{low:g}")
    elif value > high:
        problems.add(path, N_("must be at most %(high)s"), high=f"{high:g}")
    return value


def flag(value: object, path: str, problems: Problems) -> bool:
    """Return a YAML boolean; anything else is a problem."""
    if isinstance(value, bool):
        return value
    problems.add(path, N_("must be true or false, not %(kind)s"), kind=describe(value))
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
        message = N_("%(key)s must have exactly the points %(points)s")
        problems.add(path, message, key=name, points=", ".join(map(str, points)))
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
        message = N_("must be %(version)s (the only schema version this app reads)")
        problems.add(path, message, version=SCHEMA_VERSION)
        return 0
    return value


def slug(value: object, path: str, problems: Problems) -> str:
    """A URL-safe identifier: lowercase letters and digits joined by single hyphens."""
    found = text(value, path, problems, max_len=80)
    if found and len(found) <= 80 and not _SLUG.fullmatch(found):
        message = N_("must use lowercase letters, digits and single hyphens, e.g. 'chat-basics'")
        problems.add(path, message)
    return found


def language(value: object, path: str, problems: Problems) -> str:
    """A BCP-47-like language tag such as ``en`` or ``pt-BR``."""
    found = text(value, path, problems, max_len=35)
    if found and len(found) <= 35 and not _LANGUAGE.fullmatch(found):
        problems.add(path, N_("must be a language code such as 'en', 'hu' or 'pt-BR'"))
    return found


def channels(value: object, path: str, problems: Problems) -> tuple[str, ...]:
    """A non-empty list of known channels, each named once."""
    items = sequence(value, path, problems, max_items=10)
    if items is None:
        return ()
    if not items:
        message = N_("must list at least one channel (%(channels)s)")
        problems.add(path, message, channels=", ".join(CHANNELS))
    seen: list[str] = []
    for index, item in enumerate(items):
        if not isinstance(item, str) or item not in CHANNELS:
            message = N_("unknown channel %(value)s (expected one of %(channels)s)")
            problems.add(join(path, index), message, value=repr(item), channels=", ".join(CHANNELS))
        elif item in seen:
            problems.add(join(path, index), N_("duplicate channel '%(channel)s'"), channel=item)
        else:
            seen.append(item)
    return tuple(seen)


def check_unique(entries: Iterable[tuple[str, str]], message: str, problems: Problems) -> None:
    """Report a repeated name (trimmed, case-insensitive) with the path of its first use.

    ``message`` takes ``%(name)s`` and ``%(first)s``; ``entries`` are (path, name) pairs.
    """
    first: dict[str, str] = {}
    for path, name in entries:
        key = name.strip().casefold()
        if not key:
            continue
        if key in first:
            problems.add(path, message, name=name, first=first[key])
        else:
            first[key] = path
