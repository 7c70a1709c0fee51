"""Template filters: scores, numbers and dates in the request's language (Babel)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache, wraps
from typing import Any

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.dates import get_datetime_format
from babel.numbers import NumberPattern, parse_pattern
from flask import Flask
from jinja2 import pass_context
from jinja2.runtime import Context

from ..i18n import current_locale
from ..scoring import band_of

DASH = "—"


# A result page formats a few hundred numbers and dates: each pattern is parsed once per process
# (Babel's format_decimal parses it on every call), and a day's text is kept per language.
@cache
def _number_pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


def format_decimal(value: Decimal | float, pattern: str, locale: Locale) -> str:
    """Babel's format_decimal, each text made once per process: the same few hundred values
    (scores, percentages, counts) come back on every result page."""
    # Babel formats Decimal(str(value)) for a float or an int, so the text decides the output.
    return _formatted(pattern, locale, str(value))


@lru_cache(maxsize=8192)
def _formatted(pattern: str, locale: Locale, value: str) -> str:
    return _number_pattern(pattern).apply(Decimal(value), locale)


@lru_cache(maxsize=4096)
def _date_text(day: date, locale: Locale) -> str:
    return babel_date(day, "medium", locale=locale)


def format_score(score: Decimal | float | None) -> str:
    """A score as shown everywhere: two decimals in the reader's notation, or a dash."""
    return DASH if score is None else format_decimal(score, "#,##0.00", locale=current_locale())


def band_slug(score: Decimal | float | None) -> str:
    found = band_of(None if score is None else float(score))
    return found.slug if found else "none"


@cache
def _datetime_pattern(locale: Locale) -> str:
    """The locale's way of joining a date and a time ("{1}, {0}" in English), quotes removed."""
    return str(get_datetime_format("medium", locale)).replace("'", "")


def format_datetime(value: datetime | None) -> str:
    """A moment in UTC (what the database keeps), in the reader's date and time notation."""
    if value is None:
        return DASH
    locale = current_locale()
    day = babel_date(value, "medium", locale=locale)
    clock = babel_time(value, "short", tzinfo=None, locale=locale)
    return _datetime_pattern(locale).format(clock, day) + " UTC"


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return DASH
    day = value.date() if isinstance(value, datetime) else value  # as Babel does with a moment
    return _date_text(day, current_locale())


@cache
def _percent_pattern(locale: Locale) -> str:
    """The locale's percent pattern with one decimal place: "#,##0.0%", "#,##0.0 %"."""
    pattern = locale.percent_formats[None].pattern.split(";")[0]
    return re.sub(r"0(?=[^0]*$)", "0.0", pattern, count=1)


def format_pct(value: float | None) -> str:
    """A percentage given as 0-100, with one decimal."""
    if value is None:
        return DASH
    locale = current_locale()
    return format_decimal(value / 100, _percent_pattern(locale), locale=locale)


def format_number(value: float | None, places: int = 1) -> str:
    if value is None:
        return DASH
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, pattern, locale=current_locale())


def format_signed(value: float | None) -> str:
    """A change, always with its sign: +2.50, -1.00 (in the reader's notation)."""
    if value is None:
        return DASH
    return format_decimal(value, "+#,##0.00;-#,##0.00", locale=current_locale())


def format_duration(seconds: float | None) -> str:
    """Seconds as m:ss or h:mm:ss; a dash when unknown."""
    if seconds is None:
        return DASH
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def at_render_time(function: Callable[..., str]) -> Callable[..., str]:
    """`function` as a filter Jinja calls when it renders, never when it compiles a template.

    Jinja works out a filter of constants (``0.8|num(3)``) while compiling, unless the filter
    takes the render's context; a filter that writes in the reader's language would then give
    every later reader the first one's notation (a template is compiled once per process).
    """

    @pass_context
    @wraps(function)
    def rendered(_context: Context, *args: Any, **kwargs: Any) -> str:
        return function(*args, **kwargs)

    return rendered


def init_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        score=at_render_time(format_score),
        band_slug=band_slug,
        datetime=at_render_time(format_datetime),
        date=at_render_time(format_date),
        pct=at_render_time(format_pct),
        num=at_render_time(format_number),
        signed=at_render_time(format_signed),
        duration=format_duration,
    )
