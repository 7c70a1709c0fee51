"""Reports over evaluations of all three picks: the headline leaves targeted ones out, the summary
gives them apart, and the Evaluations sheet says how each was picked."""

from __future__ import annotations

import pytest

from tests.reports.conftest import user
from tests.reports.raw import RANGE, by_label, download, raw_evaluations, same, table, totals
from tests.results.conftest import mark_picks

PICK_WORDS = {"random": "Random", "targeted": "Targeted", "hand": "By hand"}
SPOTLIGHT_ROWS = [
    ("Found by spotlight: evaluations", "Evaluations"),
    ("Found by spotlight: average score", "Quality score"),
    ("Found by spotlight: pass rate", "Pass rate"),
]


@pytest.fixture
def mixed_reports(app, world, login_as):
    """The first agent's coaching report and their team's report, after picks are mixed."""
    mark_picks(app)
    lead = login_as(user=user(app, world.lead_id))
    agent, _ = download(lead, f"/reports/agents/{world.agent_id}.xlsx?{RANGE}")
    team, _ = download(lead, f"/reports/teams/{world.seeded.team_ids[0]}.xlsx?{RANGE}")
    return agent, team


def _split(rows):
    targeted = [r for r in rows if r["picked"] == "targeted"]
    return [r for r in rows if r["picked"] != "targeted"], targeted


def test_summary_headline_and_spotlight_figures(app, world, mixed_reports):
    agent_report, team_report = mixed_reports
    for workbook, agent_ids in (
        (agent_report, {world.agent_id}),
        (team_report, set(world.seeded.agent_ids[:3])),
    ):
        rows = {label: values[0] for label, values in by_label(workbook["Summary"]).items()}
        headline, targeted = _split(raw_evaluations(app, agent_ids))
        assert headline and targeted
        want, found = totals(headline), totals(targeted)
        assert want["Quality score"] != totals(headline + targeted)["Quality score"]
        for label in ("Evaluations", "Quality score", "Pass rate", "Band"):
            assert same(rows[label], want[label]), label
        assert rows["Quality score counts"] == "random and hand-picked evaluations only"
        for label, measure in SPOTLIGHT_ROWS:
            assert same(rows[label], found[measure]), label
    cells = {row[0].value: row[1] for row in agent_report["Summary"].iter_rows(min_row=2)}
    assert cells["Found by spotlight: average score"].number_format == "0.00"
    assert cells["Found by spotlight: pass rate"].number_format == "0.0%"


def test_evaluations_sheet_says_how_each_was_picked(app, world, mixed_reports):
    header, rows = table(mixed_reports[0]["Evaluations"])
    raw = {r["external_id"]: r["picked"] for r in raw_evaluations(app, {world.agent_id})}
    picked = {row[header.index("Interaction")]: row[header.index("How picked")] for row in rows}
    assert picked == {external_id: PICK_WORDS[pick] for external_id, pick in raw.items()}
    assert set(picked.values()) == set(PICK_WORDS.values())
