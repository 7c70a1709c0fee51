"""Hypothesis strategies for hostile request values: what a careless or malicious client sends."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import cache

import yaml
from hypothesis import strategies as st

from qa_app.scorecards.schema import SHIPPED_DIR, dump_scorecard_yaml, load_shipped_template

HUGE_INTEGERS = ("2147483648", "9223372036854775808", "-9223372036854775809", "1" + "0" * 40)
WRONG_TYPES = ("abc", "1.5", "1e308", "NaN", "-inf", "0x10", " 7 ", "[]", "{}", "true", "None")
UNKNOWN_CHOICES = ("unknown", "CALL", "Admin", "archived", "__class__", "-1", "0")
CONTROL = ("\x00", "a\x00b", "\x1b[31mred", "line\rbreak", "\x7f\x08", "\ufeff", "\u202e")
CALENDAR = (
    "0001-01-01",
    "9999-12-31",
    "0000-01-01",
    "10000-01-01",
    "2026-02-30",
    "2026-13-01",
    "-2026-01-01",
    "0001-01-01T00:00:00+23:59",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-23:59",
    "9999-12-31T23:59:59-14:00",
    "2026-03-01T25:00:00",
    "2026-03-01T10:00:00+24:00",
)

_offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
_extreme_moments = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)
).filter(lambda moment: moment.year < 3 or moment.year > 9997)


def _moment_text(moment: datetime, offset: timezone) -> str:
    return moment.replace(tzinfo=offset).isoformat()


integers = st.one_of(
    st.sampled_from(HUGE_INTEGERS),
    st.integers(min_value=2**31, max_value=2**80).map(str),
    st.integers(max_value=-1).map(str),
)
controls = st.one_of(
    st.sampled_from(CONTROL),
    st.text(st.characters(categories=["Cc"]), min_size=1, max_size=8),
    st.text(st.characters(categories=["Cc", "L"]), min_size=2, max_size=20),
)
long_texts = st.one_of(
    st.integers(min_value=256, max_value=70_000).map(lambda n: "x" * n),
    st.integers(min_value=100, max_value=5_000).map(lambda n: "é\x00" * n),
)
calendar = st.one_of(
    st.sampled_from(CALENDAR),
    st.dates().map(lambda day: day.isoformat()),
    st.builds(_moment_text, _extreme_moments, _offsets),
)
choices = st.sampled_from(UNKNOWN_CHOICES + WRONG_TYPES)
anything = st.text(max_size=40)

hostile_text = st.one_of(integers, controls, long_texts, calendar, choices, anything)
"""One hostile value for a query argument or form field."""

path_integers = st.one_of(
    st.sampled_from(["2147483648", "9223372036854775808", "18446744073709551616", "-1", "0"]),
    st.integers(min_value=2**31, max_value=2**90).map(str),
)
path_texts = st.sampled_from(["..%2F..%2Fconfig.py", "%00", "a%00b", "x" * 2000, "%C0%AE"])


# Where a hostile text goes in an otherwise valid scorecard file (keys into its YAML mapping).
SCORECARD_TEXTS: tuple[tuple[str | int, ...], ...] = (
    ("slug",),
    ("name",),
    ("language",),
    ("description",),
    ("scale", 3),
    ("sections", 0, "name"),
    ("sections", 0, "criteria", 0, "name"),
    ("sections", 0, "criteria", 0, "description"),
    ("sections", 0, "criteria", 0, "anchors", 5),
    ("sections", 0, "criteria", 0, "coaching_tips"),
)


@cache
def _scorecard() -> str:
    return dump_scorecard_yaml(load_shipped_template(SHIPPED_DIR / "chat.yaml"))


def scorecard_file(where: tuple[str | int, ...], value: str) -> bytes:
    """A shipped scorecard, valid but for one text: the schema must refuse it or store it."""
    data = yaml.safe_load(_scorecard())
    *path, last = where
    target = data
    for key in path:
        target = target[key]
    target[last] = value
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8", errors="replace")


# A valid scorecard but for a NUL (PostgreSQL cannot store it) or a name longer than its column.
EXPLICIT_FILES = (
    scorecard_file(("name",), "Live\x00chat"),
    scorecard_file(("sections", 0, "criteria", 0, "name"), "n" * 121),
)


def upload_bytes(columns: tuple[str, ...]) -> st.SearchStrategy[bytes]:
    """A file for an upload field: CSV, JSON Lines or YAML with hostile cells, or raw bytes."""
    cells = st.lists(hostile_text.filter(lambda v: len(v) < 2000), min_size=1, max_size=4)

    def csv_file(values: list[str]) -> bytes:
        row = [values[i % len(values)].replace('"', "'") for i in range(len(columns))]
        return (",".join(columns) + "\n" + ",".join(f'"{cell}"' for cell in row)).encode()

    def yaml_file(values: list[str]) -> bytes:
        lines = [
            f"{key}: {value!r}"
            for key, value in zip(("key", "name", "version"), values, strict=False)
        ]
        return ("\n".join(lines) + "\nsections: []\n").encode(errors="replace")

    return st.one_of(
        cells.map(csv_file),
        cells.map(yaml_file),
        st.builds(scorecard_file, st.sampled_from(SCORECARD_TEXTS), hostile_text),
        st.binary(max_size=200),
        st.just(b"\xff\xfe\x00\x00"),
    )
