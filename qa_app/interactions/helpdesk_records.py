"""Helpdesk exports read as import records: the same checks and store as CSV and JSON Lines.

A Zendesk, Freshdesk or Intercom export is one JSON document. The user may name its helpdesk
(the import page's format picker, ``--format`` on the command line); otherwise it is recognised
by its shape, and a file that is no helpdesk export goes on to the CSV / JSON Lines reader.
Each ticket becomes one record, counted from 1 in the order of the file (docs/helpdesk-imports.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import IO, Any

from flask_babel import gettext as _

from .helpdesk import VENDORS, detect, is_row
from .models import FileFormat
from .parsing import MAX_LINE, ImportFileError, Record, read_records

HELPDESK_FORMATS = (FileFormat.ZENDESK, FileFormat.FRESHDESK, FileFormat.INTERCOM)
# An export is read whole (it is one JSON document); larger ones are to be split.
MAX_EXPORT_BYTES = 256 * 1024 * 1024
NAMES = {FileFormat.ZENDESK: "Zendesk", FileFormat.FRESHDESK: "Freshdesk"}
NAMES[FileFormat.INTERCOM] = "Intercom"


def read_import(
    stream: IO[bytes], chosen: str | None = None
) -> tuple[FileFormat, Iterator[Record]]:
    """The file's format and its records: a helpdesk export (chosen or recognised), else CSV or
    JSON Lines as ``parsing.read_records`` reads them."""
    if chosen:
        file_format = FileFormat(chosen)
        return file_format, document_records(file_format, _load(stream, file_format))
    found = _recognise(stream)
    stream.seek(0)
    if found is not None:
        return found[0], document_records(*found)
    return read_records(stream)


def _decode(data: bytes) -> Any:
    return json.loads(data.decode("utf-8-sig"))


def _size(stream: IO[bytes]) -> int:
    size = stream.seek(0, 2)
    stream.seek(0)
    return size


def _load(stream: IO[bytes], file_format: FileFormat) -> Any:
    if _size(stream) > MAX_EXPORT_BYTES:
        raise ImportFileError(
            _(
                "The export is larger than %(count)s MB; export fewer tickets per file.",
                count=MAX_EXPORT_BYTES // (1024 * 1024),
            )
        )
    try:
        return _decode(stream.read())
    except (ValueError, RecursionError):
        raise ImportFileError(
            _(
                "The file is not a %(source)s export: it cannot be read as JSON.",
                source=NAMES[file_format],
            )
        ) from None


def _recognise(stream: IO[bytes]) -> tuple[FileFormat, Any] | None:
    """(format, document) for a helpdesk export; None for anything else (nothing is reported)."""
    first = stream.readline(MAX_LINE)
    if not first.lstrip().startswith((b"{", b"\xef\xbb\xbf{")):
        return None
    try:
        document = _decode(first)  # a JSON Lines row, or an export written on one line
    except (ValueError, RecursionError):
        if _size(stream) > MAX_EXPORT_BYTES:
            return None  # too big to be read whole: left to the JSON Lines reader
        try:
            document = _decode(stream.read())
        except (ValueError, RecursionError):
            return None
    if is_row(document):
        return None
    vendor = detect(document)
    return (FileFormat(vendor), document) if vendor else None


def _text_size(values: Mapping[str, Any]) -> int:
    turns = values.get("transcript") or []
    return sum(len(turn.get("text", "")) for turn in turns)


def document_records(file_format: FileFormat, document: Any, first: int = 1) -> Iterator[Record]:
    """One record per ticket or conversation, numbered from ``first``; a document without such
    a list is refused."""
    vendor = VENDORS[file_format.value]
    items = vendor.items(document)
    if not isinstance(items, list):
        message = _(
            "The file is not a %(source)s export: the list of tickets or conversations is missing.",
            source=NAMES[file_format],
        )
        raise ImportFileError(message)
    return _records(file_format, items, vendor.context(document), first)


def _records(
    file_format: FileFormat, items: list[Any], context: Any, first: int
) -> Iterator[Record]:
    row = VENDORS[file_format.value].row
    for number, item in enumerate(items, first):
        if not isinstance(item, Mapping):
            yield Record(number, None, ((None, _("must be one JSON object: {...}")),))
            continue
        try:
            values = row(item, context)
        except (TypeError, ValueError, AttributeError, KeyError, OverflowError):
            reason = _("cannot be read as a %(source)s ticket", source=NAMES[file_format])
            yield Record(number, None, ((None, reason),))
            continue
        yield Record(number, values, size=_text_size(values))
