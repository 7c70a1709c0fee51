"""Security check 14 and the finish: user text stays text, and the workbook is ready to print."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from qa_app.extensions import db
from qa_app.scorecards.models import Criterion
from qa_app.xlsx.safety import (
    ascii_slug,
    clean_text,
    header_footer_text,
    needs_quoting,
    sheet_title,
)
from tests.reports.conftest import ACTIONS, AGENT_NAME, CLEANED, COMMENT, HOSTILE, RESOLUTION, user
from tests.reports.raw import RANGE, cleaned, download

CRITERION_NAME = "=SUM(1,2)"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ('=HYPERLINK("http://x","y")', '=HYPERLINK("http://x","y")'),
        ("a\x00b\x07c\x1fd", "abcd"),
        ("tab\tand\nline", "tab\tand\nline"),
        ("crlf\r\nend\r", "crlf\nend\n"),
        ("日本語 עברית Ελληνικά Română 😀", "日本語 עברית Ελληνικά Română 😀"),
        ("lone \ud800 surrogate", "lone  surrogate"),
    ],
)
def test_clean_text_removes_only_what_excel_cannot_hold(text, kept):
    assert clean_text(text) == kept


@pytest.mark.parametrize("text", ["=1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "#N/A", "#REF!"])
def test_formula_and_error_lookalikes_are_quoted(text):
    assert needs_quoting(text)


@pytest.mark.parametrize("text", ["1", "Good call", "a=b", "", " =1"])
def test_ordinary_text_is_not_quoted(text):
    assert not needs_quoting(text)


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    assert sheet_title("a/b:c*d?[e]\\f", taken) == "a b c d  e  f"
    long = "x" * 40
    assert sheet_title(long, taken) == "x" * 31
    assert sheet_title(long, taken) == "x" * 27 + " (2)"
    assert sheet_title("'quoted'", taken) == "quoted" and sheet_title("", taken) == "Sheet"


def test_header_footer_and_slug():
    assert header_footer_text("North & Co\x07") == "North && Co"
    assert ascii_slug("Ελένη Σ.", "agent-7") == "agent-7"
    assert ascii_slug("Zoë O'Brien-Nagy!", "x") == "zoe-o-brien-nagy"


@pytest.fixture
def workbooks(app, world, login_as):
    """The agent report and the team report with agent sheets, a criterion renamed to a formula."""
    with app.app_context():
        criterion = db.session.scalars(sa.select(Criterion).order_by(Criterion.id.desc())).first()
        criterion.name = CRITERION_NAME
        db.session.commit()
    lead = login_as(user=user(app, world.lead_id))
    agent, _ = download(lead, f"/reports/agents/{world.agent_id}.xlsx?{RANGE}")
    team, _ = download(lead, f"/reports/teams/{world.seeded.team_ids[0]}.xlsx?{RANGE}&sheets=1")
    return agent, team


def _cells(workbook):
    for ws in workbook:
        for row in ws.iter_rows():
            yield from row


def test_no_cell_is_a_formula(workbooks):
    for workbook in workbooks:
        formulas = [c.coordinate for c in _cells(workbook) if c.data_type == "f"]
        assert formulas == []


def test_hostile_text_round_trips_as_quoted_text(workbooks):
    agent, team = workbooks
    expected = {CLEANED.get(t, cleaned(t)) for pair in HOSTILE for t in pair}
    expected |= {AGENT_NAME, RESOLUTION, ACTIONS, CRITERION_NAME}
    for workbook in (agent, team):
        found = {c.value: c for c in _cells(workbook) if isinstance(c.value, str)}
        for text in expected - ({RESOLUTION, ACTIONS} if workbook is team else set()):
            cell = found[text]
            assert cell.data_type == "s", text
            if needs_quoting(text) or text.startswith("\n"):
                assert cell.quotePrefix, text
    comment = f": {cleaned(COMMENT)}"
    assert any(isinstance(c.value, str) and comment in c.value for c in _cells(agent))
    assert AGENT_NAME in team.sheetnames


def test_every_sheet_is_frozen_filtered_and_set_up_for_print(workbooks):
    agent, team = workbooks
    for workbook in workbooks:
        for ws in workbook:
            assert ws.freeze_panes is not None, ws.title
            assert ws.page_setup.orientation == "landscape"
            assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
            assert int(ws.page_setup.paperSize) == 9  # A4: the test client names no region
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            assert "Oct 5, 2026 to Nov 1, 2026" in ws.oddHeader.right.text
            assert ws.oddFooter.right.text == "Page &P of &N"
            widths = [d.width for d in ws.column_dimensions.values() if d.width]
            assert widths and all(8 <= w <= 62 for w in widths), ws.title
    for name in ("Criteria", "Evaluations", "Action plan"):
        assert agent[name].auto_filter.ref.startswith("A1:")
    for name in ("Agents", "Heat map", "Trend", "Evaluations"):
        assert team[name].auto_filter.ref.startswith("A1:")
    assert agent["Evaluations"].freeze_panes == "B2"
    header = [c.value for c in agent["Evaluations"][1]]
    first = {h: c for h, c in zip(header, agent["Evaluations"][2], strict=True)}
    assert first["Date"].number_format == "[$-409]mmm d, yyyy"
    assert first["Score"].number_format == "0.00"
    assert team["Summary"].oddHeader.left.text == "Team report: North && Co"
    assert agent["Evaluations"].print_title_rows == "$1:$1"


def test_document_properties(app, world, workbooks):
    agent, team = workbooks
    lead = user(app, world.lead_id)
    assert agent.properties.title == f"Coaching report: {AGENT_NAME}"
    assert team.properties.title == "Team report: North & Co"
    for workbook in workbooks:
        assert workbook.properties.creator == lead.display_name
        made = workbook.properties.created
        assert datetime.now(UTC).replace(tzinfo=None) - made < timedelta(minutes=5)
