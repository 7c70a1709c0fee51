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


def zendesk(plans: list[dict]) -> dict:
    emails = [*AGENTS, NEW_AGENT]
    agent_ids = {email: 900 + i for i, email in enumerate(emails)}
    users = [
        {"id": i, "email": e, "role": "agent", "name": e.split(".")[0]}
        for e, i in agent_ids.items()
    ]
    users.append({"id": 1, "email": "bot@example.com", "role": "admin", "name": "Bot"})
    tickets, metric_sets = [], []
    via = {"email": "email", "chat": "chat", "call": "voice"}
    for p in plans:
        customer = 5000 + p["n"]
        users.append(
            {
                "id": customer,
                "email": f"customer{p['n']}@example.org",
                "role": "end-user",
                "locale": "en-US",
            }
        )
        comments = []
        for k, (who, html, at) in enumerate(p["messages"]):
            comments.append(
                {
                    "id": p["n"] * 100 + k,
                    "type": "Comment",
                    "author_id": agent_ids[p["agent"]] if who == "agent" else customer,
                    "public": True,
                    "html_body": html,
                    "plain_body": "(plain text not used)",
                    "created_at": iso(p["opened"] + timedelta(seconds=at)),
                    "via": {"channel": "web"},
                }
            )
        if p["note"]:
            comments.append(
                {
                    "id": p["n"] * 100 + 50,
                    "type": "Comment",
                    "author_id": agent_ids[p["agent"]],
                    "public": False,
                    "html_body": f"<p>{NOTE}</p>",
                    "created_at": iso(p["opened"] + timedelta(seconds=30)),
                    "via": {"channel": "web"},
                }
            )
        if p["bot"]:
            comments.append(
                {
                    "id": p["n"] * 100 + 60,
                    "type": "Comment",
                    "author_id": 1,
                    "public": True,
                    "html_body": f"<p>{BOT}</p>",
                    "created_at": iso(p["opened"] + timedelta(seconds=5)),
                    "via": {"channel": "rule", "source": {"rel": "trigger"}},
                }
            )
        comments.sort(key=lambda c: c["created_at"])
        score = {5: "good", 4: "good", 1: "bad", 3: "offered", None: "unoffered"}[p["csat"]]
        tickets.append(
            {
                "id": 10000 + p["n"],
                "subject": f"Ticket {p['n']}",
                "created_at": iso(p["opened"]),
                "updated_at": iso(p["opened"] + timedelta(seconds=p["resolved_after"])),
                "status": "solved",
                "via": {"channel": via[p["channel"]]},
                "requester_id": customer,
                "assignee_id": agent_ids[p["agent"]],
                "satisfaction_rating": {"score": score},
                "comments": comments,
            }
        )
        metric_sets.append(
            {
                "ticket_id": 10000 + p["n"],
                "reply_time_in_minutes": {"calendar": 5, "business": 5},
                "full_resolution_time_in_minutes": {
                    "calendar": p["resolved_after"] // 60,
                    "business": 1,
                },
                "requester_wait_time_in_minutes": {"calendar": 3, "business": 3},
            }
        )
    return {"tickets": tickets, "users": users, "metric_sets": metric_sets, "count": len(tickets)}


def freshdesk(plans: list[dict]) -> dict:
    emails = [*AGENTS, NEW_AGENT]
    agents = [
        {"id": 700 + i, "contact": {"email": e, "name": e.split(".")[0]}}
        for i, e in enumerate(emails)
    ]
    agent_ids = {a["contact"]["email"]: a["id"] for a in agents}
    source = {"email": 1, "chat": 7, "call": 3}
    answers = {5: 103, 4: 101, 1: -103, 3: 100}
    tickets, ratings = [], []
    for p in plans:
        customer = 6000 + p["n"]
        first, *rest = p["messages"]
        conversations = []
        for k, (who, html, at) in enumerate(rest):
            conversations.append(
                {
                    "id": p["n"] * 100 + k,
                    "body": html,
                    "body_text": "(plain text not used)",
                    "incoming": who == "customer",
                    "private": False,
                    "user_id": agent_ids[p["agent"]] if who == "agent" else customer,
                    "source": 0,
                    "created_at": iso(p["opened"] + timedelta(seconds=at)),
                }
            )
        if p["note"]:
            conversations.append(
                {
                    "id": p["n"] * 100 + 50,
                    "body": f"<div>{NOTE}</div>",
                    "incoming": False,
                    "private": True,
                    "user_id": agent_ids[p["agent"]],
                    "source": 2,
                    "created_at": iso(p["opened"] + timedelta(seconds=30)),
                }
            )
        if p["bot"]:
            conversations.append(
                {
                    "id": p["n"] * 100 + 60,
                    "body": f"<div>{BOT}</div>",
                    "incoming": False,
                    "private": False,
                    "user_id": 1,
                    "source": 0,
                    "created_at": iso(p["opened"] + timedelta(seconds=5)),
                }
            )
        conversations.sort(key=lambda c: c["created_at"])
        tickets.append(
            {
                "id": 20000 + p["n"],
                "subject": f"Ticket {p['n']}",
                "description": first[1],
                "description_text": "(plain text not used)",
                "source": source[p["channel"]],
                "status": 4,
                "requester_id": customer,
                "responder_id": agent_ids[p["agent"]],
                "created_at": iso(p["opened"]),
                "stats": {"resolved_at": iso(p["opened"] + timedelta(seconds=p["resolved_after"]))},
                "conversations": conversations,
            }
        )
        if p["csat"] is not None:
            ratings.append(
                {
                    "id": 30000 + p["n"],
                    "ticket_id": 20000 + p["n"],
                    "agent_id": agent_ids[p["agent"]],
                    "ratings": {"default_question": answers[p["csat"]]},
                }
            )
    return {"tickets": tickets, "agents": agents, "satisfaction_ratings": ratings}


def intercom(plans: list[dict]) -> dict:
    emails = [*AGENTS, NEW_AGENT]
    admins = {e: str(800 + i) for i, e in enumerate(emails)}
    kinds = {"email": "email", "chat": "conversation", "call": "phone_call"}
    conversations = []
    for p in plans:
        opened = int(p["opened"].timestamp())
        customer = {
            "type": "user",
            "id": f"u{p['n']}",
            "name": "Customer",
            "email": f"customer{p['n']}@example.org",
        }
        admin = {"type": "admin", "id": admins[p["agent"]], "name": "Agent", "email": p["agent"]}
        (_, first_html, _), *rest = p["messages"]
        parts = [
            {
                "type": "conversation_part",
                "id": f"{p['n']}-a",
                "part_type": "assignment",
                "body": None,
                "created_at": opened + 1,
                "author": admin,
                "assigned_to": {"type": "admin", "id": admin["id"]},
            }
        ]
        for k, (who, html, at) in enumerate(rest):
            parts.append(
                {
                    "type": "conversation_part",
                    "id": f"{p['n']}-{k}",
                    "part_type": "comment",
                    "body": html,
                    "created_at": opened + at,
                    "author": admin if who == "agent" else customer,
                }
            )
        if p["note"]:
            parts.append(
                {
                    "type": "conversation_part",
                    "id": f"{p['n']}-n",
                    "part_type": "note",
                    "body": f"<p>{NOTE}</p>",
                    "created_at": opened + 30,
                    "author": admin,
                }
            )
        if p["bot"]:
            parts.append(
                {
                    "type": "conversation_part",
                    "id": f"{p['n']}-b",
                    "part_type": "comment",
                    "body": f"<p>{BOT}</p>",
                    "created_at": opened + 5,
                    "author": {
                        "type": "bot",
                        "id": "42",
                        "name": "Operator",
                        "email": "operator+bot@intercom.io",
                    },
                }
            )
        parts.sort(key=lambda part: part["created_at"])
        rating = None
        if p["csat"] is not None:
            rating = {
                "rating": p["csat"],
                "remark": None,
                "created_at": opened + 4000,
                "teammate": {"type": "admin", "id": admin["id"]},
            }
        conversations.append(
            {
                "type": "conversation",
                "id": str(40000 + p["n"]),
                "title": None,
                "created_at": opened,
                "updated_at": opened + p["resolved_after"],
                "state": "closed",
                "admin_assignee_id": int(admin["id"]),
                "source": {
                    "type": kinds[p["channel"]],
                    "id": f"s{p['n']}",
                    "delivered_as": "customer_initiated",
                    "subject": f"Ticket {p['n']}" if p["channel"] == "email" else "",
                    "body": first_html,
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
        )
    return {
        "type": "conversation.list",
        "conversations": conversations,
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
