"""The agent coaching report: every sheet's numbers equal a computation from the raw evaluations."""

from __future__ import annotations

from datetime import datetime

import pytest

from qa_app.plans.services import today
from tests.reports.conftest import user
from tests.reports.raw import (
    BEFORE,
    END,
    RANGE,
    cleaned,
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


@pytest.fixture
def report(app, world, login_as):
    """The first agent's report, downloaded by their lead."""
    lead = login_as(user=user(app, world.lead_id))
    workbook, _ = download(lead, f"/reports/agents/{world.agent_id}.xlsx?{RANGE}")
    return workbook


def _team_ids(world):
    return set(world.seeded.agent_ids[:3])


def test_sheets_in_order(report):
    assert report.sheetnames == ["Summary", "Criteria", "Trend", "Evaluations", "Action plan"]


def test_summary_equals_the_raw_evaluations(app, world, report):
    ws = report["Summary"]
    rows = {row[0]: row[1:] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["Agent"][0] == "=1+2 Ελένη" and rows["Team"][0] == "North & Co"
    assert rows["From"][0] == datetime(2026, 10, 5) and rows["To"][0] == datetime(2026, 11, 1)
    mine = measured(app, {world.agent_id})
    before = measured(app, {world.agent_id}, *BEFORE)
    team = measured(app, _team_ids(world))
    assert mine["Evaluations"] > 4 and before["Evaluations"] > 0
    for label, expected in mine.items():
        now, previous, of_team = rows[label]
        assert same(now, expected), (label, now, expected)
        assert same(previous, before[label]), label
        assert same(of_team, team[label]), label
    change = rows["Change against the previous period"][0]
    assert same(change, mine["Quality score"] - before["Quality score"])


def test_summary_number_formats(report):
    cells = {row[0].value: row[1] for row in report["Summary"].iter_rows(min_row=2)}
    assert cells["Quality score"].number_format == "0.00"
    assert cells["Pass rate"].number_format == "0.0%"
    assert 0 <= cells["Pass rate"].value <= 1
    assert cells["From"].number_format == "[$-409]mmm d, yyyy"  # as an English page writes it
    assert cells["Change against the previous period"].number_format == "+0.00;-0.00;0.00"
    assert cells["AHT"].number_format == "[h]:mm:ss"


def test_criteria_sheet_marks_strengths_and_development_areas(app, world, report):
    header, rows = table(report["Criteria"])
    assert header == [
        "Criterion",
        "Average",
        "Scores",
        "Team average",
        "Difference",
        "Strength / development area",
    ]
    mine, team = raw_evaluations(app, {world.agent_id}), raw_evaluations(app, _team_ids(world))
    names = criterion_names(team)
    assert sorted(r[0] for r in rows) == sorted(names.values(), key=str.casefold)
    by_name = {r[0]: r for r in rows}
    for key, name in names.items():
        values, team_values = criterion_values(mine, key), criterion_values(team, key)
        average = sum(values) / len(values) if values else None
        team_average = sum(team_values) / len(team_values)
        row = by_name[name]
        assert same(row[1], average) and row[2] == len(values), name
        assert same(row[3], team_average), name
        assert same(row[4], None if average is None else average - team_average), name
        strength = len(values) >= 3 and average >= 4.0
        development = len(values) >= 3 and (average < 3.0 or average < team_average - 0.5)
        reading = "Development area" if development else ("Strength" if strength else None)
        assert row[5] == reading, name


def test_criteria_averages_have_a_colour_scale(report):
    ws = report["Criteria"]
    rules = {str(cf.sqref): [r.type for r in cf.rules] for cf in ws.conditional_formatting}
    last = ws.max_row
    assert rules == {f"B2:B{last} D2:D{last}": ["colorScale"]}


def test_trend_sheet_and_its_native_line_chart(app, world, report):
    ws = report["Trend"]
    header, rows = table(ws)
    assert header == ["Week of", "Evaluations", "Quality score", "Team quality score"]
    mine = weeks(raw_evaluations(app, {world.agent_id}))
    team = weeks(raw_evaluations(app, _team_ids(world)))
    assert [r[0].date() for r in rows] == sorted(set(mine) | set(team))
    for week, evaluations, quality, team_quality in rows:
        week_rows = mine.get(week.date(), [])
        assert evaluations == len(week_rows)
        assert same(quality, totals(week_rows)["Quality score"])
        assert same(team_quality, totals(team[week.date()])["Quality score"])
    (chart,) = ws._charts
    last = len(rows) + 1
    refs = [s.val.numRef.f for s in chart.series]
    assert refs == [f"'Trend'!$C$2:$C${last}", f"'Trend'!$D$2:$D${last}"]
    assert chart.series[0].cat.numRef.f == f"'Trend'!$A$2:$A${last}"
    assert chart.series[0].tx.strRef.f == "'Trend'!C1"


def test_evaluations_sheet_has_every_evaluation_with_its_comments(app, world, report):
    header, rows = table(report["Evaluations"])
    raw = {r["external_id"]: r for r in raw_evaluations(app, {world.agent_id})}
    assert sorted(r[header.index("Interaction")] for r in rows) == sorted(raw)
    names = criterion_names(raw.values(), scored_only=False)
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        expected = raw[cells["Interaction"]]
        assert cells["Date"].date() == expected["day"]
        assert cells["Channel"] == expected["channel"].capitalize()
        assert (cells["Reviewer"], cells["Scorecard"]) == (
            expected["reviewer"],
            expected["scorecard"],
        )
        assert same(cells["Score"], expected["score"])
        assert cells["Critical fail"] == ("Yes" if expected["critical"] else None)
        for key, name in names.items():
            assert cells[name] == expected["values"].get(key), (name, cells["Interaction"])
        assert cells["Comments"] == (cleaned("\n".join(expected["comments"])) or None)
        assert cells["Strengths"] == (cleaned(expected["strengths"]) or None)
        assert cells["Areas to improve"] == (cleaned(expected["improvements"]) or None)
        dispute = expected["dispute"]
        assert cells["Dispute"] == (dispute[0].capitalize() if dispute else None)
        assert cells["Dispute resolution"] == (dispute[1] or None if dispute else None)
    outcomes = sorted(filter(None, (r[header.index("Dispute")] for r in rows)))
    assert outcomes == ["Open", "Upheld"]


def test_action_plan_sheet_measures_goals_from_later_scores(app, world, report):
    header, rows = table(report["Action plan"])
    assert header[:5] == ["Plan", "Starts", "Due", "Plan status", "Criterion"]
    assert len(rows) == 2
    end = min(today(), rows[0][2].date())
    since = raw_evaluations(app, {world.agent_id}, rows[0][1].date(), end)
    for row, key in zip(rows, world.goal_keys, strict=True):
        cells = dict(zip(header, row, strict=True))
        values = criterion_values(since, key)
        assert same(cells["Current average"], sum(values) / len(values))
        assert cells["Scores"] == len(values)
    # Past the due date: a target of 1.0 is reached, a target of 5.0 is missed.
    statuses = [dict(zip(header, r, strict=True))["Goal status"] for r in rows]
    assert today() > END and statuses == ["Achieved", "Missed"]
    assert rows[0][3] == "Missed" and rows[0][-1] == "=Practise the greeting"


def test_period_before_any_evaluation_gives_an_empty_but_valid_report(app, world, login_as):
    lead = login_as(user=user(app, world.lead_id))
    workbook, _ = download(
        lead, f"/reports/agents/{world.agent_id}.xlsx?period=custom&from=2020-01-01&to=2020-01-31"
    )
    _, rows = table(workbook["Evaluations"])
    assert rows == [] and workbook["Trend"]._charts == []
    summary = {r[0]: r[1] for r in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Evaluations"] == 0 and summary["Quality score"] is None
