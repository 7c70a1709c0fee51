"""Each role's home page answers "what should I do now", and shows nothing that is not theirs."""

from __future__ import annotations

from qa_app.accounts.models import Role


def _page(login_as, user) -> str:
    response = login_as(user=user).get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_reviewer_sees_queue_drafts_calibration_and_disputes(org, login_as) -> None:
    page = _page(login_as, org.reviewer)
    assert "My queue" in page and "Bela Agent" in page and "due " in page
    assert "/evaluations/" in page and "/edit" in page  # the draft, to carry on
    assert org.session_name in page
    assert "Disputes to decide" in page and "Cili Support" in page


def test_a_reviewer_with_nothing_waiting_reads_what_to_do(app, login_as) -> None:
    page = login_as(Role.REVIEWER).get("/").get_data(as_text=True)
    assert "Nothing to evaluate: your queue is empty." in page
    assert "No drafts: every evaluation you started is submitted." in page
    assert "No calibration session waits for your scores." in page
    assert "No open disputes." in page


def test_a_lead_sees_their_team_agents_needing_attention_and_disputes(org, login_as) -> None:
    page = _page(login_as, org.lead)
    assert "Billing" in page and "Weekly quality score of your teams" in page
    assert "Agents needing attention" in page and "Anna Agent" in page
    assert "Development areas:" in page and "Action plan due" in page
    assert org.plan_title in page  # due within two weeks
    assert "Bela Agent" not in page.split("Agents needing attention")[1].split("</table>")[0]


def test_a_lead_never_sees_another_teams_data(org, login_as) -> None:
    page = _page(login_as, org.lead)
    assert "Support" not in page and "Cili Support" not in page
    other = _page(login_as, org.other_lead)
    assert "Anna Agent" not in other and "Billing" not in other and org.plan_title not in other
    assert "Cili Support" in other  # their own agent's dispute


def test_an_agent_sees_unread_scorecards_score_plan_and_disputes(org, login_as) -> None:
    page = _page(login_as, org.anna)
    assert "New scorecards" in page and 'class="home-count">4<' in page
    assert "My quality score" in page and "Latest scorecard:" in page
    assert org.plan_title in page and "Greeting" in page
    assert "My disputes" in page and ">Open<" in page


def test_an_agent_never_sees_another_agents_data(org, login_as) -> None:
    page = _page(login_as, org.anna)
    for other in ("Bela Agent", "Cili Support", "Unfair."):
        assert other not in page
    cili = _page(login_as, org.cili)
    assert org.plan_title not in cili and "Anna Agent" not in cili


def test_an_agent_without_evaluations_reads_when_they_come(app, login_as) -> None:
    page = login_as(Role.AGENT).get("/").get_data(as_text=True)
    assert "will appear here once reviewers have evaluated your interactions" in page
    assert "No action plan is running." in page
    assert "You have disputed no score." in page


def test_a_new_installation_shows_the_admin_a_checklist_with_links(app, login_as) -> None:
    page = login_as(Role.ADMIN).get("/").get_data(as_text=True)
    assert "Getting started" in page
    for path in ("/admin/teams/new", "/admin/users/new", "/scorecards/", "/interactions/import"):
        assert f'href="{path}"' in page
    assert "No interactions in the last four weeks." in page


def test_the_checklist_goes_once_set_up_and_coverage_shows(org, login_as) -> None:
    page = _page(login_as, org.admin)
    assert "Getting started" not in page
    assert "Coverage" in page and "have a submitted evaluation (8)" in page
