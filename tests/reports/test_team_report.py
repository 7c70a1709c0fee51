"""The team report, and the organisation report from the command line, against the raw data."""

from __future__ import annotations

from openpyxl import load_workbook

from tests.reports.conftest import TEAM_NAME, user
from tests.reports.raw import (
    BEFORE,
    END,
    RANGE,
    START,
    criterion_names,
    criterion_values,
    download,
    measured,
    raw_evaluations,
    same,
    table,
    totals,
    weeks,
)

METRICS = ["Evaluations", "Quality score", "Band", "Change", "Pass rate", "Critical fails"]
METRICS += ["CSAT", "NPS", "CES", "FCR", "AHT"]


def _names(app, ids):
    return {agent_id: user(app, agent_id).display_name for agent_id in ids}


def _team_report(app, world, login_as, query=RANGE):
    lead = login_as(user=user(app, world.lead_id))
    url = f"/reports/teams/{world.seeded.team_ids[0]}.xlsx?{query}"
    return download(lead, url)


def _check_agent_rows(app, rows, header, names):
    for agent_id, name in names.items():
        (row,) = [r for r in rows if r[0] == name]
        cells = dict(zip(header, row, strict=True))
        now = measured(app, {agent_id})
        before = measured(app, {agent_id}, *BEFORE)
        for label in METRICS:
            if label == "Change":
                expected = now["Quality score"] - before["Quality score"]
            else:
                expected = now[label]
            assert same(cells[label], expected), (name, label, cells[label], expected)


def test_team_report_agents_sheet(app, world, login_as):
    workbook, response = _team_report(app, world, login_as)
    assert workbook.sheetnames == ["Summary", "Agents", "Heat map", "Trend", "Evaluations"]
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=team-north-co-{START}-{END}.xlsx"
    )
    header, rows = table(workbook["Agents"])
    assert header == ["Agent", *METRICS]
    names = _names(app, world.seeded.agent_ids[:3])
    assert sorted(r[0] for r in rows) == sorted(names.values())
    _check_agent_rows(app, rows, header, names)


def test_team_summary_equals_the_raw_evaluations(app, world, login_as):
    workbook, _ = _team_report(app, world, login_as)
    rows = {r[0]: r[1:] for r in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert rows["Team"][0] == TEAM_NAME and rows["Agents"][0] == 3
    ids = set(world.seeded.agent_ids[:3])
    now, before = measured(app, ids), measured(app, ids, *BEFORE)
    for label, expected in now.items():
        assert same(rows[label][0], expected), label
        assert same(rows[label][1], before[label]), label


def test_heat_map_is_criteria_by_agent_with_a_colour_scale(app, world, login_as):
    workbook, _ = _team_report(app, world, login_as)
    ws = workbook["Heat map"]
    header, rows = table(ws)
    team = raw_evaluations(app, set(world.seeded.agent_ids[:3]))
    names = criterion_names(team)
    assert header == ["Agent", *sorted(names.values(), key=str.casefold)]
    for agent_id, name in _names(app, world.seeded.agent_ids[:3]).items():
        (row,) = [r for r in rows if r[0] == name]
        mine = raw_evaluations(app, {agent_id})
        for key, criterion in names.items():
            values = criterion_values(mine, key)
            expected = sum(values) / len(values) if values else None
            assert same(row[header.index(criterion)], expected), (name, criterion)
    (rule,) = list(ws.conditional_formatting)
    assert rule.rules[0].type == "colorScale"
    assert str(rule.sqref).split()[0] == f"B2:B{len(rows) + 1}"
    assert ws.freeze_panes == "B2"


def test_team_trend_and_chart(app, world, login_as):
    workbook, _ = _team_report(app, world, login_as)
    ws = workbook["Trend"]
    header, rows = table(ws)
    expected = weeks(raw_evaluations(app, set(world.seeded.agent_ids[:3])))
    assert [r[0].date() for r in rows] == sorted(expected)
    for week, count, quality, pass_rate in rows:
        numbers = totals(expected[week.date()])
        assert count == numbers["Evaluations"] and same(quality, numbers["Quality score"])
        assert same(pass_rate, numbers["Pass rate"])
    (chart,) = ws._charts
    assert [s.val.numRef.f for s in chart.series] == [f"'Trend'!$C$2:$C${len(rows) + 1}"]


def test_team_evaluations_sheet_names_the_agent(app, world, login_as):
    workbook, _ = _team_report(app, world, login_as)
    header, rows = table(workbook["Evaluations"])
    raw = raw_evaluations(app, set(world.seeded.agent_ids[:3]))
    assert header[:3] == ["Date", "Agent", "Interaction"]
    got = sorted((r[2], r[1]) for r in rows)
    assert got == sorted((r["external_id"], r["agent"]) for r in raw)


def test_one_coaching_sheet_per_agent_on_request(app, world, login_as):
    workbook, _ = _team_report(app, world, login_as, f"{RANGE}&sheets=1")
    names = _names(app, world.seeded.agent_ids[:3])
    assert workbook.sheetnames[5:] == sorted(names.values())
    agent_id = world.seeded.agent_ids[1]
    ws = workbook[names[agent_id]]
    assert ws["A1"].value == f"{names[agent_id]}: summary"
    summary = {r[0]: r[1:] for r in ws.iter_rows(min_row=3, max_row=25, values_only=True) if r[0]}
    mine = measured(app, {agent_id})
    assert same(summary["Quality score"][0], mine["Quality score"])
    criteria_row = next(r.row for r in ws["A"] if r.value == "Criteria")
    header, rows = table(ws, criteria_row + 1)
    team = raw_evaluations(app, set(world.seeded.agent_ids[:3]))
    mine_rows = raw_evaluations(app, {agent_id})
    for key, name in criterion_names(team).items():
        (row,) = [r for r in rows if r[0] == name]
        values = criterion_values(mine_rows, key)
        assert same(row[1], sum(values) / len(values) if values else None), name


def test_organisation_report_from_the_command_line(app, world, runner, tmp_path):
    path = tmp_path / "all.xlsx"
    result = runner.invoke(
        args=["reports", "export", "--all", "--from", str(START), "--to", str(END), "-o", str(path)]
    )
    assert result.exit_code == 0, result.output
    workbook = load_workbook(path)
    header, rows = table(workbook["Agents"])
    assert header[:2] == ["Agent", "Team"] and len(rows) == 6
    _check_agent_rows(
        app, [r[:1] + r[2:] for r in rows], ["Agent", *METRICS], _names(app, world.seeded.agent_ids)
    )
    _, evaluations = table(workbook["Evaluations"])
    assert len(evaluations) == len(raw_evaluations(app)) and "Wrote" in result.output
    assert workbook.properties.creator == "QA Scorecard"
