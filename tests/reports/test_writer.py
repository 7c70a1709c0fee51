"""The generic writer on its own: streaming, sizes, kinds, limits, and LibreOffice if present."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from qa_app.xlsx import writer
from qa_app.xlsx.model import (
    DATE,
    DURATION,
    LONG_TEXT,
    PERCENT,
    SCORE,
    Column,
    LineChart,
    Report,
    Sheet,
    Table,
    Typed,
)


def _report(rows, chart=None) -> Report:
    columns = [
        Column("Day", DATE),
        Column("Note", LONG_TEXT),
        Column("Score", SCORE),
        Column("Rate", PERCENT),
    ]
    return Report(
        "Test",
        "2026-01-01 to 2026-01-31",
        "Tester",
        [Sheet("Data", [Table(columns, rows)], chart=chart)],
    )


def test_rows_stream_from_a_generator_and_are_not_held(tmp_path):
    pulled = []

    def rows():
        for n in range(5_000):
            pulled.append(n)
            yield (date(2026, 1, 1), f"note {n}", n / 100, 50.0)

    shapes = writer.write_report(_report(rows()), tmp_path / "big.xlsx")
    assert shapes == [writer.SheetShape("Data", 5_001, 4)] and len(pulled) == 5_000
    workbook = load_workbook(tmp_path / "big.xlsx", read_only=True)
    last = next(workbook["Data"].iter_rows(min_row=5_001, values_only=True))
    workbook.close()
    assert last[1:] == ("note 4999", 49.99, 0.5)


def test_widths_fit_the_content_and_are_capped(tmp_path):
    rows = [(date(2026, 1, 1), "word " * 200, 1.0, None)]
    writer.write_report(_report(rows), tmp_path / "w.xlsx")
    ws = load_workbook(tmp_path / "w.xlsx")["Data"]
    assert ws.column_dimensions["B"].width == 62  # long text wraps at 60 characters
    assert ws.column_dimensions["A"].width == 18  # room for "2026. szept. 30."
    assert ws["B2"].alignment.wrap_text


def test_times_and_typed_values(tmp_path):
    columns = [Column("Measure"), Column("Value")]
    rows = [
        ("When", datetime(2026, 1, 1, 23, 30, tzinfo=UTC)),
        ("AHT", Typed(90, DURATION)),
        ("Rate", Typed(12.5, PERCENT)),
        ("None", Typed(None, PERCENT)),
    ]
    report = Report("T", "P", "C", [Sheet("S", [Table(columns, rows)], autofilter=False)])
    writer.write_report(report, tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")["S"]
    assert ws["B2"].value == datetime(2026, 1, 1, 23, 30)
    assert (
        ws["B3"].value.total_seconds() == pytest.approx(90)
        and ws["B3"].number_format == "[h]:mm:ss"
    )
    assert ws["B4"].value == 0.125 and ws["B5"].value is None
    assert ws.auto_filter.ref is None


def test_a_chart_needs_rows(tmp_path):
    chart = LineChart("Trend", "Day", ["Score"])
    writer.write_report(_report([], chart), tmp_path / "empty.xlsx")
    assert load_workbook(tmp_path / "empty.xlsx")["Data"]._charts == []


def test_more_rows_than_excel_holds_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "EXCEL_MAX_ROWS", 10)
    rows = ((date(2026, 1, 1), "x", 1.0, 1.0) for _ in range(20))
    with pytest.raises(writer.ReportTooLarge):
        writer.write_report(_report(rows), tmp_path / "big.xlsx")
