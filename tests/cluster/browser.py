"""A tiny HTTP client for the cluster test: one cookie jar per browser, CSRF from the form page."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from http.cookiejar import CookieJar
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
TIMEOUT = 60


class _NoRedirect(HTTPRedirectHandler):
    """Redirects are answers the test looks at, not followed."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass(frozen=True)
class Reply:
    status: int
    location: str
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    """One person's browser on one server: its own session cookie."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), _NoRedirect())

    def send(self, method: str, path: str, body: bytes | None = None, **headers: str) -> Reply:
        # Only the test's own servers, on http://127.0.0.1.
        request = Request(self.base + path, data=body, method=method, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return Reply(response.status, response.headers.get("Location", ""), response.read())
        except HTTPError as error:
            with error:
                return Reply(error.code, error.headers.get("Location", ""), error.read())

    def get(self, path: str) -> Reply:
        return self.send("GET", path)

    def token(self, path: str = "/login") -> str:
        reply = self.get(path)
        match = TOKEN.search(reply.text)
        assert match is not None, f"no CSRF token on {path} ({reply.status})"
        return match.group(1)

    def post(self, path: str, fields: dict[str, str], token: str | None = None) -> Reply:
        data = {"csrf_token": token or self.token(path), **fields}
        body = urlencode(data).encode()
        return self.send(
            "POST", path, body, **{"Content-Type": "application/x-www-form-urlencoded"}
        )

    def upload(self, path: str, name: str, content: bytes, token: str) -> Reply:
        file = FileStorage(io.BytesIO(content), filename=name, content_type="text/csv")
        boundary, body = encode_multipart({"csrf_token": token, "file": file})
        content_type = f"multipart/form-data; boundary={boundary}"
        return self.send("POST", path, body, **{"Content-Type": content_type})

    def sign_in(self, email: str, password: str) -> Reply:
        return self.post("/login", {"email": email, "password": password})
