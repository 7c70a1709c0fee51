"""Model rules against a fake OpenAI-compatible server: settings page, connection test, imports.

Security check 21 (docs/security-checks.md): off by default, the key encrypted and never shown,
a slow or missing server never fails an import.

The server is http.server in a thread on 127.0.0.1 (a random port); each test says how it
answers. Nothing here leaves the machine.
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from qa_app.accounts.models import Role
from qa_app.admin.models import ModelServer
from qa_app.admin.services import KEY_PURPOSE
from qa_app.autoqa.models import AutoSuggestion
from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from qa_app.rules import Reason
from qa_app.scorecards.schema import SHIPPED_DIR, validate_scorecard_data
from qa_app.scorecards.services import import_doc
from qa_app.sealed import unseal
from qa_app.ui.labels import label
from tests.autoqa.conftest import TURNS
from tests.interactions.conftest import jsonl_bytes, row, upload

PAGE = "/admin/model-server"
KEY = "sk-team-secret-4711"


class FakeModel:
    """What the fake server answers: a reply text, a status, or a delay; and what it received."""

    def __init__(self) -> None:
        self.reply, self.status, self.delay = "", 200, 0.0
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []


class Handler(BaseHTTPRequestHandler):
    fake: FakeModel

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        try:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            headers = {name.lower(): value for name, value in self.headers.items()}
            self.fake.requests.append((headers, body))
            time.sleep(self.fake.delay)
            message = {"role": "assistant", "content": self.fake.reply}
            answer = {"id": "c1", "object": "chat.completion", "created": 0, "model": "m"}
            answer["choices"] = [{"index": 0, "message": message, "finish_reason": "stop"}]
            data = json.dumps(answer).encode()
            self.send_response(self.fake.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up (the timeout test): nothing to answer
            pass

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, FakeModel]]:
    fake = FakeModel()
    handler = type("FakeHandler", (Handler,), {"fake": fake})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", fake
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def fake(server) -> FakeModel:
    model = server[1]
    model.reply, model.status, model.delay = "", 200, 0.0
    model.requests.clear()
    return model


def configure(app, url: str, enabled: bool = True, timeout: int = 20) -> None:
    with app.app_context():
        row = ModelServer(id=1, enabled=enabled, base_url=url, model="team-llm")
        db.session.merge(row).timeout_seconds = timeout
        db.session.commit()


def publish_model_card(app) -> None:
    data = yaml.safe_load((SHIPPED_DIR / "chat.yaml").read_bytes())
    for section in data["sections"]:
        for criterion in section["criteria"]:
            criterion.pop("rule", None)
    data["sections"][0]["criteria"][0]["rule"] = {"kind": "model"}
    with app.app_context():
        import_doc(validate_scorecard_data(data), None, publish_now=True)
        db.session.commit()


def import_one(app, login_as, make_user) -> tuple[int, AutoSuggestion, Any]:
    """Import one chat; the response status, its one stored suggestion, the reviewer's client."""
    agent = make_user(Role.AGENT)
    content = jsonl_bytes([row(agent.email, 1, transcript=TURNS, language="en")])
    reviewer = login_as(Role.REVIEWER)
    status = upload(reviewer, content, "chats.jsonl").status_code
    with app.app_context():
        stored = db.session.scalars(sa.select(AutoSuggestion)).all()
        assert len(stored) == 1
        db.session.expunge(stored[0])
        return status, stored[0], reviewer


def reply(point: object, *quotes: str) -> str:
    return json.dumps({"point": point, "quotes": list(quotes)})


def test_a_verbatim_answer_becomes_a_point_with_evidence(
    app, login_as, make_user, server, fake, monkeypatch
):
    monkeypatch.setenv("OPENAI_ORG_ID", "org-of-someone-else")  # never sent along
    publish_model_card(app)
    configure(app, server[0])
    fake.reply = reply(4, "Thank you for waiting")
    status, made, _ = import_one(app, login_as, make_user)
    assert (status, made.point, made.reason) == (302, 4, None)
    assert made.evidence == [
        {"kind": "phrase", "turn": 1, "start": 0, "end": 21, "phrase": "Thank you for waiting"}
    ]
    (headers, body) = fake.requests[0]
    assert body["model"] == "team-llm" and "Thank you for waiting, let me look." in str(body)
    assert "openai-organization" not in headers and headers["authorization"] == "Bearer no-key"


@pytest.mark.parametrize(
    ("answer", "delay", "reason"),
    [
        (reply(5, "We refunded you twice"), 0.0, "quote_not_found"),
        (reply(5, "Thank you"), 1.6, "model_unavailable"),  # past the 1 s timeout
        ("I think it was fine", 0.0, "model_answer_invalid"),
    ],
)
def test_a_bad_or_late_answer_cannot_decide_and_the_import_stands(
    app, login_as, make_user, server, fake, answer, delay, reason
):
    publish_model_card(app)
    configure(app, server[0], timeout=1)
    fake.reply, fake.delay = answer, delay
    status, made, reviewer = import_one(app, login_as, make_user)
    assert (status, made.outcome.value, made.reason, made.evidence) == (
        302,
        "cannot_decide",
        reason,
        [],
    )
    with app.app_context():
        interaction_id = db.session.scalar(sa.select(Interaction.id))
    page = reviewer.get(f"/evaluations/new?interaction={interaction_id}").get_data(as_text=True)
    assert str(label(Reason(reason))) in html.unescape(page)  # the page names the reason


@pytest.mark.parametrize(
    ("enabled", "reason"),
    [(True, "model_unavailable"), (False, "model_off"), (None, "model_off")],  # None: never set
)
def test_a_server_that_is_down_or_off_cannot_decide(
    app, login_as, make_user, fake, enabled, reason
):
    publish_model_card(app)
    if enabled is not None:
        configure(app, "http://127.0.0.1:9/v1", enabled=enabled)  # nothing listens on port 9
    status, made, _ = import_one(app, login_as, make_user)
    assert (status, made.reason) == (302, reason)
    assert fake.requests == []


def test_settings_store_the_key_encrypted_and_never_show_it(app, login_as, server, fake):
    admin = login_as(Role.ADMIN)
    form = {"enabled": "y", "base_url": server[0] + "/", "model": "team-llm", "api_key": KEY}
    form["timeout_seconds"] = "5"
    assert admin.submit(PAGE, form, token_from=PAGE).status_code == 302
    with app.app_context():
        stored = db.session.get(ModelServer, 1)
        assert (stored.enabled, stored.base_url, stored.timeout_seconds) == (True, server[0], 5)
        assert (
            KEY not in stored.api_key_encrypted
            and unseal(stored.api_key_encrypted, KEY_PURPOSE) == KEY
        )
    page = admin.get(PAGE).get_data(as_text=True)
    assert KEY not in page and "An API key is stored." in page
    del form["api_key"]  # empty: the stored key stays
    admin.submit(PAGE, form, token_from=PAGE)
    fake.reply = "OK"
    answered = admin.submit(PAGE + "/test", token_from=PAGE, follow_redirects=True)
    assert "The model server answered." in answered.get_data(as_text=True)
    assert fake.requests[-1][0]["authorization"] == f"Bearer {KEY}"
    fake.status = 401
    refused = admin.submit(PAGE + "/test", token_from=PAGE, follow_redirects=True)
    text = refused.get_data(as_text=True)
    assert "The server refused the API key." in text and KEY not in text
    admin.submit(PAGE, {**form, "clear_key": "y"}, token_from=PAGE)
    with app.app_context():
        assert db.session.get(ModelServer, 1).api_key_encrypted is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"base_url": "ftp://models.internal/v1"}, "starts with http:// or https://"),
        ({"base_url": "http://user:pw@models.internal/v1"}, "Leave the user name"),
        ({"base_url": ""}, "Give the server"),
        ({"timeout_seconds": "121"}, "Use 1 to 120 seconds."),
    ],
)
def test_a_bad_setting_is_explained_and_nothing_is_stored(app, login_as, values, message):
    admin = login_as(Role.ADMIN)
    form = {"enabled": "y", "base_url": "http://m.internal/v1", "model": "m", "api_key": KEY}
    response = admin.submit(PAGE, {**form, "timeout_seconds": "20", **values}, token_from=PAGE)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and message in text and KEY not in text
    with app.app_context():
        assert db.session.get(ModelServer, 1) is None


def test_a_key_under_another_secret_counts_as_none_and_down_is_said_plainly(app, login_as):
    configure(app, "http://127.0.0.1:9/v1", enabled=False)
    with app.app_context():
        db.session.get(ModelServer, 1).api_key_encrypted = "gAAAAAnot-a-token"
        db.session.commit()
    admin = login_as(Role.ADMIN)
    assert "cannot be read any more" in admin.get(PAGE).get_data(as_text=True)
    tested = admin.submit(PAGE + "/test", token_from=PAGE, follow_redirects=True)
    assert "Could not connect to http://127.0.0.1:9/v1." in tested.get_data(as_text=True)


def test_a_run_after_switching_the_server_on_asks_it(
    app, login_as, make_user, runner, server, fake
):
    publish_model_card(app)
    assert import_one(app, login_as, make_user)[1].reason == "model_off"
    configure(app, server[0])
    fake.reply = reply(3, "my card was charged twice")
    assert "Auto-scored 1 of 1" in runner.invoke(args=["autoqa", "run", "--all"]).output
    with app.app_context():
        made = db.session.scalars(sa.select(AutoSuggestion)).one()
        assert (made.point, made.evidence[0]["turn"]) == (3, 0)
