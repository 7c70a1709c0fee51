"""Pulling Zendesk tickets with the cursor-based incremental export (docs/helpdesk-imports.md).

Each page of ``/api/v2/incremental/tickets/cursor.json`` holds the tickets changed since the
cursor, with their users and metric sets side-loaded; the comments of each solved or closed
ticket are read from its comments endpoint. Tickets still open are left for a later pull: they
change again when solved, and so come back in the export then.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from ..interactions.models import FileFormat
from .base import HttpSource, Page

EXPORT = "/api/v2/incremental/tickets/cursor.json"
COMMENTS = "/api/v2/tickets/{id}/comments.json"
SIDELOADS = "users,metric_sets"
FINISHED = frozenset({"solved", "closed"})
MAX_COMMENT_PAGES = 50


class ZendeskConnector:
    file_format = FileFormat.ZENDESK

    def __init__(self, http: HttpSource, start_time: datetime) -> None:
        self.http, self.start_time = http, start_time
        self.seen: set[int] = set()  # a ticket met twice in one pull is stored from its first page

    def pages(self, cursor: str | None) -> Iterator[Page]:
        while True:
            params: dict[str, Any] = {"include": SIDELOADS}
            if cursor:
                params["cursor"] = cursor
            else:
                params["start_time"] = int(self.start_time.timestamp())
            data = self.http.get_json(EXPORT, params)
            after = data.get("after_cursor")
            cursor = after if isinstance(after, str) and after else cursor
            last = bool(data.get("end_of_stream", True))
            yield Page(data, cursor, last)
            if last:
                return

    def document(self, page: Page) -> Mapping[str, Any]:
        users = list(_objects(page.document.get("users")))
        tickets = []
        for ticket in _objects(page.document.get("tickets")):
            if ticket.get("status") not in FINISHED or not isinstance(ticket.get("id"), int):
                continue
            if ticket["id"] in self.seen:
                continue
            self.seen.add(ticket["id"])
            comments, authors = self._comments(ticket["id"])
            tickets.append({**ticket, "comments": comments})
            users.extend(authors)
        return {"tickets": tickets, "users": users, "metric_sets": page.document.get("metric_sets")}

    def close(self) -> None:
        self.http.close()

    def _comments(self, ticket_id: int) -> tuple[list[Any], list[Any]]:
        comments: list[Any] = []
        users: list[Any] = []
        params: dict[str, Any] = {"include": "users", "page[size]": 100}
        for _page in range(MAX_COMMENT_PAGES):
            data = self.http.get_json(COMMENTS.format(id=ticket_id), params)
            comments.extend(_objects(data.get("comments")))
            users.extend(_objects(data.get("users")))
            meta = data.get("meta")
            after = meta.get("after_cursor") if isinstance(meta, Mapping) else None
            if not (isinstance(meta, Mapping) and meta.get("has_more") and after):
                break
            params["page[after]"] = after
        return comments, users


def _objects(value: Any) -> Iterator[Mapping[str, Any]]:
    return (
        (item for item in value if isinstance(item, Mapping))
        if isinstance(value, list)
        else iter(())
    )
