"""Write the helpdesk export files the tests import: python tests/data/helpdesk/make_exports.py

Deterministic (a fixed seed, fixed times), so the files can be reviewed and regenerated. Shapes
follow each vendor's public API answers (docs/helpdesk-imports.md). Every file holds the same
awkward cases at fixed positions:

- conversation 1: an internal note and a bot message, both to be left out;
- conversation 2: no public agent reply (only the customer wrote);
- conversation 3: assigned to new.agent@example.com, who has no account until a test makes one;
- conversation 4: HTML entities and non-ASCII text (Hungarian, Greek, an emoji).
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
COUNT = 55
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
AGENTS = ["anna.agent@example.com", "bence.agent@example.com", "csilla.agent@example.com"]
NEW_AGENT = "new.agent@example.com"
NOTE = "INTERNAL NOTE: refund approved by finance"
BOT = "BOT: Thanks for writing, a person will answer soon."
QUESTIONS = [
    "My parcel has not arrived yet.",
    "I was charged twice for the same order.",
    "How do I change my delivery address?",
    "The app logs me out every day.",
]
ANSWERS = [
    "I am sorry about that, let me check the tracking for you.",
    "Thank you for waiting, I have refunded the second charge.",
    "You can change it under Settings, Addresses; I have updated it for you now.",
    "Please update the app; the new version fixes this.",
]
ODD_QUESTION = "<p>Szia! Árvíztűrő tükörfúrógép &amp; &lt;b&gt;bold&lt;/b&gt; &eacute;</p>"
ODD_ANSWER = "<p>Γειά σου &mdash; all fixed 👍</p><p>Second line&nbsp;here</p>"


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def plan(n: int, rng: random.Random) -> dict:
    """What happened in conversation n: vendor-neutral, shaped per vendor below."""
    opened = START + timedelta(hours=3 * n, minutes=rng.randrange(60))
    agent = NEW_AGENT if n == 3 else AGENTS[n % len(AGENTS)]
    question, answer = QUESTIONS[n % 4], ANSWERS[n % 4]
    if n == 4:
        question, answer = ODD_QUESTION, ODD_ANSWER
    gaps = [rng.randrange(60, 900) for _ in range(3)]
    messages = [("customer", f"<p>{question}</p>" if n != 4 else question, 0)]
    if n != 2:
        messages.append(("agent", f"<p>{answer}</p>" if n != 4 else answer, gaps[0]))
        messages.append(("customer", "<p>Thanks!</p>", gaps[0] + gaps[1]))
    return {
        "n": n,
        "opened": opened,
        "agent": agent,
        "messages": messages,
        "note": n % 5 == 1,
        "bot": n % 5 == 1,
        "channel": ["email", "chat", "call"][n % 3],
        "csat": [5, 4, 1, None, 3][n % 5],
        "resolved_after": sum(gaps) + 600,
    }


def _at(p: dict, seconds: int) -> str:
    return iso(p["opened"] + timedelta(seconds=seconds))


def _extras(p: dict) -> list[tuple[str, int]]:
    """The note (written 30 s in) and the bot message (5 s in) of this conversation, if any."""
    return [("note", 30)] * p["note"] + [("bot", 5)] * p["bot"]


# Zendesk: tickets with their comments, users and metric sets side-loaded.


def zendesk_comment(p: dict, k: int, message: tuple, ids: dict) -> dict:
    who, html, at = message
    return {
        "id": p["n"] * 100 + k,
        "type": "Comment",
        "author_id": ids[p["agent"]] if who == "agent" else 5000 + p["n"],
        "public": True,
        "html_body": html,
        "plain_body": "(plain text not used)",
        "created_at": _at(p, at),
        "via": {"channel": "web"},
    }


def zendesk_extra(p: dict, kind: str, at: int, ids: dict) -> dict:
    return {
        "id": p["n"] * 100 + (50 if kind == "note" else 60),
        "type": "Comment",
        "author_id": ids[p["agent"]] if kind == "note" else 1,
        "public": kind != "note",
        "html_body": f"<p>{NOTE if kind == 'note' else BOT}</p>",
        "created_at": _at(p, at),
        "via": {"channel": "web"}
        if kind == "note"
        else {"channel": "rule", "source": {"rel": "trigger"}},
    }


def zendesk_ticket(p: dict, ids: dict) -> dict:
    comments = [zendesk_comment(p, k, m, ids) for k, m in enumerate(p["messages"])]
    comments += [zendesk_extra(p, kind, at, ids) for kind, at in _extras(p)]
    comments.sort(key=lambda c: c["created_at"])
    score = {5: "good", 4: "good", 1: "bad", 3: "offered", None: "unoffered"}[p["csat"]]
    return {
        "id": 10000 + p["n"],
        "subject": f"Ticket {p['n']}",
        "created_at": iso(p["opened"]),
        "updated_at": _at(p, p["resolved_after"]),
        "status": "solved",
        "via": {"channel": {"email": "email", "chat": "chat", "call": "voice"}[p["channel"]]},
        "requester_id": 5000 + p["n"],
        "assignee_id": ids[p["agent"]],
        "satisfaction_rating": {"score": score},
        "comments": comments,
    }


def zendesk_metrics(p: dict) -> dict:
    return {
        "ticket_id": 10000 + p["n"],
        "reply_time_in_minutes": {"calendar": 5, "business": 5},
        "full_resolution_time_in_minutes": {"calendar": p["resolved_after"] // 60, "business": 1},
        "requester_wait_time_in_minutes": {"calendar": 3, "business": 3},
    }


def zendesk(plans: list[dict]) -> dict:
    ids = {email: 900 + i for i, email in enumerate([*AGENTS, NEW_AGENT])}
    users = [
        {"id": i, "email": e, "role": "agent", "name": e.split(".")[0]} for e, i in ids.items()
    ]
    users.append({"id": 1, "email": "bot@example.com", "role": "admin", "name": "Bot"})
    tickets = []
    for p in plans:
        email = f"customer{p['n']}@example.org"
        users.append({"id": 5000 + p["n"], "email": email, "role": "end-user", "locale": "en-US"})
        tickets.append(zendesk_ticket(p, ids))
    metric_sets = [zendesk_metrics(p) for p in plans]
    return {"tickets": tickets, "users": users, "metric_sets": metric_sets, "count": len(tickets)}


# Freshdesk: tickets with conversations and stats, the agents, the satisfaction ratings.


def freshdesk_reply(p: dict, k: int, message: tuple, ids: dict) -> dict:
    who, html, at = message
    return {
        "id": p["n"] * 100 + k,
        "body": html,
        "body_text": "(plain text not used)",
        "incoming": who == "customer",
        "private": False,
        "user_id": ids[p["agent"]] if who == "agent" else 6000 + p["n"],
        "source": 0,
        "created_at": _at(p, at),
    }


def freshdesk_extra(p: dict, kind: str, at: int, ids: dict) -> dict:
    return {
        "id": p["n"] * 100 + (50 if kind == "note" else 60),
        "body": f"<div>{NOTE if kind == 'note' else BOT}</div>",
        "incoming": False,
        "private": kind == "note",
        "user_id": ids[p["agent"]] if kind == "note" else 1,
        "source": 2 if kind == "note" else 0,
        "created_at": _at(p, at),
    }


def freshdesk_ticket(p: dict, ids: dict) -> dict:
    first, *rest = p["messages"]
    conversations = [freshdesk_reply(p, k, m, ids) for k, m in enumerate(rest)]
    conversations += [freshdesk_extra(p, kind, at, ids) for kind, at in _extras(p)]
    conversations.sort(key=lambda c: c["created_at"])
    return {
        "id": 20000 + p["n"],
        "subject": f"Ticket {p['n']}",
        "description": first[1],
        "description_text": "(plain text not used)",
        "source": {"email": 1, "chat": 7, "call": 3}[p["channel"]],
        "status": 4,
        "requester_id": 6000 + p["n"],
        "responder_id": ids[p["agent"]],
        "created_at": iso(p["opened"]),
        "stats": {"resolved_at": _at(p, p["resolved_after"])},
        "conversations": conversations,
    }


def freshdesk(plans: list[dict]) -> dict:
    emails = [*AGENTS, NEW_AGENT]
    agents = [
        {"id": 700 + i, "contact": {"email": e, "name": e.split(".")[0]}}
        for i, e in enumerate(emails)
    ]
    ids = {a["contact"]["email"]: a["id"] for a in agents}
    answers = {5: 103, 4: 101, 1: -103, 3: 100}
    ratings = [
        {
            "id": 30000 + p["n"],
            "ticket_id": 20000 + p["n"],
            "agent_id": ids[p["agent"]],
            "ratings": {"default_question": answers[p["csat"]]},
        }
        for p in plans
        if p["csat"] is not None
    ]
    tickets = [freshdesk_ticket(p, ids) for p in plans]
    return {"tickets": tickets, "agents": agents, "satisfaction_ratings": ratings}


# Intercom: conversations with their opening message and parts, the admins.

INTERCOM_BOT = {"type": "bot", "id": "42", "name": "Operator", "email": "operator+bot@intercom.io"}


def intercom_part(p: dict, suffix: str, kind: str, body: str | None, at: int, author: dict) -> dict:
    return {
        "type": "conversation_part",
        "id": f"{p['n']}-{suffix}",
        "part_type": kind,
        "body": body,
        "created_at": int(p["opened"].timestamp()) + at,
        "author": author,
    }


def intercom_parts(p: dict, admin: dict, customer: dict) -> list[dict]:
    assignment = intercom_part(p, "a", "assignment", None, 1, admin)
    parts = [{**assignment, "assigned_to": {"type": "admin", "id": admin["id"]}}]
    for k, (who, html, at) in enumerate(p["messages"][1:]):
        parts.append(
            intercom_part(p, str(k), "comment", html, at, admin if who == "agent" else customer)
        )
    for kind, at in _extras(p):
        if kind == "note":
            parts.append(intercom_part(p, "n", "note", f"<p>{NOTE}</p>", at, admin))
        else:
            parts.append(intercom_part(p, "b", "comment", f"<p>{BOT}</p>", at, INTERCOM_BOT))
    parts.sort(key=lambda part: part["created_at"])
    return parts


def intercom_conversation(p: dict, admins: dict) -> dict:
    opened = int(p["opened"].timestamp())
    email = f"customer{p['n']}@example.org"
    customer = {"type": "user", "id": f"u{p['n']}", "name": "Customer", "email": email}
    admin = {"type": "admin", "id": admins[p["agent"]], "name": "Agent", "email": p["agent"]}
    parts = intercom_parts(p, admin, customer)
    rating = None
    if p["csat"] is not None:
        teammate = {"type": "admin", "id": admin["id"]}
        rating = {
            "rating": p["csat"],
            "remark": None,
            "created_at": opened + 4000,
            "teammate": teammate,
        }
    return {
        "type": "conversation",
        "id": str(40000 + p["n"]),
        "title": None,
        "created_at": opened,
        "updated_at": opened + p["resolved_after"],
        "state": "closed",
        "admin_assignee_id": int(admin["id"]),
        "source": {
            "type": {"email": "email", "chat": "conversation", "call": "phone_call"}[p["channel"]],
            "id": f"s{p['n']}",
            "delivered_as": "customer_initiated",
            "subject": f"Ticket {p['n']}" if p["channel"] == "email" else "",
            "body": p["messages"][0][1],
            "author": customer,
        },
        "conversation_parts": {
            "type": "conversation_part.list",
            "conversation_parts": parts,
            "total_count": len(parts),
        },
        "conversation_rating": rating,
        "statistics": {
            "type": "conversation_statistics",
            "time_to_last_close": p["resolved_after"],
        },
    }


def intercom(plans: list[dict]) -> dict:
    admins = {e: str(800 + i) for i, e in enumerate([*AGENTS, NEW_AGENT])}
    return {
        "type": "conversation.list",
        "conversations": [intercom_conversation(p, admins) for p in plans],
        "admins": [{"type": "admin", "id": i, "email": e} for e, i in admins.items()],
    }


def main() -> None:
    rng = random.Random(20261220)
    plans = [plan(n, rng) for n in range(1, COUNT + 1)]
    for name, build in (
        ("zendesk_tickets", zendesk),
        ("freshdesk_tickets", freshdesk),
        ("intercom_conversations", intercom),
    ):
        text = json.dumps(build(plans), indent=1, ensure_ascii=False) + "\n"
        (HERE / f"{name}.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
