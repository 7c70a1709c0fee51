"""The fast path: ready cells handed to openpyxl as they are, dates as serial numbers.

And its fallback: off the tested openpyxl versions, the same workbook through public names only.
"""

from __future__ import annotations

import tomllib
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qa_app.xlsx import cells, fastpath, writer
from qa_app.xlsx.model import (
    DATE,
    GOOD,
    LONG_TEXT,
    PERCENT,
    POINTS,
    SCORE,
    TEXT,
    Column,
    Kind,
    Report,
    Sheet,
    Table,
    Typed,
)
from qa_app.xlsx.safety import clean_text

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
HUNGARIAN_DATE = Kind("date", "yyyy. mm. dd.", max_width=14)
KINDS = [TEXT, LONG_TEXT, SCORE, DATE, HUNGARIAN_DATE, POINTS, GOOD, PERCENT]
# (typed in, what the cell must hold, quoted so that Excel keeps it text)
HOSTILE = [
    ("=1+2", "=1+2", True),
    ('=HYPERLINK("http://x","y")', '=HYPERLINK("http://x","y")', True),
    ("+1", "+1", True),
    ("-2", "-2", True),
    ("@SUM(A1)", "@SUM(A1)", True),
    ("\tTabbed", "\tTabbed", True),
    ("\r=1+1", "\n=1+1", True),
    ("#N/A", "#N/A", True),
    ("#DIV/0!", "#DIV/0!", True),
    ("=A1\x00\x07", "=A1", True),
    ("Bell\x07 rings\x0b", "Bell rings", False),
    ("lone \ud800 surrogate", "lone  surrogate", False),
    ("a=b", "a=b", False),
    ("line one\nline two", "line one\nline two", False),
]


def _report(columns, rows, title="Data") -> Report:
    return Report("Test", "Period", "Tester", [Sheet(title, [Table(columns, rows)])])


def _every_kind(text: str) -> tuple:
    return (*(text for _ in KINDS), Typed(text, PERCENT))


@pytest.fixture(params=["fast path", "fallback"])
def path(request, monkeypatch) -> str:
    """Each test below runs on the fast path and again on openpyxl's public names only."""
    if request.param == "fallback":
        monkeypatch.setattr(fastpath, "ENABLED", False)
    else:
        assert fastpath.ENABLED, "the installed openpyxl is outside the range the fast path covers"
    return request.param


def test_user_text_stays_clean_quoted_text_in_every_kind_of_column(tmp_path, path):
    columns = [Column(f"{kind.name} {n}", kind) for n, kind in enumerate(KINDS)]
    columns.append(Column("typed"))
    rows = [_every_kind(text) for text, _, _ in HOSTILE]
    writer.write_report(_report(columns, rows), tmp_path / "hostile.xlsx")
    ws = load_workbook(tmp_path / "hostile.xlsx")["Data"]
    for row, (_, kept, quoted) in zip(ws.iter_rows(min_row=2), HOSTILE, strict=True):
        for cell in row:
            assert (cell.value, cell.data_type) == (kept, "s"), cell.coordinate
            assert cell.quotePrefix == quoted, cell.coordinate


def test_handing_cells_over_writes_what_openpyxls_own_append_writes(tmp_path, monkeypatch):
    columns = [Column(f"{kind.name} {n}", kind) for n, kind in enumerate(KINDS)]
    when = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    rows = [
        ("plain", "short", 81.25, date(2026, 1, 5), date(1900, 2, 1), 4, "Achieved", 12.5),
        (True, "x" * 200, Decimal("7.50"), when, when, "N/A", 3, Typed(90, SCORE)),
        (None, None, None, None, None, None, None, None),
        (Typed("=1", TEXT), "=quoted\nlines", "=1", "#N/A", "-1", 2.5, "@x", "text"),
    ]
    assert fastpath.ENABLED
    writer.write_report(_report(columns, rows), tmp_path / "fast.xlsx")
    monkeypatch.setattr(fastpath, "ENABLED", False)
    writer.write_report(_report(columns, rows), tmp_path / "openpyxl.xlsx")
    for part in ("xl/worksheets/sheet1.xml", "xl/styles.xml"):
        with (
            zipfile.ZipFile(tmp_path / "fast.xlsx") as fast,
            zipfile.ZipFile(tmp_path / "openpyxl.xlsx") as own,
        ):
            assert fast.read(part) == own.read(part), part


def test_rows_skip_openpyxls_own_value_conversion(tmp_path, monkeypatch):
    def refuse(self, values, row_idx):
        raise AssertionError("openpyxl's _values_to_row ran: the fast path is gone")

    monkeypatch.setattr(WriteOnlyWorksheet, "_values_to_row", refuse)
    rows = [(date(2026, 1, 5), "note", 81.25)] * 3
    columns = [Column("Day", DATE), Column("Note", LONG_TEXT), Column("Score", SCORE)]
    writer.write_report(_report(columns, rows), tmp_path / "fast.xlsx")


def test_the_fallback_uses_none_of_openpyxls_private_names(tmp_path, monkeypatch):
    def refuse(*args):
        raise AssertionError("the fallback used a private name")

    monkeypatch.setattr(fastpath, "ENABLED", False)
    monkeypatch.setattr(cells, "hand_cells_over", refuse)
    monkeypatch.setattr(cells, "_put_private", refuse)
    rows = [(date(2026, 1, 5), "=note", 81.25, 3)] * 3
    columns = [Column("Day", DATE), Column("Note", LONG_TEXT), Column("Score", SCORE), Column("N")]
    writer.write_report(_report(columns, rows), tmp_path / "public.xlsx")
    ws = load_workbook(tmp_path / "public.xlsx")["Data"]
    assert [c.value for c in ws[4]] == [datetime(2026, 1, 5), "=note", 81.25, 3]
    assert ws["B4"].data_type == "s" and ws["B4"].quotePrefix


def test_the_fast_path_runs_only_on_the_openpyxl_versions_pyproject_allows(monkeypatch):
    low, high = fastpath.TESTED_FROM, fastpath.TESTED_BEFORE
    with PYPROJECT.open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    bound = f"openpyxl>={low[0]}.{low[1]},<{high[0]}.{high[1]}"
    assert bound in dependencies
    assert fastpath.supported(f"{low[0]}.{low[1]}.0") and fastpath.supported(f"{low[0]}.{low[1]}.9")
    assert not fastpath.supported(f"{high[0]}.{high[1]}.0")
    assert not fastpath.supported(f"{low[0]}.{low[1] - 1}.10") and not fastpath.supported("dev")
    monkeypatch.delattr(WriteOnlyWorksheet, "_values_to_row")
    assert not fastpath.supported(f"{low[0]}.{low[1]}.0")  # a private name gone: the fallback


def test_dates_are_dates_in_any_date_format(tmp_path, path):
    columns = [Column("Nap", HUNGARIAN_DATE), Column("Day", DATE)]
    days = [date(2026, 1, 5), date(1900, 2, 1), date(2026, 1, 5)]
    rows = [(day, day) for day in days] + [(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), None)]
    writer.write_report(_report(columns, rows), tmp_path / "dates.xlsx")
    ws = load_workbook(tmp_path / "dates.xlsx")["Data"]
    for row, day in zip(ws.iter_rows(min_row=2, max_row=4), days, strict=True):
        assert [c.value for c in row] == [datetime.combine(day, datetime.min.time())] * 2
        assert [c.number_format for c in row] == ["yyyy. mm. dd.", "yyyy-mm-dd"]
    assert ws["A5"].value == datetime(2026, 3, 1, 23, 30)


def test_a_failed_write_closes_the_rows_it_was_reading(tmp_path, monkeypatch, path):
    monkeypatch.setattr(writer, "EXCEL_MAX_ROWS", 10)
    closed = []

    def rows():
        try:
            yield from ((date(2026, 1, 1), "x") for _ in range(20))
        finally:
            closed.append(True)

    columns = [Column("Day", DATE), Column("Note", LONG_TEXT)]
    with pytest.raises(writer.ReportTooLarge):
        writer.write_report(_report(columns, rows()), tmp_path / "big.xlsx")
    assert closed == [True]  # at once, not whenever the generator is collected


def test_clean_text_is_what_the_cells_hold():
    # The table above is the safety module's own rule, not a second one.
    assert all(clean_text(text) == kept for text, kept, _ in HOSTILE)
