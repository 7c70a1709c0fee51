"""Result filters from the query string: period, channel, scorecard."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..moments import parse_day

PERIODS = ("week", "month", "custom")
CHANNELS = ("call", "chat", "email")
MAX_DAYS = 800


@dataclass(frozen=True)
class Filters:
    """A closed range of UTC days and the optional channel and scorecard."""

    period: str
    start: date
    end: date
    channel: str | None = None
    scorecard_id: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Filters:
        """The period of the same length just before this one."""
        if self.period == "month":
            end = self.start - timedelta(days=1)
            return replace(self, start=end.replace(day=1), end=end)
        return replace(
            self, start=self.start - timedelta(days=self.days), end=self.start - timedelta(days=1)
        )

    def query(self, **changes: Any) -> str:
        """This filter as a query string, for links that keep the view."""
        values = {
            "period": self.period,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "channel": self.channel or "",
            "scorecard": self.scorecard_id or "",
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def _date(raw: str | None) -> date | None:
    return parse_day(raw)


FILTER_NAMES = ("period", "from", "to", "channel", "scorecard")


def filter_args(args: MultiDict[str, str]) -> dict[str, str]:
    """The filters among request arguments, to pass on into url_for.

    Never pass request.args whole: url_for reads some names itself (_external, _method,
    the view's own arguments), so a query string could redirect off-site or break the URL.
    """
    return {name: args[name] for name in FILTER_NAMES if name in args}


def parse_filters(
    args: MultiDict[str, str], today: date | None = None
) -> tuple[Filters, list[str]]:
    """Filters from request arguments, with a message for each value that was not understood.

    The messages are in the request's language (English outside a request).
    """
    today = today or datetime.now(UTC).date()
    problems: list[str] = []
    period = args.get("period", "custom")
    if period not in PERIODS:
        problems.append(_("Unknown period; showing the last 4 weeks."))
        period = "custom"
    anchor = _date(args.get("from")) or today
    if period == "week":
        start = anchor - timedelta(days=anchor.weekday())
        end = start + timedelta(days=6)
    elif period == "month":
        start = anchor.replace(day=1)
        end = anchor.replace(day=calendar.monthrange(anchor.year, anchor.month)[1])
    else:
        start, end = _custom_range(args, today, problems)
    channel = args.get("channel") or None
    if channel is not None and channel not in CHANNELS:
        problems.append(_("Unknown channel; showing every channel."))
        channel = None
    scorecard = args.get("scorecard", type=int)
    return Filters(period, start, end, channel, scorecard), problems


def _custom_range(args: MultiDict[str, str], today: date, problems: list[str]) -> tuple[date, date]:
    end = _date(args.get("to")) or today
    start = _date(args.get("from")) or end - timedelta(days=27)
    if (args.get("from") and _date(args.get("from")) is None) or (
        args.get("to") and _date(args.get("to")) is None
    ):
        problems.append(_("Dates must look like 2026-03-31."))
    if start > end:
        problems.append(_("The start date was after the end date; they were swapped."))
        start, end = end, start
    if (end - start).days > MAX_DAYS:
        problems.append(_("A range can cover at most %(num)d days.", num=MAX_DAYS))
        start = end - timedelta(days=MAX_DAYS)
    return start, end
