"""Zendesk tickets as import rows (docs/helpdesk-imports.md).

The document is shaped like the Zendesk API's answers: ``tickets`` (each carrying the list its
comments endpoint returns under ``comments``), ``users`` and ``metric_sets`` side-loaded, as the
incremental ticket export returns them with ``include=users,metric_sets``.
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

SOURCE = "zendesk"
AGENT_ROLES = frozenset({"agent", "admin"})
CALL_CHANNELS = frozenset({"voice", "phone", "phone_call_inbound", "phone_call_outbound"})
CHAT_CHANNELS = frozenset(
    {"chat", "chat_transcript", "native_messaging", "messaging", "whatsapp", "sms", "mobile_sdk"}
)
# Comments written by triggers and automatic answers, not by a person.
BOT_CHANNELS = frozenset({"rule", "answer_bot", "sample_ticket"})
SCORES = {"good": 5, "bad": 1}  # Zendesk's two-point rating on the 1-5 CSAT scale


@dataclass(frozen=True)
class Context:
    users: dict[Any, Mapping[str, Any]]
    metrics: dict[Any, Mapping[str, Any]]  # by ticket id


def items(document: Any) -> Any:
    return field(document, "tickets")


def context(document: Any) -> Context:
    metrics = {m.get("ticket_id"): m for m in objects(field(document, "metric_sets"))}
    return Context(by_id(field(document, "users")), metrics)


def channel(via: Any) -> str:
    name = str(field(via, "channel") or "").lower()
    if name in CALL_CHANNELS or name.startswith("voice"):
        return "call"
    if name in CHAT_CHANNELS or name.startswith(("chat", "messaging")):
        return "chat"
    return "email"


def _is_bot(comment: Mapping[str, Any], author: Mapping[str, Any] | None) -> bool:
    via = str(field(comment, "via", "channel") or "").lower()
    return via in BOT_CHANNELS or via.startswith("answer_bot") or author is None


def _turns(ticket: Mapping[str, Any], ctx: Context) -> tuple[list[dict[str, Any]], list[str]]:
    """The public turns written by people, and the emails of the agents who wrote them."""
    start = parse_time(ticket.get("created_at"))
    turns, agents = [], []
    for comment in objects(ticket.get("comments")):
        author = ctx.users.get(comment.get("author_id"))
        if comment.get("public") is False or _is_bot(comment, author):
            continue
        plain = comment.get("plain_body") or comment.get("body")
        text = message_text(comment.get("html_body"), plain)
        if not text:
            continue
        is_agent = field(author, "role") in AGENT_ROLES
        if is_agent and (email := lower_email(field(author, "email"))):
            agents.append(email)
        turn: dict[str, Any] = {"speaker": "agent" if is_agent else "customer", "text": text}
        if (at := offset(start, comment.get("created_at"))) is not None:
            turn["at"] = at
        turns.append(turn)
    return turns, agents


def _minutes(metric: Any, name: str) -> int | None:
    minutes = whole(field(metric, name, "calendar"))
    return minutes * 60 if minutes is not None else None


def row(ticket: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    turns, agents = _turns(ticket, ctx)
    assignee = lower_email(field(ctx.users.get(ticket.get("assignee_id")), "email"))
    requester = ctx.users.get(ticket.get("requester_id"))
    metric = ctx.metrics.get(ticket.get("id"))
    return {
        "external_id": ticket_id(SOURCE, ticket.get("id")),
        "channel": channel(ticket.get("via")),
        "agent_email": assignee or (agents[-1] if agents else None),
        "occurred_at": iso(parse_time(ticket.get("created_at"))),
        "duration_seconds": duration(turns),
        "language": field(requester, "locale"),
        "customer_ref": str(ticket["requester_id"]) if ticket.get("requester_id") else None,
        "subject": ticket.get("subject") or None,
        "transcript": turns or None,
        "csat": SCORES.get(str(field(ticket, "satisfaction_rating", "score"))),
        "handle_seconds": _minutes(metric, "full_resolution_time_in_minutes"),
    }
