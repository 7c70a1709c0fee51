"""openpyxl writes the workbooks with lxml, and a refilled styled cell looks its style up once."""

from __future__ import annotations

from datetime import date

import openpyxl
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from qa_app.xlsx import writer
from qa_app.xlsx.model import DATE, SCORE, Column, Report, Sheet, Table
from qa_app.xlsx.styles import Styles


def test_openpyxl_writes_with_lxml():
    # pyproject.toml depends on lxml; openpyxl picks its faster writer when it can import it.
    assert openpyxl.LXML is True


def test_a_styled_cell_looks_its_style_up_once_and_gets_openpyxls_id():
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("Data")
    cell = Styles().cell(ws, SCORE)
    plain = WriteOnlyCell(ws)
    plain.number_format = SCORE.number_format
    looked_up = []
    add = workbook._cell_styles.add
    workbook._cell_styles.add = lambda style: looked_up.append(style) or add(style)
    ids = {cell.style_id for _ in range(3)}
    assert ids == {plain.style_id} and ids != {0}
    assert len(looked_up) == 2  # once for the refilled cell, once for the plain one


def test_refilled_styled_cells_keep_their_formats_row_after_row(tmp_path):
    rows = [(date(2026, 1, n), n + 0.5) for n in range(1, 4)]
    table = Table([Column("Day", DATE), Column("Score", SCORE)], rows)
    path = tmp_path / "cells.xlsx"
    writer.write_report(Report("T", "P", "C", [Sheet("Data", [table])]), path)
    ws = load_workbook(path)["Data"]
    found = [(c.number_format, d.number_format, d.value) for c, d in ws.iter_rows(min_row=2)]
    assert found == [("yyyy-mm-dd", "0.00", n + 0.5) for n in range(1, 4)]
