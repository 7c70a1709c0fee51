"""Freshdesk tickets as import rows (docs/helpdesk-imports.md).

The document holds ``tickets`` as the view-ticket endpoint returns them with
``include=conversations,stats``, the ``agents`` list and, where there are any,
``satisfaction_ratings`` from the surveys endpoint.
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
)

SOURCE = "freshdesk"
# Ticket source codes: 1 email, 2 portal, 3 phone, 7 chat, 9 feedback widget, 10 outbound email.
CHANNELS = {1: "email", 2: "email", 3: "call", 7: "chat", 9: "email", 10: "email"}
OUTBOUND = 10
# Freshdesk's seven-point answers on the 1-5 CSAT scale.
RATINGS = {103: 5, 102: 5, 101: 4, 100: 3, -101: 2, -102: 1, -103: 1}


@dataclass(frozen=True)
class Context:
    agents: dict[Any, Mapping[str, Any]]
    ratings: dict[Any, Mapping[str, Any]]  # by ticket id


def items(document: Any) -> Any:
    return field(document, "tickets")


def context(document: Any) -> Context:
    ratings = {r.get("ticket_id"): r for r in objects(field(document, "satisfaction_ratings"))}
    return Context(by_id(field(document, "agents")), ratings)


def _agent_email(ctx: Context, user_id: Any) -> str | None:
    agent = ctx.agents.get(user_id)
    return lower_email(field(agent, "contact", "email") or field(agent, "email"))


def _opening(ticket: Mapping[str, Any]) -> list[dict[str, Any]]:
    text = message_text(ticket.get("description"), ticket.get("description_text"))
    speaker = "agent" if ticket.get("source") == OUTBOUND else "customer"
    return [{"speaker": speaker, "text": text, "at": 0}] if text else []


def _turns(ticket: Mapping[str, Any], ctx: Context) -> tuple[list[dict[str, Any]], list[str]]:
    """Replies and public notes; private notes and automatic messages are left out."""
    start = parse_time(ticket.get("created_at"))
    turns, agents = _opening(ticket), []
    for item in objects(ticket.get("conversations")):
        if item.get("private"):
            continue
        email = _agent_email(ctx, item.get("user_id"))
        if not item.get("incoming") and email is None:
            continue  # outgoing but written by no agent: an automation
        text = message_text(item.get("body"), item.get("body_text"))
        if not text:
            continue
        if email and not item.get("incoming"):
            agents.append(email)
        turn: dict[str, Any] = {"speaker": "customer" if item.get("incoming") else "agent"}
        turn["text"] = text
        if (at := offset(start, item.get("created_at"))) is not None:
            turn["at"] = at
        turns.append(turn)
    return turns, agents


def _csat(rating: Any) -> int | None:
    answer = field(rating, "ratings", "default_question")
    return RATINGS.get(answer) if isinstance(answer, int) else None


def row(ticket: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    turns, agents = _turns(ticket, ctx)
    start = parse_time(ticket.get("created_at"))
    source = ticket.get("source")
    return {
        "external_id": ticket_id(SOURCE, ticket.get("id")),
        "channel": CHANNELS.get(source, "chat") if isinstance(source, int) else "email",
        "agent_email": _agent_email(ctx, ticket.get("responder_id"))
        or (agents[-1] if agents else None),
        "occurred_at": iso(start),
        "duration_seconds": duration(turns),
        "customer_ref": str(ticket["requester_id"]) if ticket.get("requester_id") else None,
        "subject": ticket.get("subject") or None,
        "transcript": turns or None,
        "csat": _csat(ctx.ratings.get(ticket.get("id"))),
        "handle_seconds": offset(start, field(ticket, "stats", "resolved_at")),
    }
