"""Template filters for scores and dates."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask import Flask

from .scoring import band_of

DASH = "—"


def format_score(score: Decimal | float | None) -> str:
    """A score as shown everywhere: two decimals, or a dash when there is none."""
    return DASH if score is None else f"{float(score):.2f}"


def band_name(score: Decimal | float | None) -> str:
    found = band_of(None if score is None else float(score))
    return found.name if found else DASH


def band_slug(score: Decimal | float | None) -> str:
    found = band_of(None if score is None else float(score))
    return found.slug if found else "none"


def format_datetime(value: datetime | None) -> str:
    """Dates in UTC, ISO-like, unambiguous in every locale."""
    return DASH if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


def format_date(value: datetime | None) -> str:
    return DASH if value is None else value.strftime("%Y-%m-%d")


def format_pct(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f} %"


def format_number(value: float | None, places: int = 1) -> str:
    return DASH if value is None else f"{value:.{places}f}"


def format_signed(value: float | None) -> str:
    """A change, always with its sign: +2.50, -1.00."""
    return DASH if value is None else f"{value:+.2f}"


def format_duration(seconds: float | None) -> str:
    """Seconds as m:ss or h:mm:ss; a dash when unknown."""
    if seconds is None:
        return DASH
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def init_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        score=format_score,
        band=band_name,
        band_slug=band_slug,
        datetime=format_datetime,
        date=format_date,
        pct=format_pct,
        num=format_number,
        signed=format_signed,
        duration=format_duration,
    )
