"""Who may download which report, what the download looks like, and the command line."""

from __future__ import annotations

from openpyxl import load_workbook

from qa_app.accounts.models import Role
from tests.reports.conftest import AGENT_NAME, user
from tests.reports.raw import END, RANGE, START, XLSX, download, table


def test_lead_cannot_export_another_team_or_its_agents(app, world, login_as):
    lead = login_as(user=user(app, world.lead_id))
    other_team, other_agent = world.seeded.team_ids[1], world.seeded.agent_ids[4]
    for url in (f"/reports/teams/{other_team}.xlsx", f"/reports/agents/{other_agent}.xlsx"):
        response = lead.get(f"{url}?{RANGE}")
        assert response.status_code == 404, url
        assert user(app, other_agent).display_name not in response.get_data(as_text=True)
    for guess in (0, 999_999):
        assert lead.get(f"/reports/teams/{guess}.xlsx").status_code == 404


def test_agent_downloads_only_their_own_coaching_report(app, world, login_as):
    agent = login_as(user=user(app, world.seeded.agent_ids[1]))
    workbook, _ = download(agent, f"/reports/agents/{world.seeded.agent_ids[1]}.xlsx?{RANGE}")
    assert "Evaluations" in workbook.sheetnames
    assert agent.get(f"/reports/agents/{world.agent_id}.xlsx").status_code == 404
    assert agent.get(f"/reports/teams/{world.seeded.team_ids[0]}.xlsx").status_code == 404


def test_reviewer_may_export_any_team_and_anonymous_must_sign_in(app, world, login_as):
    reviewer = login_as(user=user(app, world.seeded.reviewer_id))
    download(reviewer, f"/reports/teams/{world.seeded.team_ids[1]}.xlsx?{RANGE}")
    response = app.test_client().get(f"/reports/agents/{world.agent_id}.xlsx")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_download_headers_and_server_built_file_name(app, world, login_as):
    lead = login_as(user=user(app, world.lead_id))
    agent_id = world.seeded.agent_ids[1]
    name = user(app, agent_id).display_name  # e.g. "Agent 3"
    _, response = download(lead, f"/reports/agents/{agent_id}.xlsx?{RANGE}&name=../../x.xlsx")
    slug = name.lower().replace(" ", "-")
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=coaching-{slug}-{START}-{END}.xlsx"
    )
    assert response.mimetype == XLSX
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # A name without Latin letters falls back to the id: the header stays plain ASCII.
    _, hostile = download(lead, f"/reports/agents/{world.agent_id}.xlsx?{RANGE}")
    assert hostile.headers["Content-Disposition"].isascii()
    assert AGENT_NAME not in hostile.headers["Content-Disposition"]


def test_result_pages_link_to_the_downloads_with_their_filters(app, world, login_as):
    lead = login_as(user=user(app, world.lead_id))
    team_id = world.seeded.team_ids[0]
    page = lead.get(f"/results/teams/{team_id}?{RANGE}&channel=chat").get_data(as_text=True)
    assert f'action="/reports/teams/{team_id}.xlsx"' in page
    assert 'name="sheets" value="1"' in page and 'name="channel" value="chat"' in page
    agent_page = lead.get(f"/results/agents/{world.agent_id}?{RANGE}").get_data(as_text=True)
    assert f"/reports/agents/{world.agent_id}.xlsx?{RANGE.replace('&', '&amp;')}" in agent_page


def test_the_filters_narrow_the_report(app, world, login_as):
    lead = login_as(user=user(app, world.lead_id))
    url = f"/reports/agents/{world.agent_id}.xlsx?{RANGE}&channel=chat"
    workbook, _ = download(lead, url)
    header, rows = table(workbook["Evaluations"])
    assert rows and {r[header.index("Channel")] for r in rows} == {"Chat"}
    summary = {r[0]: r[1] for r in workbook["Summary"].iter_rows(values_only=True)}
    assert summary["Channel"] == "Chat"


def _export(runner, *args):
    return runner.invoke(args=["reports", "export", "--from", str(START), "--to", str(END), *args])


def test_command_exports_a_team_with_agent_sheets_and_a_named_creator(app, world, runner, tmp_path):
    lead = user(app, world.lead_id)
    path = tmp_path / "team.xlsx"
    team_id = str(world.seeded.team_ids[0])
    result = _export(
        runner, "--team", team_id, "-o", str(path), "--agent-sheets", "--as", lead.email
    )
    assert result.exit_code == 0, result.output
    workbook = load_workbook(path)
    assert len(workbook.sheetnames) == 5 + 3 and AGENT_NAME in workbook.sheetnames
    assert workbook.properties.creator == lead.display_name


def test_command_exports_an_agent(app, world, runner, tmp_path):
    path = tmp_path / "agent.xlsx"
    result = _export(runner, "--agent", str(world.agent_id), "-o", str(path))
    assert result.exit_code == 0, result.output
    assert load_workbook(path).sheetnames[0] == "Summary"


def test_command_refuses_unclear_or_unknown_scopes_and_leaves_no_file(
    app, world, runner, tmp_path, make_user
):
    path = tmp_path / "x.xlsx"
    reviewer = make_user(Role.REVIEWER)
    cases = [
        (),
        ("--team", "1", "--agent", str(world.agent_id)),
        ("--team", "999999"),
        ("--agent", str(reviewer.id)),
        ("--all", "--as", "nobody@example.com"),
    ]
    for args in cases:
        result = _export(runner, *args, "-o", str(path))
        assert result.exit_code != 0, args
    assert list(tmp_path.iterdir()) == []
    backwards = runner.invoke(
        args=[
            "reports",
            "export",
            "--all",
            "--from",
            "2026-11-01",
            "--to",
            "2026-10-01",
            "-o",
            str(path),
        ]
    )
    assert backwards.exit_code != 0 and "--to must not be before --from" in backwards.output
