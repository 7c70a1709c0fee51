"""Helpers every helpdesk format shares: HTML to plain text, times, and safe lookups.

Pure: the standard library only. HTML goes through ``html.parser`` (no regular expressions), so
entities, comments, scripts and odd markup are handled as a browser's parser would.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

# Tags after which a line ends, so paragraphs and list items stay apart in the text.
_BREAKS = frozenset(
    {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}
)
_HIDDEN = frozenset({"script", "style", "head", "title"})


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The text a reader sees: entities decoded, tags dropped, one line per block, no blank runs."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def message_text(html: Any, plain: Any = None) -> str:
    """A message's text: its HTML made plain, else the plain text the helpdesk gave."""
    if isinstance(html, str) and html.strip():
        return html_to_text(html)
    return plain.strip() if isinstance(plain, str) else ""


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time or Unix seconds as an aware UTC datetime; None when it is neither."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def offset(start: datetime | None, value: Any) -> int | None:
    """Whole seconds from the start to this time (never negative); None when either is unknown."""
    moment = parse_time(value)
    if start is None or moment is None:
        return None
    return max(0, int((moment - start).total_seconds()))


def field(item: Any, *keys: str) -> Any:
    """``item[k1][k2]...``, or None as soon as a level is missing or not an object."""
    for key in keys:
        if not isinstance(item, Mapping):
            return None
        item = item.get(key)
    return item


def objects(value: Any) -> list[Mapping[str, Any]]:
    """The objects of a JSON list; anything else in it (or a non-list) is left out."""
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def by_id(items: Any) -> dict[Any, Mapping[str, Any]]:
    """Objects of a list keyed by their ``id``."""
    return {item.get("id"): item for item in objects(items) if item.get("id") is not None}


def lower_email(value: Any) -> str | None:
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def whole(value: Any) -> int | None:
    """A non-negative whole number from a JSON number; None otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return None
    return int(value)


def ticket_id(prefix: str, value: Any) -> str | None:
    """The external id ``<source>:<id>``: the same ticket from the same helpdesk is stored once."""
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip():
        return None
    return f"{prefix}:{str(value).strip()}"


def duration(turns: list[dict[str, Any]]) -> int | None:
    """Seconds from the start to the last timed turn."""
    times = [turn["at"] for turn in turns if isinstance(turn.get("at"), int)]
    return max(times) if times else None
