"""Request logs: one JSON line per request, with a request id that the response echoes."""

from __future__ import annotations

import json

import pytest

from qa_app.accounts.models import Role
from qa_app.logs import make_formatter

KEYS = {"request_id", "user_id", "method", "path", "status", "duration_ms"}


@pytest.fixture
def config_overrides():
    return {"LOG_FORMAT": "json"}


def request_lines(text: str) -> list[dict]:
    """The JSON request lines of captured stderr (every line must be JSON)."""
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [record for record in records if record.get("event") == "request"]


def test_a_request_writes_exactly_one_json_line_with_the_request_fields(client, capsys):
    capsys.readouterr()
    response = client.get("/login?email=someone@example.com")
    lines = request_lines(capsys.readouterr().err)
    assert len(lines) == 1
    line = lines[0]
    assert line.keys() >= KEYS
    assert line["method"] == "GET" and line["path"] == "/login" and line["status"] == 200
    assert line["user_id"] is None and line["level"] == "info"
    assert isinstance(line["duration_ms"], int | float) and line["duration_ms"] >= 0
    assert response.headers["X-Request-ID"] == line["request_id"]
    assert "someone" not in json.dumps(line)


def test_signed_in_request_names_the_user(login_as, capsys):
    client = login_as(Role.AGENT)
    capsys.readouterr()
    client.get("/")
    (line,) = request_lines(capsys.readouterr().err)
    assert line["user_id"] == client.user.id and line["status"] == 200


def test_a_valid_incoming_request_id_is_kept_and_a_bad_one_replaced(client, capsys):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-4f2a.17"})
    assert kept.headers["X-Request-ID"] == "lb-4f2a.17"
    replaced = client.get("/healthz", headers={"X-Request-ID": 'bad id {"json": 1}'})
    assert replaced.headers["X-Request-ID"] not in ("", 'bad id {"json": 1}')
    lines = request_lines(capsys.readouterr().err)
    assert [line["request_id"] for line in lines] == [
        "lb-4f2a.17",
        replaced.headers["X-Request-ID"],
    ]


def test_server_error_incident_is_the_request_id(app, capsys):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom", headers={"X-Request-ID": "abc123"})
    assert response.status_code == 500
    assert "<code>abc123</code>" in response.get_data(as_text=True)
    records = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    incident = next(r for r in records if r["event"] == "incident abc123")
    assert incident["request_id"] == "abc123" and "secret internals" in incident["exception"]
    assert request_lines("\n".join(json.dumps(r) for r in records))[0]["status"] == 500


def test_console_format_is_readable_text_and_unknown_formats_are_refused():
    assert callable(make_formatter("console").format)
    with pytest.raises(RuntimeError, match="LOG_FORMAT"):
        make_formatter("xml")
