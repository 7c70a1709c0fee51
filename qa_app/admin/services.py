"""The team's model server for Auto QA: settings, the encrypted API key, and asking the model.

The key is encrypted with Fernet under a key derived from SECRET_KEY (HKDF-SHA256), so the
database alone does not give it away. A changed SECRET_KEY makes the stored key unreadable: it
then counts as no key, and an admin enters it again. Requests go through the ``openai`` client
made for OpenAI-compatible servers, with the admin's base URL and timeout and no retries
(docs/autoqa.md).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask_babel import gettext as _

from ..audit.models import AuditAction
from ..audit.services import record_event
from ..extensions import db
from ..sealed import seal, unseal
from ..textinput import web_address_problem
from .models import ModelServer

logger = logging.getLogger(__name__)
KEY_PURPOSE = b"qa-scorecard: model server API key"
NO_KEY = "no-key"  # the client needs some key; servers without keys ignore it
MAX_TOKENS = 800
AUDITED = ("enabled", "base_url", "model", "timeout_seconds")  # changes kept in the audit log
PING = [{"role": "user", "content": "Reply with the word OK."}]


def key_state(row: ModelServer) -> str:
    """``none``, ``stored`` or ``unreadable`` (stored under another SECRET_KEY)."""
    if not row.api_key_encrypted:
        return "none"
    return "stored" if unseal(row.api_key_encrypted, KEY_PURPOSE) is not None else "unreadable"


def url_problem(url: str) -> str | None:
    """Why this is not a usable base URL, or None (no query: the client adds its own paths)."""
    hint = _("Leave the user name and password out of the address; use the API key field.")
    return web_address_problem(url, hint, query_allowed=False)


def settings() -> ModelServer:
    """The settings row, a new (off) one when none is stored yet."""
    return db.session.get(ModelServer, 1) or ModelServer(
        id=1, enabled=False, base_url="", model="", timeout_seconds=20
    )


@dataclass(frozen=True)
class NewSettings:
    enabled: bool
    base_url: str
    model: str
    timeout_seconds: int
    new_key: str = ""  # empty: keep the stored key
    clear_key: bool = False


def save_settings(new: NewSettings) -> ModelServer:
    """Store the settings; the key is replaced only when one is typed, or cleared on request."""
    row = settings()
    before = {name: getattr(row, name) for name in AUDITED}
    before["had_key"] = bool(row.api_key_encrypted)
    row.enabled = new.enabled
    row.base_url = new.base_url.strip().rstrip("/")
    row.model = new.model.strip()
    row.timeout_seconds = new.timeout_seconds
    if new.clear_key:
        row.api_key_encrypted = None
    elif new.new_key:
        row.api_key_encrypted = seal(new.new_key, KEY_PURPOSE)
    _audit_settings(before, row, new)
    db.session.add(row)
    db.session.flush()
    return row


def _audit_settings(before: dict[str, object], row: ModelServer, new: NewSettings) -> None:
    """The fields that changed, old and new; the key only as replaced or cleared, never itself."""
    detail: dict[str, object] = {
        name: [before[name], getattr(row, name)]
        for name in AUDITED
        if before[name] != getattr(row, name)
    }
    if new.clear_key and before["had_key"]:
        detail["api_key"] = "cleared"
    elif new.new_key and not new.clear_key:
        detail["api_key"] = "replaced"
    if detail:
        record_event(AuditAction.SETTINGS_CHANGED, target="model server", detail=detail)


@cache
def _openai() -> Any:
    """The OpenAI client library, imported on first use: it takes ~1.5 s to import, and only
    Auto QA's model rules and the connection test need it, not every process at start-up."""
    import openai

    return openai


def _no_account_headers() -> dict[str, Any]:
    # The library would otherwise add these from OPENAI_ORG_ID / OPENAI_PROJECT_ID if set.
    return {"OpenAI-Organization": _openai().omit, "OpenAI-Project": _openai().omit}


class ModelClient:
    """Sends prompt messages to the configured server and returns the answer's text.

    After a timeout or a connection failure it stops asking for the rest of its run, so a
    server that is down costs one timeout, not one per interaction.
    """

    def __init__(self, row: ModelServer) -> None:
        self.model, self.timeout = row.model, float(row.timeout_seconds)
        self.unreachable = False
        self.client = _openai().OpenAI(
            base_url=row.base_url,
            api_key=unseal(row.api_key_encrypted, KEY_PURPOSE) or NO_KEY,
            timeout=self.timeout,
            max_retries=0,
        )

    def __call__(self, messages: Sequence[object], max_tokens: int = MAX_TOKENS) -> str:
        if self.unreachable:
            raise ConnectionError("the model server did not answer earlier in this run")
        try:
            reply = self.client.chat.completions.create(
                model=self.model,
                messages=list(messages),  # type: ignore[arg-type]
                temperature=0,
                max_tokens=max_tokens,
                extra_headers=_no_account_headers(),  # type: ignore[arg-type]
            )
        except _openai().APIConnectionError:  # timeouts included
            logger.warning("The model server did not answer; model rules wait for the next run.")
            self.unreachable = True
            raise
        content = reply.choices[0].message.content if reply.choices else None
        if not isinstance(content, str):
            raise ValueError("the model server sent no text")
        return content


def model_client() -> ModelClient | None:
    """A client for scoring when the admin has switched the server on, else None (off)."""
    row = db.session.get(ModelServer, 1)
    if row is None or not row.enabled or not row.base_url or not row.model:
        return None
    return ModelClient(row)


def try_connection() -> tuple[bool, str]:
    """Send a tiny request to the stored server: (worked, what happened in plain words)."""
    row = settings()
    if not row.base_url or not row.model:
        return False, _("Save a base URL and a model name first.")
    try:
        ModelClient(row)(PING, max_tokens=5)
    except Exception as error:  # every failure becomes words; the key never appears in them
        return False, connection_problem(error, row)
    return True, _("The model server answered.")


def connection_problem(error: Exception, row: ModelServer) -> str:
    """What went wrong, in plain words, without the error's own text (it may echo the request)."""
    openai = _openai()
    if isinstance(error, openai.APITimeoutError):
        return _("The server did not answer within %(n)s seconds.", n=row.timeout_seconds)
    if isinstance(error, openai.APIConnectionError):
        return _("Could not connect to %(url)s.", url=row.base_url)
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return _("The server refused the API key.")
    if isinstance(error, openai.NotFoundError):
        return _("The server does not know this model or address (HTTP 404).")
    if isinstance(error, openai.APIStatusError):
        return _("The server answered with an error (HTTP %(status)s).", status=error.status_code)
    return _("The server's answer could not be read as a chat completion.")
