"""The rules for one interaction, shared by the CSV and JSON Lines imports and the form.

Plain functions over plain values: no database. A row goes in as the user wrote it (strings from
CSV or the form, JSON values from JSON Lines) and comes out as the column values of the
`interactions` table, or as a list of (column, reason) problems. The reasons are in the reader's
language (English outside a request); the column names are the file's and are never translated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from flask_babel import gettext as _

from ..accounts.models import Role
from ..ui.labels import label
from .fields import MAX_TEXT, count, is_blank, longer_than, parse_timestamp, text
from .models import Channel, is_web_address

COLUMNS = (
    "external_id",
    "channel",
    "agent_email",
    "occurred_at",
    "duration_seconds",
    "language",
    "customer_ref",
    "subject",
    "transcript",
    "recording_url",
    "csat",
    "nps",
    "ces",
    "first_contact_resolved",
    "handle_seconds",
)
REQUIRED = frozenset({"external_id", "channel", "agent_email", "occurred_at"})
# The table column each file column fills; a transcript of turns goes to transcript_turns.
TARGETS = {column: column for column in COLUMNS} | {
    "agent_email": "agent_id",
    "transcript": "transcript_text",
}
ROW_KEYS = (*TARGETS.values(), "transcript_turns")
MAX_SECONDS = 31_536_000  # a year: anything longer is a mistake in the source data
MAX_TURNS = 10_000
TURN_KEYS = frozenset({"speaker", "text", "at"})
CHANNELS = frozenset(channel.value for channel in Channel)
TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")
_CLOCK = re.compile(r"(\d{1,3}:)?[0-5]?\d:[0-5]\d(\.\d{1,6})?")
_TURNS_START = re.compile(r"\s*\[\s*\{")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")
# An http(s) address with a plain host name and printable ASCII after it: what is_web_address
# accepts, told without urlsplit (the rest goes the long way).
_PLAIN_WEB_ADDRESS = re.compile(r"https?://[a-z0-9.-]+(:[0-9]+)?([/?#][!-~]*)?", re.IGNORECASE)

Problem = tuple[str | None, str]  # (column, reason)
Person = tuple[int, Role]  # (user id, role)
FindPerson = Callable[[str], Person | None]  # by lower-cased email
RowChecker = Callable[[Mapping[str, Any]], tuple[dict[str, Any], list[Problem]]]


_external_text = text(200)


def _external_id(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return _external_text(value.strip() if isinstance(value, str) else value)


def _channel(value: Any) -> str:
    word = value.strip().lower() if isinstance(value, str) else ""
    if word not in CHANNELS:
        raise ValueError(_("must be one of call, chat, email"))
    return word


def _agent_id(find_person: FindPerson, value: Any) -> int:
    if not isinstance(value, str):
        raise ValueError(_("must be an email address"))
    person = find_person(value.strip().lower())
    if person is None:
        raise ValueError(_("no user has this email address"))
    user_id, role = person
    if role != Role.AGENT:
        message = _(
            "belongs to a user with the %(role)s role, not an agent", role=label(role).lower()
        )
        raise ValueError(message)
    return user_id


def _whole_number(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        digits = value.strip() if isinstance(value, str) else ""
        if digits.isdecimal() and digits.isascii():
            number = int(digits)
        elif isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            number = None
        if number is None or not low <= number <= high:
            message = _("must be a whole number from %(low)d to %(high)d", low=low, high=high)
            raise ValueError(message)
        return number

    return parse


def _language(value: Any) -> str:
    tag = value.strip() if isinstance(value, str) else ""
    if len(tag) > 35 or not _LANGUAGE.fullmatch(tag):
        raise ValueError(_("must be a language tag such as en, hu or pt-BR"))
    return tag


def _recording_url(value: Any) -> str:
    url = value.strip() if isinstance(value, str) else ""
    if len(url) <= 2000 and _PLAIN_WEB_ADDRESS.fullmatch(url):
        return url  # the common case, without taking the address apart
    if len(url) > 2000:
        raise ValueError(longer_than(2000))
    if _SPACE_OR_CONTROL.search(url) or not is_web_address(url):
        raise ValueError(_("must be an http:// or https:// address"))
    return url


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower() if isinstance(value, str | int) else ""
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS
    raise ValueError(_("must be one of true, false, yes, no, 1, 0"))


_transcript_text = text(MAX_TEXT)
_speaker = text(200)


def _turn_time(value: Any, number: int) -> str | int | float:
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1e9:
        return value  # seconds from the start of the interaction
    if isinstance(value, str) and len(value) <= 40:
        if _CLOCK.fullmatch(value.strip()):
            return value.strip()
        try:
            parse_timestamp(value)
        except ValueError:
            pass
        else:
            return value.strip()
    message = _(
        "turn %(number)d: at must be seconds, a clock time like 01:23 or an ISO 8601 time",
        number=number,
    )
    raise ValueError(message)


def _turn_value(parse: Callable[[Any], str], item: dict[str, Any], key: str, number: int) -> str:
    """A turn's speaker or text; its problem names the turn and the key (a key of the file)."""
    try:
        return parse(item[key])
    except ValueError as exc:
        message = _("turn %(number)d: %(key)s %(problem)s", number=number, key=key, problem=exc)
        raise ValueError(message) from None


def _turn(item: Any, number: int) -> dict[str, Any]:
    if not isinstance(item, dict):
        message = _("turn %(number)d must be an object with speaker, text and at", number=number)
        raise ValueError(message)
    unknown = item.keys() - TURN_KEYS
    if unknown:
        key = repr(sorted(unknown)[0])
        raise ValueError(_("turn %(number)d has an unknown key %(key)s", number=number, key=key))
    if is_blank(item.get("speaker")):
        raise ValueError(_("turn %(number)d: speaker is required", number=number))
    if item.get("text") is None:
        raise ValueError(_("turn %(number)d: text is required", number=number))
    turn = {
        "speaker": _turn_value(_speaker, item, "speaker", number),
        "text": _turn_value(_transcript_text, item, "text", number),
    }
    if item.get("at") is not None:
        turn["at"] = _turn_time(item["at"], number)
    return turn


def _turns(items: list[Any]) -> list[dict[str, Any]]:
    if len(items) > MAX_TURNS:
        raise ValueError(_("has more than %(count)s turns", count=count(MAX_TURNS)))
    turns = [_turn(item, number) for number, item in enumerate(items, 1)]
    if sum(len(turn["text"]) for turn in turns) > MAX_TEXT:
        raise ValueError(longer_than(MAX_TEXT))
    return turns


def _transcript(value: Any) -> str | list[dict[str, Any]]:
    """Plain text, or turns: a JSON list, also when it arrives as the text of a CSV cell."""
    if isinstance(value, list):
        return _turns(value)
    if isinstance(value, str) and _TURNS_START.match(value):
        try:
            items = json.loads(value)
        except (ValueError, RecursionError):
            items = None  # text that merely starts like JSON
        if isinstance(items, list) and items and all(isinstance(i, dict) for i in items):
            return _turns(items)
    return _transcript_text(value)


PARSERS: dict[str, Callable[[Any], Any]] = {
    "external_id": _external_id,
    "channel": _channel,
    "occurred_at": parse_timestamp,
    "duration_seconds": _whole_number(0, MAX_SECONDS),
    "language": _language,
    "customer_ref": text(200),
    "subject": text(500),
    "transcript": _transcript,
    "recording_url": _recording_url,
    "csat": _whole_number(1, 5),
    "nps": _whole_number(0, 10),
    "ces": _whole_number(1, 7),
    "first_contact_resolved": _yes_no,
    "handle_seconds": _whole_number(0, MAX_SECONDS),
}


def make_row_checker(find_person: FindPerson) -> RowChecker:
    """A function that checks one row and returns (table values, problems)."""
    known = dict(PARSERS, agent_email=partial(_agent_id, find_person))
    # In file order, for the report; worked out once, as the check runs for every row.
    plan = [(column, TARGETS[column], known[column], column in REQUIRED) for column in COLUMNS]
    names = frozenset(COLUMNS)

    def check(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
        clean: dict[str, Any] = dict.fromkeys(ROW_KEYS)
        problems: list[Problem] = []
        if not values.keys() <= names:
            problems += [(name, _("is not a known column")) for name in values if name not in names]
        for column, target, parse, required in plan:
            raw = values.get(column)
            if not raw.strip() if isinstance(raw, str) else raw is None or raw == []:  # is_blank
                if required:
                    problems.append((column, _("is required")))
                continue
            try:
                clean[target] = parse(raw)
            except ValueError as exc:
                problems.append((column, str(exc)))
        if isinstance(clean["transcript_text"], list):
            clean["transcript_turns"], clean["transcript_text"] = clean["transcript_text"], None
        return clean, problems

    return check
