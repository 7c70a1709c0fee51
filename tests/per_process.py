"""What the suite builds once per test process instead of once for each test's app.

The suite makes a new app for nearly every test (about three thousand of them), and three costs
of a new app are the same every time:

- Werkzeug compiles two small Python functions per URL rule when an app registers it, to build
  that rule's URLs: about 75 ms of each `create_app`. The function depends only on the rule's
  parts and defaults and takes the rule itself as its first argument (it is bound to each rule
  afterwards), so rules with the same parts can share one. The URLs built are the same.
- SQLAlchemy keeps the SQL it compiled per engine, so a new engine per test compiled every
  statement of every test again. The tests' shared schema databases (one per backend, see
  conftest) get one engine per process instead, reused by each app with the same engine
  settings; `_wipe` still closes its connections after every test.
- Jinja compiles each template to Python the first time an app's environment loads it: about
  7 ms a template, and a page uses several (the page, the base, the form macros). A process-wide
  bytecode cache (Jinja's own hook for this) keeps the compiled code for every app, keyed by the
  template's name, a checksum of its source (Jinja's) and what of the environment shapes the
  code (its extensions and options), so a changed template or environment compiles anew.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2
import sqlalchemy as sa
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from werkzeug.routing import Rule

_BUILDERS: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}


class SharedBuilderRule(Rule):
    """A rule that takes its URL builders from a process-wide cache, keyed by what they are
    made of; a default of a path variable (converted at compile time) is never shared."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        defaults = self.defaults or {}
        trace = tuple(self._trace)
        if any(is_dynamic and data in defaults for is_dynamic, data in trace):
            return super()._compile_builder(append_unknown)
        key = (append_unknown, trace, tuple(sorted((k, repr(v)) for k, v in defaults.items())))
        builder = _BUILDERS.get(key)
        if builder is None:
            builder = _BUILDERS[key] = super()._compile_builder(append_unknown)
        return builder


# The URLs whose engines are shared (the schema databases), and the engines made for them.
_SHARED_URLS: set[str] = set()
_ENGINES: dict[tuple[Any, ...], sa.Engine] = {}
# What an app sets up on its engine from its configuration (qa_app.database.init_database).
_ENGINE_SETTINGS = ("SQLITE_BUSY_TIMEOUT_MS", "STATEMENT_TIMEOUT_MS")


def share_engine_of(url: str) -> None:
    """Apps made for this database URL from now on share one engine per engine settings."""
    _SHARED_URLS.add(url)


def _make_engine(
    make: Callable[..., sa.Engine],
) -> Callable[[SQLAlchemy, str | None, dict[str, Any], Flask], sa.Engine]:
    def shared(
        extension: SQLAlchemy, bind_key: str | None, options: dict[str, Any], app: Flask
    ) -> sa.Engine:
        url = sa.make_url(options["url"]).render_as_string(hide_password=False)
        if url not in _SHARED_URLS:
            return make(extension, bind_key, options, app)
        settings = tuple(app.config.get(name) for name in _ENGINE_SETTINGS)
        key = (bind_key, url, repr(sorted(options.items())), settings)
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = make(extension, bind_key, options, app)
        return engine

    return shared


class SharedBytecode(jinja2.BytecodeCache):
    """The compiled templates of every app's Jinja environment in this process, in memory."""

    def __init__(self) -> None:
        self.codes: dict[tuple[str, tuple[object, ...]], bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.codes.get((bucket.key, shape(bucket.environment)))
        if code is not None:  # Jinja itself drops it when the source's checksum differs
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.codes[(bucket.key, shape(bucket.environment))] = bucket.bytecode_to_string()


def shape(environment: jinja2.Environment) -> tuple[object, ...]:
    """What of an environment the code compiled from a template depends on."""
    autoescape = environment.autoescape
    return (
        tuple(sorted(environment.extensions)),
        tuple(sorted((k, repr(v)) for k, v in environment.policies.items() if k[:4] == "ext.")),
        getattr(autoescape, "__func__", autoescape),
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.finalize,
        environment.block_start_string,
        environment.variable_start_string,
        environment.comment_start_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
    )


def install() -> None:
    """Every app made from now on in this process registers `SharedBuilderRule`s, shares the
    engines of the URLs given to `share_engine_of`, and its templates' compiled code."""
    Flask.url_rule_class = SharedBuilderRule
    Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": SharedBytecode()}
    SQLAlchemy._make_engine = _make_engine(SQLAlchemy._make_engine)  # type: ignore[method-assign]
