"""A webhook receiver on 127.0.0.1 in the test process, answering as each test tells it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.evaluations.conftest import org  # noqa: F401 (the org fixture, shared)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)  # status codes to give, then 204 for ever

    def __call__(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        self.received.append(Received(dict(request.headers), request.get_data()))
        status = self.answers.pop(0) if self.answers else 204
        return Response(status=status)(environ, start_response)

    def events(self) -> list[str]:
        return [item.json["type"] for item in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    server = make_server("127.0.0.1", 0, found, threaded=True)
    found.url = f"http://127.0.0.1:{server.server_port}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"WEBHOOK_TIMEOUT_SECONDS": 5, "WEBHOOK_RETRY_DELAYS": [60, 300]}
