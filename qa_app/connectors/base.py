"""What every helpdesk connector offers, and the HTTP plumbing they share.

A connector reads pages from a cursor and turns a page into the document its vendor module in
``interactions/helpdesk`` reads; the pull job does the rest (validation, storing, the cursor).
Requests go only to the base URL the admin entered, with timeouts; a 429 answer is waited out
as its Retry-After header says, a few times at most.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from flask_babel import gettext as _

from ..errors import UserError
from ..interactions.models import FileFormat

logger = logging.getLogger(__name__)
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
MAX_WAITS = 5  # 429 answers waited out in a row before the pull gives up
MAX_WAIT_SECONDS = 300


class ConnectorError(UserError):
    """The helpdesk could not be read; the sentence says why, in the reader's language."""


@dataclass(frozen=True)
class Page:
    """One page of changed tickets, with the cursor to ask for the next one."""

    document: Mapping[str, Any]
    cursor: str | None
    last: bool  # nothing more to read now


class Connector(Protocol):
    """A helpdesk the app can pull from (Zendesk today; Freshdesk and Intercom can follow)."""

    file_format: FileFormat  # also names the helpdesk: the external ids' prefix

    def pages(self, cursor: str | None) -> Iterator[Page]:
        """The pages changed since the cursor (None: since the connection's start time)."""
        ...

    def document(self, page: Page) -> Mapping[str, Any]:
        """The page as its vendor module in ``interactions/helpdesk`` reads it."""
        ...

    def close(self) -> None:
        """Let go of the connection."""
        ...


def retry_after(response: httpx.Response) -> float:
    """The seconds a 429 answer asks to wait (Retry-After in seconds), within sane bounds."""
    try:
        seconds = float(response.headers.get("Retry-After", "60"))
    except ValueError:
        seconds = 60.0
    return min(max(seconds, 0.0), MAX_WAIT_SECONDS)


class HttpSource:
    """GET requests to one base URL with basic authentication; JSON answers."""

    def __init__(
        self, base_url: str, auth: tuple[str, str], sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.base_url, self.sleep = base_url, sleep
        self.client = httpx.Client(
            base_url=base_url, auth=httpx.BasicAuth(*auth), timeout=TIMEOUT, follow_redirects=False
        )

    def get_json(self, path: str, params: Mapping[str, Any]) -> Mapping[str, Any]:
        for _attempt in range(MAX_WAITS + 1):
            response = self._send(path, params)
            if response.status_code != 429:
                return self._json(response)
            seconds = retry_after(response)
            logger.info("The helpdesk asked to wait %s s (HTTP 429)", seconds)
            self.sleep(seconds)
        raise ConnectorError(_("The helpdesk kept refusing requests as too many (HTTP 429)."))

    def _send(self, path: str, params: Mapping[str, Any]) -> httpx.Response:
        try:
            return self.client.get(path, params=dict(params))
        except httpx.TimeoutException:
            raise ConnectorError(_("The helpdesk did not answer in time.")) from None
        except httpx.HTTPError:
            raise ConnectorError(_("Could not connect to %(url)s.", url=self.base_url)) from None

    def _json(self, response: httpx.Response) -> Mapping[str, Any]:
        if response.status_code in (401, 403):
            raise ConnectorError(
                _(
                    "The helpdesk refused the email and API token (HTTP %(status)s).",
                    status=response.status_code,
                )
            )
        if response.status_code != 200:
            raise ConnectorError(
                _(
                    "The server answered with an error (HTTP %(status)s).",
                    status=response.status_code,
                )
            )
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, Mapping):
            raise ConnectorError(_("The helpdesk's answer could not be read."))
        return data

    def close(self) -> None:
        self.client.close()
