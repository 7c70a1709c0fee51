"""Reading an import file as a stream of rows: CSV or JSON Lines, told apart by the content.

Nothing here holds more than one row at a time, so memory does not grow with the file. Problems
are told in the reader's language; column names and the file's keys stay as the file has them.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from flask_babel import gettext as _

from ..errors import UserError
from .fields import MAX_TEXT, count, longer_than
from .models import FileFormat
from .validation import COLUMNS, REQUIRED, Problem

MAX_LINE = 4 * MAX_TEXT  # characters in one physical line
# Process-wide, and the same for every caller: a field over the limit is reported as a row error.
csv.field_size_limit(MAX_TEXT)

_EOL = ("\n", "\r")


class ImportFileError(UserError):
    """Problems with the whole file: nothing in it can be imported."""

    def __init__(self, *messages: str) -> None:
        super().__init__(*messages)
        self.messages = list(messages)


def _not_utf8(row: int) -> ImportFileError:
    return ImportFileError(
        _(
            "The file is not UTF-8 text: a byte at row %(row)d cannot be read. "
            'Save it as UTF-8 (in Excel: "CSV UTF-8") and import it again.',
            row=row,
        )
    )


@dataclass(slots=True)  # not frozen: a frozen one costs a microsecond more per row to make
class Record:
    """One row as read: its values, or the problems that kept it from being read."""

    row: int  # as the user counts: CSV rows with the header as row 1, or JSON Lines line numbers
    values: Mapping[str, Any] | None
    problems: tuple[Problem, ...] = ()
    size: int = 0  # characters, to keep a batch of rows small in memory


def _too_long(line: str) -> bool:
    return len(line) >= MAX_LINE and not line.endswith(_EOL)


def read_records(stream: IO[bytes]) -> tuple[FileFormat, Iterator[Record]]:
    """Sniff the format (a first `{` means JSON Lines, else CSV) and return its rows, lazily.

    The stream stays the caller's: it is left open, also when the file is refused.
    """
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        file_format, records = _sniff(text)
    except BaseException:
        text.detach()
        raise
    return file_format, _handing_back(text, records)


def _handing_back(text: io.TextIOWrapper, records: Iterator[Record]) -> Iterator[Record]:
    try:
        yield from records
    finally:
        text.detach()


def _sniff(text: io.TextIOWrapper) -> tuple[FileFormat, Iterator[Record]]:
    blank_lines = 0
    try:
        while (first := text.readline(MAX_LINE)) and not first.strip():
            blank_lines += 1
    except UnicodeDecodeError:
        raise _not_utf8(blank_lines + 1) from None
    if not first:
        raise ImportFileError(_("The file is empty."))
    head = first.lstrip()[0]
    if head == "{":
        return FileFormat.JSONL, _jsonl_records(text, first, blank_lines + 1)
    if head == "[":
        raise ImportFileError(
            _(
                "The file is one JSON array. "
                "Use JSON Lines instead: one interaction object on each line."
            )
        )
    return FileFormat.CSV, _csv_records(text, first, blank_lines + 1)


# CSV


class _LineTooLong(Exception):
    pass


def _csv_lines(text: io.TextIOWrapper, first: str) -> Iterator[str]:
    line, read = first, text.readline
    while line:
        # _too_long, written out: this runs for every line of the file
        if len(line) >= MAX_LINE and not line.endswith(_EOL):
            raise _LineTooLong
        yield line
        line = read(MAX_LINE)


def _delimiter(header_line: str) -> str:
    """Comma, or the semicolon or tab that spreadsheets in many locales write instead."""
    return max((",", ";", "\t"), key=header_line.count)


def _header_columns(cells: list[str]) -> list[str]:
    """The column names; unknown, duplicated or missing required columns stop the import."""
    names = [cell.strip().lower() for cell in cells]
    messages = []
    unnamed = [str(n) for n, name in enumerate(names, 1) if not name]
    if unnamed:
        numbers = ", ".join(unnamed)
        messages.append(_("Columns without a name in the header: %(numbers)s.", numbers=numbers))
    unknown = [name for name in dict.fromkeys(names) if name and name not in COLUMNS]
    if unknown:
        messages.append(_("Unknown columns: %(columns)s.", columns=", ".join(unknown)))
    twice = [name for name, times in Counter(names).items() if name and times > 1]
    if twice:
        columns = ", ".join(twice)
        messages.append(_("Columns that appear more than once: %(columns)s.", columns=columns))
    missing = [column for column in COLUMNS if column in REQUIRED and column not in names]
    if missing:
        columns = ", ".join(missing)
        messages.append(
            _("Required columns missing from the header: %(columns)s.", columns=columns)
        )
    if messages:
        every = _("The columns are: %(columns)s.", columns=", ".join(COLUMNS))
        raise ImportFileError(*messages, every)
    return names


def _csv_reason(error: Exception) -> str:
    """Why reading stopped, as one sentence: the rest of the file is never read."""
    text = str(error)
    if isinstance(error, _LineTooLong) or "field limit" in text:
        return _(
            "a value is longer than %(count)s characters; the rest of the file was not read",
            count=count(MAX_TEXT),
        )
    if "unexpected end of data" in text:
        return _(
            'a quoted value is never closed (a " is missing); the rest of the file was not read'
        )
    if "expected after" in text:
        return _(
            'a " inside a quoted value must be doubled (""); the rest of the file was not read'
        )
    return _("cannot be read as CSV (%(error)s); the rest of the file was not read", error=text)


def _csv_records(text: io.TextIOWrapper, first: str, header_row: int) -> Iterator[Record]:
    """Check the header now; the rows follow lazily."""
    reader = csv.reader(_csv_lines(text, first), delimiter=_delimiter(first), strict=True)
    try:
        columns = _header_columns(next(reader))
    except (csv.Error, _LineTooLong) as exc:
        message = _("The header row cannot be read: %(reason)s.", reason=_csv_reason(exc))
        raise ImportFileError(message) from None
    except UnicodeDecodeError:
        raise _not_utf8(header_row) from None
    return _csv_rows(reader, columns, header_row)


def _csv_rows(reader: Iterator[list[str]], columns: list[str], header_row: int) -> Iterator[Record]:
    width, row = len(columns), header_row
    while True:
        row += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (csv.Error, _LineTooLong) as exc:
            yield Record(row, None, ((None, _csv_reason(exc)),))
            return
        except UnicodeDecodeError:
            raise _not_utf8(row) from None
        if not any(cells):
            continue  # an empty line, or a spreadsheet's empty row
        if len(cells) != width:
            reason = _(
                "has %(values)d values; the header has %(columns)d columns",
                values=len(cells),
                columns=width,
            )
            yield Record(row, None, ((None, reason),))
            continue
        values = dict(zip(columns, cells, strict=False))  # as wide: checked above, once
        yield Record(row, values, size=sum(map(len, cells)))


# JSON Lines


class _DuplicateKey(Exception):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    values = dict(pairs)
    if len(values) != len(pairs):
        counts = Counter(key for key, _ in pairs)
        raise _DuplicateKey(next(key for key, count in counts.items() if count > 1))
    return values


def _no_constants(name: str) -> Any:
    raise ValueError(_("%(name)s is not a number", name=name))


def _json_record(number: int, line: str) -> Record:
    try:
        values = json.loads(line, object_pairs_hook=_unique_keys, parse_constant=_no_constants)
    except _DuplicateKey as exc:
        reason = _("the key %(key)s appears twice", key=repr(exc.args[0]))
        return Record(number, None, ((None, reason),))
    except RecursionError:
        return Record(number, None, ((None, _("is nested too deeply")),))
    except ValueError as exc:
        reason = _("is not valid JSON (%(error)s)", error=getattr(exc, "msg", exc))
        return Record(number, None, ((None, reason),))
    if not isinstance(values, dict):
        return Record(number, None, ((None, _("must be one JSON object: {...}")),))
    return Record(number, values, size=len(line))


def _jsonl_records(text: io.TextIOWrapper, first: str, first_number: int) -> Iterator[Record]:
    line, number = first, first_number
    try:
        while line:
            if _too_long(line):
                while (rest := text.readline(MAX_LINE)) and not rest.endswith(_EOL):
                    pass  # skip the rest of the long line
                yield Record(number, None, ((None, longer_than(MAX_LINE)),))
            elif line.strip():
                yield _json_record(number, line)
            number += 1
            line = text.readline(MAX_LINE)
    except UnicodeDecodeError:
        raise _not_utf8(number) from None
