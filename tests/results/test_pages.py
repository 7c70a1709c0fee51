"""Every number on the result pages equals a computation from the raw evaluations and interactions
in the test."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import User
from qa_app.evaluations.models import Evaluation, EvaluationStatus, PickReason
from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from qa_app.results import queries
from qa_app.results.periods import Filters

RANGE = "period=custom&from=2026-09-07&to=2026-11-01"
START, END = date(2026, 9, 7), date(2026, 11, 1)


def raw_evaluations(app, agent_ids):
    """Submitted, non-calibration evaluations of these agents in the range, read row by row."""
    with app.app_context():
        rows = []
        for evaluation in db.session.scalars(
            sa.select(Evaluation).where(Evaluation.status == EvaluationStatus.SUBMITTED)
        ):
            interaction = evaluation.interaction
            if interaction.agent_id in agent_ids and START <= interaction.occurred_at.date() <= END:
                rows.append(
                    {
                        "targeted": evaluation.picked == PickReason.TARGETED,
                        "score": None if evaluation.score is None else float(evaluation.score),
                        "pass_mark": float(evaluation.scorecard_version.pass_mark),
                        "critical": evaluation.is_critical_fail,
                        "values": {
                            s.criterion.key: s.score
                            for s in evaluation.scores
                            if s.score is not None
                        },
                        "names": {s.criterion.key: s.criterion.name for s in evaluation.scores},
                    }
                )
        return rows


def raw_interactions(app, agent_ids):
    """Every interaction of these agents in the range, evaluated or not, each once."""
    with app.app_context():
        return [
            {"csat": interaction.csat, "nps": interaction.nps}
            for interaction in db.session.scalars(sa.select(Interaction))
            if interaction.agent_id in agent_ids and START <= interaction.occurred_at.date() <= END
        ]


def expected(rows, interactions=()):
    """QA numbers over the evaluation rows, customer metrics over the interactions."""
    scores = [r["score"] for r in rows if r["score"] is not None]
    csat = [r["csat"] for r in interactions if r["csat"] is not None]
    nps = [r["nps"] for r in interactions if r["nps"] is not None]
    passed = [r for r in rows if r["score"] is not None and r["score"] >= r["pass_mark"]]
    return {
        "evaluations": len(rows),
        "quality": f"{sum(scores) / len(scores):.2f}" if scores else "—",
        "pass_rate": f"{100 * len(passed) / len(scores):.1f}%" if scores else "—",
        "critical": sum(r["critical"] for r in rows),
        "csat": f"{100 * sum(c >= 4 for c in csat) / len(csat):.1f}%" if csat else "—",
        "nps": f"{100 * (sum(n >= 9 for n in nps) - sum(n <= 6 for n in nps)) / len(nps):.0f}"
        if nps
        else "—",
    }


def _row_cells(body: str, name: str) -> list[str]:
    row = re.search(rf">{re.escape(name)}</a></th>(.*?)</tr>", body, re.S)
    assert row, f"no row for {name}"
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]


def test_team_overview_numbers_equal_the_raw_evaluations(app, seeded, login_as):
    lead = login_as(user=_user(app, seeded.lead_ids[0]))
    body = lead.get(f"/results/teams/{seeded.team_ids[0]}?{RANGE}").get_data(as_text=True)
    for agent_id in seeded.agent_ids[:3]:
        agent = _user(app, agent_id)
        cells = _row_cells(body, agent.display_name)
        want = expected(raw_evaluations(app, {agent_id}), raw_interactions(app, {agent_id}))
        assert int(cells[0]) == want["evaluations"]
        assert cells[1] == want["quality"]
        assert cells[4] == want["pass_rate"]
        assert int(cells[5]) == want["critical"]
        assert cells[6] == want["csat"]
        assert cells[7] == want["nps"]
    team_rows = raw_evaluations(app, set(seeded.agent_ids[:3]))
    assert f'<span class="score-value">{expected(team_rows)["quality"]}</span>' in body
    assert "Found by spotlight" not in body  # no targeted evaluations: the page as before


def _user(app, user_id) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def test_agent_page_criteria_strengths_and_development_areas(app, seeded, login_as):
    agent_id = seeded.agent_ids[1]
    client = login_as(user=_user(app, agent_id))
    body = client.get(f"/results/agents/{agent_id}?{RANGE}").get_data(as_text=True)
    mine, team = raw_evaluations(app, {agent_id}), raw_evaluations(app, set(seeded.agent_ids[:3]))
    names = {k: v for r in team for k, v in r["names"].items()}
    for key, name in names.items():
        values = [r["values"][key] for r in mine if key in r["values"]]
        team_values = [r["values"][key] for r in team if key in r["values"]]
        row = re.search(
            rf'<tr data-key="{key}"[^>]*>\s*<td dir="auto">[^<]*</td>(.*?)</tr>', body, re.S
        )
        assert row, name
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
        ]
        average = sum(values) / len(values) if values else None
        team_average = sum(team_values) / len(team_values)
        assert cells[0] == (f"{average:.2f}" if values else "—")
        assert int(cells[1]) == len(values)
        assert cells[2] == f"{team_average:.2f}"
        strength = len(values) >= 3 and average >= 4.0
        development = len(values) >= 3 and (average < 3.0 or average < team_average - 0.5)
        reading = "Development area" if development else ("Strength" if strength else "")
        assert cells[4] == reading, name


def test_charts_are_private_svg_with_a_text_alternative(app, seeded, login_as):
    lead = login_as(user=_user(app, seeded.lead_ids[0]))
    team_page = lead.get(f"/results/teams/{seeded.team_ids[0]}?{RANGE}").get_data(as_text=True)
    assert (
        'aria-label="Weekly quality score of the team' in team_page
        and "<caption>Weekly quality score of the team</caption>" in team_page
    )
    for path in (
        f"/results/teams/{seeded.team_ids[0]}/trend.svg",
        f"/results/teams/{seeded.team_ids[0]}/distribution.svg",
        f"/results/agents/{seeded.agent_ids[0]}/trend.svg",
        f"/results/agents/{seeded.agent_ids[0]}/criteria.svg",
    ):
        response = lead.get(f"{path}?{RANGE}")
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        # They show scores: the reader's browser may keep them, asking each time; nobody else.
        assert response.headers["Cache-Control"] == "private, no-cache"
        assert response.data.lstrip().startswith(b"<?xml") and b"<svg" in response.data


def test_leads_and_agents_see_only_their_own_results(app, seeded, login_as):
    lead = login_as(user=_user(app, seeded.lead_ids[0]))
    assert lead.get(f"/results/teams/{seeded.team_ids[1]}").status_code == 404
    assert lead.get(f"/results/agents/{seeded.agent_ids[4]}").status_code == 404
    assert lead.get(f"/results/agents/{seeded.agent_ids[4]}/trend.svg").status_code == 404
    agent = login_as(user=_user(app, seeded.agent_ids[0]))
    assert agent.get(f"/results/agents/{seeded.agent_ids[1]}").status_code == 404
    assert agent.get(f"/results/teams/{seeded.team_ids[0]}").status_code == 404
    assert (
        agent.get("/results/")
        .headers["Location"]
        .startswith(f"/results/agents/{seeded.agent_ids[0]}")
    )


def test_filters_stay_in_the_url_and_bad_values_are_explained(app, seeded, login_as):
    reviewer = login_as(user=_user(app, seeded.reviewer_id))
    body = reviewer.get(
        "/results/?period=custom&from=2026-13-01&to=2026-11-01&channel=fax"
    ).get_data(as_text=True)
    assert "Dates must look like 2026-03-31." in body and "Unknown channel" in body
    page = reviewer.get(f"/results/?{RANGE}&channel=chat").get_data(as_text=True)
    assert "period=custom&amp;from=2026-09-07&amp;to=2026-11-01&amp;channel=chat" in page


@pytest.mark.parametrize("period", ["week", "month"])
def test_week_and_month_periods(app, seeded, login_as, period):
    reviewer = login_as(user=_user(app, seeded.reviewer_id))
    response = reviewer.get(f"/results/teams/{seeded.team_ids[0]}?period={period}&from=2026-10-14")
    assert response.status_code == 200
    start = "2026-10-12" if period == "week" else "2026-10-01"
    assert f'value="{start}"' in response.get_data(as_text=True)


def test_draft_scorecards_are_offered_as_a_filter_only_to_those_who_may_see_drafts(
    app, seeded, login_as
):
    from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
    from qa_app.scorecards.services import import_doc

    with app.app_context():
        import_doc(load_shipped_template(SHIPPED_DIR / "email.yaml"), None)
        db.session.commit()
    option = re.compile(r'<option value="\d+"[^>]*>Email</option>')
    agent = login_as(user=_user(app, seeded.agent_ids[0]))
    agent_page = agent.get(f"/results/agents/{seeded.agent_ids[0]}").get_data(as_text=True)
    assert ">Phone</option>" in agent_page and not option.search(agent_page)
    lead = login_as(user=_user(app, seeded.lead_ids[0]))
    lead_page = lead.get(f"/results/teams/{seeded.team_ids[0]}").get_data(as_text=True)
    assert ">Phone</option>" in lead_page and not option.search(lead_page)
    reviewer = login_as(user=_user(app, seeded.reviewer_id))
    assert option.search(reviewer.get("/results/").get_data(as_text=True))


@pytest.mark.parametrize("extra", ["_external=1", "agent_id=999", "team_id=999", "_method=POST"])
def test_only_filters_are_passed_on_by_the_result_redirects(app, seeded, login_as, extra):
    agent = login_as(user=_user(app, seeded.agent_ids[0]))
    lead = login_as(user=_user(app, seeded.lead_ids[0]))
    for client, target in (
        (agent, f"/results/agents/{seeded.agent_ids[0]}"),
        (lead, f"/results/teams/{seeded.team_ids[0]}"),
    ):
        response = client.get(f"/results/?{extra}&channel=chat")  # _external: a full URL
        assert response.status_code == 302
        assert response.headers["Location"] == f"{target}?channel=chat"


def _spotlight_line(body: str) -> str:
    found = re.search(r'<p class="spotlight-line">(.*?)\n', body, re.S)
    assert found, "no spotlight line"
    return found.group(1)


def _split(rows):
    return [r for r in rows if not r["targeted"]], [r for r in rows if r["targeted"]]


def test_headline_leaves_targeted_evaluations_out_and_shows_them_apart(app, mixed, login_as):
    lead = login_as(user=_user(app, mixed.lead_ids[0]))
    team_ids = set(mixed.agent_ids[:3])
    body = lead.get(f"/results/teams/{mixed.team_ids[0]}?{RANGE}").get_data(as_text=True)
    headline, targeted = _split(raw_evaluations(app, team_ids))
    want, found = expected(headline), expected(targeted)
    assert headline and targeted and want["quality"] != expected(headline + targeted)["quality"]
    assert f'<span class="score-value">{want["quality"]}</span>' in body
    assert f"<dt>Evaluations</dt><dd>{want['evaluations']}</dd>" in body
    assert f"<dt>Pass rate</dt><dd>{want['pass_rate']}</dd>" in body
    assert _spotlight_line(body) == (
        f"Found by spotlight: {found['evaluations']} evaluations, average {found['quality']},"
        f" pass rate {found['pass_rate']}."
    )
    # The weekly trend counts the headline's evaluations only.
    caption = "<caption>Weekly quality score of the team</caption>"
    weeks = re.search(rf"{caption}(.*?)</table>", body, re.S)
    counts = re.findall(r'<td class="num">(\d+)</td><td class="num">', weeks.group(1))
    assert sum(map(int, counts)) == want["evaluations"]
    reviewer = login_as(user=_user(app, mixed.reviewer_id))
    org = reviewer.get(f"/results/?{RANGE}").get_data(as_text=True)
    _everyone, everyone_found = _split(raw_evaluations(app, set(mixed.agent_ids)))
    assert f"Found by spotlight: {len(everyone_found)} evaluations" in _spotlight_line(org)


def test_agent_criteria_count_every_pick(app, mixed, login_as):
    agent_id = mixed.agent_ids[1]
    client = login_as(user=_user(app, agent_id))
    body = client.get(f"/results/agents/{agent_id}?{RANGE}").get_data(as_text=True)
    rows = raw_evaluations(app, {agent_id})
    headline, targeted = _split(rows)
    assert f'<span class="score-value">{expected(headline)["quality"]}</span>' in body
    assert f"Found by spotlight: {len(targeted)} evaluation" in _spotlight_line(body)
    key = sorted({k for r in targeted for k in r["values"]})[0]  # a criterion they scored
    values = [r["values"][key] for r in rows if key in r["values"]]
    row = re.search(rf'<tr data-key="{key}"[^>]*>(.*?)</tr>', body, re.S)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row[1])]
    assert cells[1:3] == [f"{sum(values) / len(values):.2f}", str(len(values))]


def test_a_team_without_agents_shows_empty_results_everywhere(app, seeded, make_team, login_as):
    """An empty team is an empty list of agents, a parameter of the kept statements: its page
    and the organisation's show it with nothing counted."""
    lead = _user(app, seeded.lead_ids[0])
    empty = make_team("Nobody yet", lead=lead)
    as_lead = login_as(user=lead)
    page = as_lead.get(f"/results/teams/{empty.id}?{RANGE}")
    assert page.status_code == 200 and "Nobody yet" in page.get_data(as_text=True)
    # The lead now leads two teams: the overview of both, the empty one with nothing in it.
    overview = as_lead.get(f"/results/?{RANGE}")
    assert overview.status_code == 200
    body = overview.get_data(as_text=True)
    assert "Nobody yet" in body and "North" in body
    reviewer = login_as(user=_user(app, seeded.reviewer_id))
    organisation = reviewer.get(f"/results/?{RANGE}")
    assert organisation.status_code == 200 and "Nobody yet" in organisation.get_data(as_text=True)
    with app.app_context():
        by_team, everyone = queries.totals_by_team_and_all(Filters("custom", START, END))
    assert empty.id not in by_team and by_team[seeded.team_ids[0]].evaluations > 0
    assert everyone.evaluations == len(raw_evaluations(app, set(seeded.agent_ids)))
