"""Reading import files: format by content, CSV edge cases, JSON Lines lines; no database."""

from __future__ import annotations

import io

import pytest

from qa_app.interactions.fields import MAX_TEXT
from qa_app.interactions.models import FileFormat
from qa_app.interactions.parsing import MAX_LINE, ImportFileError, read_records

HEADER = "external_id,channel,agent_email,occurred_at,transcript"


def read(content: bytes | str):
    data = content.encode() if isinstance(content, str) else content
    file_format, records = read_records(io.BytesIO(data))
    return file_format, list(records)


def file_errors(content: bytes | str) -> list[str]:
    with pytest.raises(ImportFileError) as caught:
        read(content)
    return caught.value.messages


def test_csv_rows_are_numbered_as_in_a_spreadsheet():
    text = f'{HEADER}\nA,call,a@x.io,2026-03-01,"two\nlines"\n\nB,chat,a@x.io,2026-03-01,\n'
    file_format, records = read(text)
    assert file_format == FileFormat.CSV
    assert [r.row for r in records] == [2, 4]  # the empty line is row 3
    assert records[0].values["transcript"] == "two\nlines"


def test_a_byte_order_mark_is_not_part_of_the_first_column():
    _, records = read(b"\xef\xbb\xbf" + f"{HEADER}\nA,call,a@x.io,2026-03-01,hi\n".encode())
    assert records[0].values["external_id"] == "A"


def test_semicolons_from_european_spreadsheets_work():
    _, records = read(HEADER.replace(",", ";") + "\nA;call;a@x.io;2026-03-01;hi, there\n")
    assert records[0].values["transcript"] == "hi, there"


def test_the_format_is_told_by_content_not_by_name():
    file_format, records = read('\n  {"external_id": "J1"}\n\n{"external_id": "J2"}\n')
    assert file_format == FileFormat.JSONL
    assert [(r.row, r.values["external_id"]) for r in records] == [(2, "J1"), (4, "J2")]


def test_an_unterminated_quote_is_a_row_error():
    text = f'{HEADER}\nA,call,a@x.io,2026-03-01,fine\nB,call,a@x.io,2026-03-01,"never closed\n'
    _, records = read(text)
    assert records[-1].row == 3 and records[-1].values is None
    assert "never closed" in records[-1].problems[0][1]


def test_a_stray_quote_is_a_row_error():
    _, records = read(f'{HEADER}\nA,call,a@x.io,2026-03-01,"quoted" then text\n')
    assert records[0].row == 2 and 'must be doubled ("")' in records[0].problems[0][1]


def test_a_huge_field_is_a_row_error():
    text = f"{HEADER}\nA,call,a@x.io,2026-03-01,{'x' * (MAX_TEXT + 1)}\n"
    _, records = read(text)
    assert records[0].row == 2
    assert f"longer than {MAX_TEXT:,} characters" in records[0].problems[0][1]


def test_a_huge_line_is_a_row_error_in_both_formats():
    long_line = "A,call,a@x.io,2026-03-01," + "x," * (MAX_LINE // 2) + "\n"
    _, records = read(f"{HEADER}\n{long_line}")
    assert "longer than" in records[0].problems[0][1]
    long_json = '{"external_id": "' + "x" * MAX_LINE + '"}\n{"external_id": "ok"}\n'
    _, records = read(long_json)
    assert records[0].problems[0][1].startswith("is longer than")
    assert records[1].values == {"external_id": "ok"}


def test_a_row_with_the_wrong_number_of_values_is_named():
    _, records = read(f"{HEADER}\nA,call,a@x.io\n")
    assert records[0].problems == ((None, "has 3 values; the header has 5 columns"),)


def test_empty_spreadsheet_rows_are_skipped():
    _, records = read(f"{HEADER}\n,,,,\nA,call,a@x.io,2026-03-01,hi\n")
    assert [r.row for r in records] == [3]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "external_id,channel,occurred_at",
            "Required columns missing from the header: agent_email",
        ),
        (HEADER + ",channel", "Columns that appear more than once: channel"),
        (HEADER + ",colour", "Unknown columns: colour"),
        (HEADER + ",", "Columns without a name in the header: 6"),
    ],
)
def test_header_problems_stop_the_import(header, message):
    assert message + "." in file_errors(header + "\n")


def test_header_names_ignore_case_and_spaces():
    _, records = read(" External_ID ,CHANNEL,agent_email,occurred_at\nA,call,a@x.io,2026-03-01\n")
    assert records[0].values["external_id"] == "A"


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(content):
    assert file_errors(content) == ["The file is empty."]


def test_bytes_that_are_not_utf8_are_refused_clearly():
    text = f"{HEADER}\nA,call,a@x.io,2026-03-01,caf".encode() + b"\xe9\n"
    assert "not UTF-8" in file_errors(text)[0]


def test_a_json_array_is_pointed_to_json_lines():
    assert "JSON Lines" in file_errors('[{"external_id": "A"}]')[0]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"external_id": "A", "external_id": "B"}', "the key 'external_id' appears twice"),
        ('{"external_id": "A"', "is not valid JSON"),
        ('{"csat": NaN}', "is not valid JSON"),
        ('["A"]', "must be one JSON object"),
        ("[" * 100_000 + "]" * 100_000, "is nested too deeply"),
    ],
)
def test_bad_json_lines_are_row_errors(line, reason):
    _, records = read('{"external_id": "first"}\n' + line + "\n")
    assert records[1].row == 2
    assert records[1].problems[0][1].startswith(reason)
