"""Excel reports speak the language of whoever exports them: names, headers, date formats."""

from __future__ import annotations

from datetime import datetime

from openpyxl import load_workbook

from qa_app.xlsx.formats import excel_date_format
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
    assert dates and {c.number_format for c in dates} == {"yyyy. mm. dd."}
    assert workbook["Trend"].cell(1, 3).value == "Minőségi pontszám"
    assert workbook.properties.subject == "QA coaching riport"


def test_an_english_reader_keeps_english_and_iso_like_dates(app, world, login_as):
    lead = login_as(user=user(app, world.lead_id))
    workbook, _ = download(lead, f"/reports/agents/{world.agent_id}.xlsx?{RANGE}")
    assert workbook.sheetnames[0] == "Summary"
    dates = [c for c in workbook["Evaluations"]["A"][1:] if isinstance(c.value, datetime)]
    assert dates and {c.number_format for c in dates} == {"m/d/yyyy"}


def test_the_command_line_writes_the_report_in_the_language_asked_for(app, world, runner, tmp_path):
    path = tmp_path / "team.xlsx"
    team_id = world.seeded.team_ids[0]
    args = ["reports", "export", "--team", str(team_id), "--from", "2026-10-05"]
    args += ["--to", "2026-11-01", "-o", str(path), "--language", "hu"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert load_workbook(path).sheetnames[:3] == ["Összegzés", "Munkatársak", "Hőtérkép"]


def test_excel_date_formats_follow_the_locales_short_date():
    assert excel_date_format("hu") == "yyyy. mm. dd."
    assert excel_date_format("en") == "m/d/yyyy"
    assert excel_date_format("el") == "d/m/yyyy"
    assert excel_date_format("de") == "dd.mm.yyyy"
    # Arabic writes right-to-left marks between the parts: Excel gets them as quoted literals.
    assert excel_date_format("ar").count("yyyy") == 1
