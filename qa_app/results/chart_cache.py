"""Drawn charts kept by what they show: a chart whose data did not change is read, not drawn.

A chart's key is a SHA-256 of everything that decides its bytes: its kind, its parts (the points,
the titles in the reader's language, and what its links are made of: filters, scope, the reader's
kind of list), the reader's locale and DRAWING_VERSION. The parts are cheap to gather; the costly
work (the links' texts and URLs, matplotlib, page_svg) runs only when the key is new. Two readers
who see the same picture share one entry; another score, filter or language is another key, so
nothing is ever invalidated by hand.
Entries live in Flask-Caching's backend: Redis when REDIS_URL is set (shared by several servers),
else files under instance/ (shared by one server's processes). A failing backend is logged and the
chart drawn as if there were no cache (docs/performance.md).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, Response, current_app, request
from markupsafe import Markup

from ..extensions import cache
from ..i18n import current_locale
from .charts import Link, page_svg
from .marks import Stamps

# Bump when a drawing (or page_svg) gives other bytes for the same data: old entries go unused.
DRAWING_VERSION = 1
_VERSION = f"{DRAWING_VERSION}/matplotlib-{version('matplotlib')}"
# Bump when a kept page part gives other HTML for the same data outside the templates (a filter
# of numbers or dates, a view's links): old entries go unused.
PART_VERSION = 1
REDIS_TIMEOUT_SECONDS = 0.5  # a Redis that does not answer costs a page this, then it draws
REST_SECONDS = 30  # after a failure the cache is left alone this long: pages do not wait on it
_RESTING = "chart_cache.resting_until"  # in app.extensions: each app rests on its own
logger = logging.getLogger(__name__)
T = TypeVar("T")


Drawn = tuple[bytes, Sequence[Link]]  # the SVG and the links page_svg names


@dataclass(frozen=True)
class Chart:
    """A chart to show: its kind (one per drawing), what decides its picture, how to draw it."""

    kind: str
    parts: Any
    draw: Callable[[], Drawn]

    @property
    def key(self) -> str:
        return chart_key(self.kind, self.parts)


def drawn_by(kind: str, function: Callable[..., bytes], *args: Any) -> Chart:
    """A chart without links whose parts are its drawing function's arguments."""
    return Chart(kind, args, lambda: (function(*args), ()))


@functools.cache
def _catalogues() -> str:
    """A digest of the compiled translations: a release that rewords a chart's text, or the
    text of its links, draws it anew instead of showing the old words from the cache."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.parent.glob("translations/*/LC_MESSAGES/*.mo")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def _templates() -> str:
    """A digest of the templates: a release that changes one renders the kept page parts anew."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.parent.glob("templates/**/*.html")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def chart_key(kind: str, parts: Any) -> str:
    """The SHA-256 (hex) of a chart's kind, its parts, the reader's locale and the version."""
    plain = [_VERSION, _catalogues(), kind, str(current_locale()), _plain(parts)]
    text = json.dumps(plain, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    """The value as JSON holds it, each type tagged so that no two values read the same."""
    if value is None or isinstance(value, str | int | float):  # bool too: JSON's true, not 1
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {"dict": [[_plain(key), _plain(item)] for key, item in value.items()]}
    if isinstance(value, date):  # and datetime
        return {"date": value.isoformat()}
    if is_dataclass(value) and not isinstance(value, type):  # a Link, the filters
        return {type(value).__name__: [_plain(getattr(value, f.name)) for f in fields(value)]}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    raise TypeError(f"a chart key cannot hold a {type(value).__name__}")


def cached(key: str, draw: Callable[[], T]) -> T:
    """The entry under `key`, else `draw()` kept there. A broken backend only costs the drawing."""
    found = read(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    made = draw()
    keep(key, made)
    return made


def read(key: str) -> Any:
    """The entry under `key`, or None (also when the backend fails)."""
    return _attempt(lambda: cache.get(key), "reading")


def keep(key: str, value: Any, timeout: int | None = None) -> None:
    """Keep `value` under `key` (for `timeout` seconds, else the cache's default)."""
    _attempt(lambda: cache.set(key, value, timeout=timeout), "writing")


def _attempt(action: Callable[[], Any], what: str) -> Any:
    """The backend's answer; None after a failure (Redis down, disk full) and while resting."""
    extensions = current_app.extensions
    if time.monotonic() < extensions.get(_RESTING, 0.0):
        return None
    try:
        return action()
    except Exception as error:  # any backend's own errors: redis, OSError, pickle
        logger.warning("chart cache: %s failed (%r); drawing for %d s", what, error, REST_SECONDS)
        extensions[_RESTING] = time.monotonic() + REST_SECONDS
        return None


def inline(chart: Chart, prefix: str, label: str) -> Markup:
    """The chart as markup inside a page (page_svg), drawn and rewritten only on a new key."""
    key = chart_key(f"{chart.kind} inline", [chart.key, prefix, label])

    def draw() -> str:
        data, links = chart.draw()
        return str(page_svg(data, prefix, label, links))

    return Markup(cached(key, draw))  # noqa: S704  (page_svg's output, escaped by ElementTree)


def kept_part(kind: str, stamps: Stamps, parts: Any, render: Callable[[], str]) -> Markup:
    """A part of a page rendered once and read back while nothing it shows changed: its key
    holds the change marks' stamps it read (marks.py), what else decides it (`parts`: the
    filters, the reader's role), the reader's locale and the templates. Without stamps (None)
    it is rendered every time."""
    if stamps is None:
        return Markup(render())  # noqa: S704  (a template's output, escaped by Jinja)
    return Markup(cached(part_key(kind, stamps, parts), render))  # noqa: S704  (Jinja's output)


def part_key(kind: str, stamps: Stamps, parts: Any) -> str:
    """The key a page part is kept under (kept_part), in the reader's locale."""
    return chart_key(f"page {kind}", [PART_VERSION, _templates(), stamps, parts])


def svg_response(chart: Chart) -> Response:
    """The chart as an SVG of its own; its key is the ETag, so a browser holding it gets a 304.

    `private, no-cache`: the reader's browser keeps it and asks again each time; no shared cache
    stores it (scores are private). Call it after the access checks, which a 304 must pass too.
    """
    return _conditional_svg(chart.key, lambda: chart.draw()[0])


def kept_svg(kind: str, stamps: Stamps, parts: Any, chart: Callable[[], Chart]) -> Response:
    """As svg_response, keyed by the change marks' stamps (and `parts`, as kept_part) instead of
    the chart's data: while they stay, the data is not read again either, and the ETag is that
    key. Without stamps (None) it is svg_response of `chart()`."""
    if stamps is None:
        return svg_response(chart())
    key = chart_key(f"svg {kind}", [PART_VERSION, stamps, parts])

    def drawn() -> bytes:
        found = chart()  # the data is read here, on a miss only
        return cached(found.key, lambda: found.draw()[0])  # the same picture: not drawn again

    return _conditional_svg(key, drawn)


def _conditional_svg(key: str, draw: Callable[[], bytes]) -> Response:
    response = Response(mimetype="image/svg+xml")
    response.set_etag(key)
    response.cache_control.private = True
    response.cache_control.no_cache = True
    if not request.if_none_match.contains_weak(key):
        response.set_data(cached(key, draw))
    response.make_conditional(request)  # a 304 when the browser holds this very chart
    return response


def init_chart_cache(app: Flask) -> None:
    """Redis when REDIS_URL is set, else files in CACHE_DIR; no cache if neither can be used."""
    config = app.config
    if not config.get("CACHE_TYPE") and config.get("REDIS_URL"):
        config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=config["REDIS_URL"])
    elif not config.get("CACHE_TYPE"):
        config["CACHE_TYPE"] = "FileSystemCache"
    if config["CACHE_TYPE"] == "RedisCache":
        config.setdefault("CACHE_OPTIONS", _redis_options())
    # Keys of their own on a shared Redis: clearing the charts leaves the job queue alone.
    config.setdefault("CACHE_KEY_PREFIX", f"{config.get('JOBS_QUEUE_NAME', 'qa')}:charts:")
    try:
        cache.init_app(app)
    except OSError:  # CACHE_DIR cannot be made: every chart is drawn, the app still starts
        logger.warning("chart cache: %s unusable, charts are not kept", config.get("CACHE_DIR"))
        cache.init_app(app, {"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True})


def _redis_options() -> dict[str, Any]:
    """Short timeouts and no retries: a Redis that is down must not hold a page up."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {
        "socket_timeout": REDIS_TIMEOUT_SECONDS,
        "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
        "retry": Retry(NoBackoff(), 0),
    }
