"""A small fake Zendesk on 127.0.0.1 for the pull tests, serving pages recorded by hand.

The pages follow the public API reference: the cursor-based incremental ticket export (tickets,
side-loaded users and metric_sets, after_cursor, end_of_stream) and the ticket comments list
(comments, side-loaded users, meta.has_more / meta.after_cursor). Tickets 101 and 103 are solved
and 102 still open, so only two interactions come from the first pull; the resumed pull (cursor
"c2") brings ticket 104.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

EMAIL, TOKEN = "api@acme.test", "secret-token-123"
AGENT = "anna.agent@example.com"
USERS = [
    {"id": 900, "email": AGENT, "role": "agent", "name": "Anna"},
    {"id": 501, "email": "kund@example.org", "role": "end-user", "locale": "de"},
]


def _ticket(number: int, status: str, created: str) -> dict[str, Any]:
    return {
        "id": number,
        "subject": f"Order {number}",
        "status": status,
        "created_at": created,
        "updated_at": created,
        "via": {"channel": "email"},
        "requester_id": 501,
        "assignee_id": 900,
        "satisfaction_rating": {"score": "good"},
    }


def _metrics(number: int) -> dict[str, Any]:
    return {"ticket_id": number, "full_resolution_time_in_minutes": {"calendar": 42, "business": 7}}


PAGES = {
    None: {  # asked with start_time
        "tickets": [
            _ticket(101, "solved", "2026-03-02T09:00:00Z"),
            _ticket(102, "open", "2026-03-02T09:30:00Z"),
        ],
        "users": USERS,
        "metric_sets": [_metrics(101)],
        "after_url": "https://acme.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=c1",
        "after_cursor": "c1",
        "end_of_stream": False,
    },
    "c1": {
        "tickets": [_ticket(103, "closed", "2026-03-02T10:00:00Z")],
        "users": USERS,
        "metric_sets": [_metrics(103)],
        "after_url": "https://acme.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=c2",
        "after_cursor": "c2",
        "end_of_stream": True,
    },
    "c2": {
        "tickets": [_ticket(104, "solved", "2026-03-03T08:00:00Z")],
        "users": USERS,
        "metric_sets": [],
        "after_cursor": "c3",
        "end_of_stream": True,
    },
}


def _comments(number: int) -> dict[str, Any]:
    return {
        "comments": [
            {
                "id": number * 10,
                "author_id": 501,
                "public": True,
                "html_body": "<p>Wo ist mein Paket?</p>",
                "created_at": "2026-03-02T09:00:00Z",
                "via": {"channel": "email"},
            },
            {
                "id": number * 10 + 1,
                "author_id": 900,
                "public": False,
                "html_body": "<p>checked the warehouse</p>",
                "created_at": "2026-03-02T09:01:00Z",
                "via": {"channel": "web"},
            },
            {
                "id": number * 10 + 2,
                "author_id": 900,
                "public": True,
                "html_body": "<p>It ships today &amp; arrives tomorrow.</p>",
                "created_at": "2026-03-02T09:02:00Z",
                "via": {"channel": "web"},
            },
        ],
        "users": USERS,
        "meta": {"has_more": False, "after_cursor": None},
    }


@dataclass
class FakeZendesk:
    url: str = ""
    requests: list[tuple[float, str, dict[str, str]]] = field(default_factory=list)
    throttle_once: bool = False

    def reset(self) -> None:
        self.requests.clear()
        self.throttle_once = False

    def export_requests(self) -> list[tuple[float, dict[str, str]]]:
        return [(at, query) for at, path, query in self.requests if "incremental" in path]

    def __call__(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        self.requests.append((time.monotonic(), request.path, dict(request.args)))
        return self.answer(request)(environ, start_response)

    def answer(self, request: Request) -> Response:
        expected = "Basic " + base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode()
        if request.headers.get("Authorization") != expected:
            return _json({"error": "Couldn't authenticate you"}, 401)
        if request.path == "/api/v2/incremental/tickets/cursor.json":
            if self.throttle_once:
                self.throttle_once = False
                return _json({"error": "APIRateLimitExceeded"}, 429, {"Retry-After": "1"})
            return _json(PAGES[request.args.get("cursor")])
        if request.path.startswith("/api/v2/tickets/") and request.path.endswith("/comments.json"):
            return _json(_comments(int(request.path.split("/")[4])))
        return _json({"error": "InvalidEndpoint"}, 404)


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data), status, headers, content_type="application/json")


def serve() -> Iterator[FakeZendesk]:
    fake = FakeZendesk()
    server = make_server("127.0.0.1", 0, fake, threaded=True)
    fake.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        thread.join(5)
