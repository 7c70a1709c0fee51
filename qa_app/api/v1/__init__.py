"""Version 1 of the JSON API: flask-smorest blueprints and their OpenAPI 3 document.

flask-smorest builds the document from the routes and their marshmallow schemas. Its own error
handler would answer for the whole app, so it is left out: the API blueprints' errors are
problem+json (problems.py), the pages keep theirs. The document is built when it is first read,
not when the app starts: building it took about 30 ms of every `create_app` (each CLI command,
each worker, each test's app) for a page few requests ask for.
"""

from __future__ import annotations

import http
import threading
from importlib import import_module
from typing import Any

from flask import Flask, current_app
from flask_smorest import Api, Blueprint
from flask_smorest.spec import prepare_response

from ...errors import ERROR_RENDERERS
from ...extensions import csrf, limiter
from . import problems
from .routing import PREFIX

# The resource modules, each with one blueprint: the document lists them in this order.
RESOURCES = ("interactions", "scorecards", "evaluations", "results", "people")


class ProblemApi(Api):
    """flask-smorest whose documented errors are problem+json and whose handlers stay local."""

    ERROR_SCHEMA = problems.ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def __init__(self, app: Flask) -> None:
        self._documented = threading.Lock()
        self._undocumented: list[tuple[Blueprint, str, Any]] = []
        self._responses_documented = False
        super().__init__(app)

    def _register_error_handlers(self) -> None:
        """None for the app: each API blueprint installs its own."""

    def _register_responses(self) -> None:
        """Left to `document` (the problem responses of every error status)."""

    def register_blueprint(self, blp: Blueprint, *, parameters: Any = None, **options: Any) -> None:
        """Register the blueprint's routes now and its pages of the document when it is read
        (what `Api.register_blueprint` does, in two steps)."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def document(self) -> dict[str, Any]:
        """The OpenAPI document, completed on the first call."""
        with self._documented:
            if not self._responses_documented:
                for status in http.HTTPStatus:
                    if status >= 400:
                        response = {"description": status.phrase, "schema": self.ERROR_SCHEMA}
                        prepare_response(response, self.spec, problems.MEDIA_TYPE)
                        self.spec.components.response(status.name, response, lazy=True)
                self._responses_documented = True
            while self._undocumented:
                blp, name, parameters = self._undocumented.pop(0)
                blp.register_views_in_doc(
                    self, self._app, self.spec, name=name, parameters=parameters
                )
                self.spec.tag({"name": name, "description": blp.description})
            document: dict[str, Any] = self.spec.to_dict()
        return document


def _settings(app: Flask) -> None:
    # Flask-Limiter's counters: in Redis when the app has one, so every process and machine
    # counts together; else in this process's memory (each worker counts alone: docs/api.md).
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", app.config.get("JOBS_QUEUE_NAME", "qa"))
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    app.config.setdefault("API_TITLE", "QA Scorecard")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "servers": [{"url": "/"}],
            "security": [{"token": []}],
            "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
        },
    )


def init_api(app: Flask) -> Api:
    """Register the API blueprints; tokens, not cookies, sign their requests in."""
    _settings(app)
    limiter.init_app(app)
    api = ProblemApi(app)
    for name in RESOURCES:
        bp = import_module(f"{__name__}.{name}").bp
        csrf.exempt(bp)  # a bearer token, never a cookie, signs these requests in
        api.register_blueprint(bp, url_prefix=PREFIX)
    ERROR_RENDERERS[PREFIX + "/"] = problems.from_http  # unknown addresses and methods too
    return api


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document of the app's API."""
    api: ProblemApi = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    return api.document()
