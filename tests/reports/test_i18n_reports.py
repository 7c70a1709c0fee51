"""Excel reports speak the language of whoever exports them: names, headers, date formats."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from qa_app.xlsx.formats import A4, LETTER, excel_date_format, paper_size
from tests.conftest import choose_language
from tests.reports.conftest import user
from tests.reports.raw import RANGE, download, raw_evaluations, table


def test_a_hungarian_lead_gets_a_hungarian_coaching_report(app, world, login_as):
    choose_language(app, world.lead_id)
    lead = login_as(user=user(app, world.lead_id))
    workbook, _ = download(lead, f"/reports/agents/{world.agent_id}.xlsx?{RANGE}")
    assert workbook.sheetnames == [
        "Összegzés",
        "Kritériumok",
        "Trend",
        "Értékelések",
        "Cselekvési terv",
    ]
    summary = {row[0]: row[1] for row in workbook["Összegzés"].iter_rows(values_only=True)}
    assert "Minőségi pontszám" in summary and "Quality score" not in summary
    header, rows = table(workbook["Értékelések"])
    assert header[:3] == ["Dátum", "Interakció", "Csatorna"]
    expected = raw_evaluations(app, [world.agent_id])
    assert len(rows) == len(expected)
    assert {row[2] for row in rows} <= {"Hívás", "Chat", "E-mail"}
    dates = [c for c in workbook["Értékelések"]["A"][1:] if isinstance(c.value, datetime)]
    assert dates and {c.number_format for c in dates} == {"[$-40E]yyyy. mmm d."}
    assert workbook["Trend"].cell(1, 3).value == "Minőségi pontszám"
    assert workbook.properties.subject == "QA coaching riport"


def test_an_english_reader_keeps_english_and_iso_like_dates(app, world, login_as):
    lead = login_as(user=user(app, world.lead_id))
    workbook, _ = download(lead, f"/reports/agents/{world.agent_id}.xlsx?{RANGE}")
    assert workbook.sheetnames[0] == "Summary"
    dates = [c for c in workbook["Evaluations"]["A"][1:] if isinstance(c.value, datetime)]
    assert dates and {c.number_format for c in dates} == {"[$-409]mmm d, yyyy"}


def test_the_command_line_writes_the_report_in_the_language_asked_for(app, world, runner, tmp_path):
    path = tmp_path / "team.xlsx"
    team_id = world.seeded.team_ids[0]
    args = ["reports", "export", "--team", str(team_id), "--from", "2026-10-05"]
    args += ["--to", "2026-11-01", "-o", str(path), "--language", "hu"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert load_workbook(path).sheetnames[:3] == ["Összegzés", "Munkatársak", "Hőtérkép"]


def test_excel_date_formats_write_dates_as_the_pages_do():
    # "2026. nov. 5." and "Nov 5, 2026", with Excel's id of the language for the month names.
    assert excel_date_format("hu") == "[$-40E]yyyy. mmm d."
    assert excel_date_format("en") == "[$-409]mmm d, yyyy"
    assert excel_date_format("el") == "d mmm yyyy"
    assert excel_date_format("de") == "dd.mm.yyyy"
    # Arabic writes right-to-left marks between the parts: Excel gets them as quoted literals.
    assert excel_date_format("ar").count("yyyy") == 1


def test_paper_sizes_by_region():
    assert [paper_size(t) for t in ("US", "ca", "GB", "HU", None)] == [LETTER, LETTER, A4, A4, A4]


@pytest.mark.parametrize(("accept", "paper"), [("en-US,en;q=0.8", LETTER), ("hu-HU,hu", A4)])
def test_the_paper_is_letter_only_for_a_us_reader(app, world, login_as, accept, paper):
    lead = login_as(user=user(app, world.lead_id))
    response = lead.get(
        f"/reports/agents/{world.agent_id}.xlsx?{RANGE}", headers={"Accept-Language": accept}
    )
    data = response.data
    response.close()  # as a WSGI server does: closes the temporary file behind the download
    workbook = load_workbook(io.BytesIO(data))
    assert {int(ws.page_setup.paperSize) for ws in workbook} == {paper}
