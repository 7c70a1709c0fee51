"""The organisation overview's Excel download: who may have it and what its numbers are."""

from __future__ import annotations

from qa_app.accounts.models import Role
from tests.reports.conftest import user
from tests.reports.raw import BEFORE, END, RANGE, START, download, measured, same


def test_organisation_report_holds_everyones_numbers(app, world, login_as):
    reviewer = login_as(user=user(app, world.seeded.reviewer_id))
    page = reviewer.get(f"/results/?{RANGE}").get_data(as_text=True)
    assert f'href="/reports/organisation.xlsx?{RANGE}' in page.replace("&amp;", "&")
    workbook, response = download(reviewer, f"/reports/organisation.xlsx?{RANGE}")
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=organisation-{START}-{END}.xlsx"
    )
    assert workbook.sheetnames == ["Summary", "Agents", "Heat map", "Trend", "Evaluations"]
    rows = {r[0]: r[1:] for r in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    now, before = measured(app), measured(app, None, *BEFORE)
    assert rows["Evaluations"][0] == now["Evaluations"] > 0
    for label, expected in now.items():
        assert same(rows[label][0], expected), label
        assert same(rows[label][1], before[label]), label


def test_only_those_who_see_every_team_get_the_organisation_report(app, world, login_as):
    for role in (Role.AGENT, Role.LEAD):
        assert login_as(role).get(f"/reports/organisation.xlsx?{RANGE}").status_code == 403
    lead = login_as(user=user(app, world.lead_id))
    assert "/reports/organisation.xlsx" not in lead.get("/results/").get_data(as_text=True)
