"""Intercom conversations as import rows (docs/helpdesk-imports.md).

The document is a ``conversation.list`` whose ``conversations`` are as the retrieve-conversation
endpoint returns them: the opening ``source`` message and ``conversation_parts``. An optional
``admins`` list (the list-admins endpoint) gives the emails of assignees who wrote nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .text import (
    by_id,
    duration,
    field,
    iso,
    lower_email,
    message_text,
    objects,
    offset,
    parse_time,
    ticket_id,
    whole,
)

SOURCE = "intercom"
CUSTOMERS = frozenset({"user", "lead", "contact"})
CHANNELS = {"email": "email", "phone_call": "call", "phone_switch": "call"}


@dataclass(frozen=True)
class Context:
    admins: dict[Any, Mapping[str, Any]]


def items(document: Any) -> Any:
    return field(document, "conversations")


def context(document: Any) -> Context:
    return Context(by_id(field(document, "admins")))


def _speaker(author: Any) -> str | None:
    kind = field(author, "type")
    if kind == "admin":
        return "agent"
    return "customer" if kind in CUSTOMERS else None  # bots and teams are left out


def _messages(conversation: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The opening message, then the comment parts (notes, assignments and events are not)."""
    parts = objects(field(conversation, "conversation_parts", "conversation_parts"))
    opening = conversation.get("source")
    first = [{**opening, "created_at": conversation.get("created_at")}] if opening else []
    return [*objects(first), *(p for p in parts if p.get("part_type") == "comment")]


def _turns(conversation: Mapping[str, Any]) -> tuple[list[dict[str, Any]], dict[Any, str]]:
    start = parse_time(conversation.get("created_at"))
    turns, admins = [], {}
    for message in _messages(conversation):
        author = message.get("author")
        speaker = _speaker(author)
        text = message_text(message.get("body"))
        if speaker is None or not text:
            continue
        if speaker == "agent" and (email := lower_email(field(author, "email"))):
            admins[field(author, "id")] = email
        turn: dict[str, Any] = {"speaker": speaker, "text": text}
        if (at := offset(start, message.get("created_at"))) is not None:
            turn["at"] = at
        turns.append(turn)
    return turns, admins


def _agent(conversation: Mapping[str, Any], ctx: Context, writers: dict[Any, str]) -> str | None:
    assignee = conversation.get("admin_assignee_id")
    for key in (assignee, str(assignee)):
        if key in writers:
            return writers[key]
        if email := lower_email(field(ctx.admins.get(key), "email")):
            return email
    return list(writers.values())[-1] if writers else None


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def _channel(conversation: Mapping[str, Any]) -> str:
    return CHANNELS.get(str(field(conversation, "source", "type")), "chat")


def row(conversation: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    turns, writers = _turns(conversation)
    subject = field(conversation, "source", "subject") or conversation.get("title")
    rating = whole(field(conversation, "conversation_rating", "rating"))
    return {
        "external_id": ticket_id(SOURCE, conversation.get("id")),
        "channel": _channel(conversation),
        "agent_email": _agent(conversation, ctx, writers),
        "occurred_at": iso(parse_time(conversation.get("created_at"))),
        "duration_seconds": duration(turns),
        "customer_ref": _text(field(conversation, "source", "author", "id")),
        "subject": message_text(subject) or None,
        "transcript": turns or None,
        "csat": rating,
        "handle_seconds": whole(field(conversation, "statistics", "time_to_last_close")),
    }
