"""The interaction list, one interaction, and the form: who sees what, filters, escaping."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from qa_app.accounts.models import Role
from qa_app.interactions.models import Channel

NEW = "/interactions/new"


def _external_ids(body: str) -> list[str]:
    return re.findall(r'<td dir="auto">(EXT-\d+|[A-Z]+-\d+)</td>', body)


@pytest.fixture
def teams(make_user, make_team, make_interaction):
    """Two teams with a lead and an agent each, and one interaction per agent."""
    found = {}
    for name in ("Billing", "Technical"):
        lead = make_user(Role.LEAD)
        team = make_team(name, lead=lead)
        agent = make_user(Role.AGENT, team=team, name=f"{name} agent")
        found[name] = {
            "lead": lead,
            "team": team,
            "agent": agent,
            "interaction": make_interaction(agent, external_id=f"{name.upper()}-1"),
        }
    return found


def test_lead_sees_only_their_teams_interactions(login_as, teams):
    client = login_as(user=teams["Billing"]["lead"])
    body = client.get("/interactions").get_data(as_text=True)
    assert _external_ids(body) == ["BILLING-1"]
    assert "Technical agent" not in body


def test_lead_gets_404_for_another_teams_interaction(login_as, teams):
    client = login_as(user=teams["Billing"]["lead"])
    other = teams["Technical"]["interaction"]
    response = client.get(f"/interactions/{other.id}")
    assert response.status_code == 404
    assert "TECHNICAL-1" not in response.get_data(as_text=True)
    own = teams["Billing"]["interaction"]
    assert client.get(f"/interactions/{own.id}").status_code == 200


def test_lead_cannot_widen_the_list_with_another_teams_filters(login_as, teams):
    client = login_as(user=teams["Billing"]["lead"])
    other = teams["Technical"]
    query = f"/interactions?team={other['team'].id}&agent={other['agent'].id}"
    body = client.get(query).get_data(as_text=True)
    assert "TECHNICAL-1" not in body
    assert "Not a valid choice" in body


def test_agent_sees_own_interaction_and_404_for_another(login_as, teams):
    client = login_as(user=teams["Billing"]["agent"])
    own, other = teams["Billing"]["interaction"], teams["Technical"]["interaction"]
    assert client.get(f"/interactions/{own.id}").status_code == 200
    response = client.get(f"/interactions/{other.id}")
    assert response.status_code == 404 and "TECHNICAL-1" not in response.get_data(as_text=True)
    assert client.get("/interactions").status_code == 403


def test_guessed_interaction_ids_give_404(login_as, teams):
    client = login_as(user=teams["Billing"]["agent"])
    for interaction_id in (0, 2, 999_999):
        assert client.get(f"/interactions/{interaction_id}").status_code == 404


def test_the_menu_shows_interactions_to_staff_only(login_as):
    assert 'href="/interactions"' in login_as(Role.LEAD).get("/").get_data(as_text=True)
    assert 'href="/interactions"' not in login_as(Role.AGENT).get("/").get_data(as_text=True)


def test_filters_narrow_the_list(login_as, teams, make_interaction):
    billing = teams["Billing"]["agent"]
    make_interaction(
        billing,
        external_id="CALL-1",
        channel=Channel.CALL,
        occurred_at=datetime(2026, 4, 10, 23, 30, tzinfo=UTC),
    )
    client = login_as(Role.REVIEWER)

    def ids(query: str) -> list[str]:
        return sorted(_external_ids(client.get(f"/interactions?{query}").get_data(as_text=True)))

    assert ids("") == ["BILLING-1", "CALL-1", "TECHNICAL-1"]
    assert ids(f"agent={billing.id}") == ["BILLING-1", "CALL-1"]
    assert ids(f"team={teams['Technical']['team'].id}") == ["TECHNICAL-1"]
    assert ids("channel=call") == ["CALL-1"]
    assert ids("date_from=2026-04-10&date_to=2026-04-10") == ["CALL-1"]
    assert ids("date_to=2026-04-09") == ["BILLING-1", "TECHNICAL-1"]
    assert ids("date_from=not-a-date") == ["BILLING-1", "CALL-1", "TECHNICAL-1"]


def _link(body: str, name: str) -> str:
    """The href of the pager's link with this text."""
    found = re.search(rf'<a href="([^"]+)"[^>]*>{name}</a>', body)
    assert found, name
    return found.group(1).replace("&amp;", "&")


def test_the_list_pages_by_fifty_and_keeps_the_filters(login_as, make_user, make_interaction):
    agent = make_user(Role.AGENT)
    for _ in range(55):
        make_interaction(agent, channel=Channel.EMAIL)
    make_interaction(agent, channel=Channel.CALL)
    client = login_as(Role.ADMIN)
    first = client.get("/interactions?channel=email").get_data(as_text=True)
    assert len(_external_ids(first)) == 50 and "55 interactions" in first
    assert "channel=email&amp;after=" in first and "Newer" not in first
    second = client.get(_link(first, "Older")).get_data(as_text=True)
    assert len(_external_ids(second)) == 5 and "Older" not in second
    assert set(_external_ids(first)).isdisjoint(_external_ids(second))
    back = client.get(_link(second, "Newer")).get_data(as_text=True)
    assert _external_ids(back) == _external_ids(first)
    # A link of the old numbered pages still opens the list (at its start).
    old = client.get("/interactions?channel=email&page=2").get_data(as_text=True)
    assert _external_ids(old) == _external_ids(first)


def test_the_detail_page_lays_out_turns_as_a_conversation(login_as, make_user, make_interaction):
    agent = make_user(Role.AGENT, name="Zsófia Tóth")
    interaction = make_interaction(
        agent,
        transcript_turns=[
            {"speaker": "Zsófia", "text": "Jó napot!\nMiben segíthetek?", "at": 65},
            {"speaker": "Πελάτης", "text": "مرحبا", "at": "00:01:10"},
        ],
        csat=4,
        nps=9,
        first_contact_resolved=False,
        handle_seconds=3725,
        recording_url="https://recordings.example.com/call/1.mp3",
    )
    body = login_as(Role.REVIEWER).get(f"/interactions/{interaction.id}").get_data(as_text=True)
    assert '<span class="speaker" dir="auto">Zsófia</span>' in body
    assert '<span class="at">1:05</span>' in body and '<span class="at">00:01:10</span>' in body
    assert '<div class="turn-text" dir="auto">Jó napot!\nMiben segíthetek?</div>' in body
    assert "4 / 5" in body and "9 / 10" in body and "1:02:05" in body
    assert '<a href="https://recordings.example.com/call/1.mp3" rel="noopener noreferrer"' in body


def test_plain_transcripts_keep_their_lines(login_as, make_user, make_interaction):
    text = "Agent: Καλησπέρα\n\nCustomer:   నమస్కారం"
    interaction = make_interaction(make_user(Role.AGENT), transcript_text=text)
    body = login_as(Role.REVIEWER).get(f"/interactions/{interaction.id}").get_data(as_text=True)
    assert f'<pre class="transcript" dir="auto">{text}</pre>' in body


def test_stored_text_is_escaped_on_pages(login_as, make_user, make_interaction):
    script = '<script>alert("x")</script>'
    interaction = make_interaction(
        make_user(Role.AGENT),
        external_id="XSS-1",
        subject=script,
        transcript_turns=[{"speaker": script, "text": script}],
        recording_url="javascript:alert(1)",
    )
    client = login_as(Role.REVIEWER)
    for url in ("/interactions", f"/interactions/{interaction.id}"):
        body = client.get(url).get_data(as_text=True)
        assert script not in body and "&lt;script&gt;" in body
    assert "javascript:" not in body


def test_the_form_shows_every_problem_and_stores_nothing(login_as, make_user, stored):
    lead = make_user(Role.LEAD)
    client = login_as(Role.REVIEWER)
    response = client.submit(
        NEW,
        {
            "external_id": "",
            "channel": "fax",
            "agent_email": lead.email,
            "occurred_at": "tomorrow",
            "csat": "6",
            "recording_url": "javascript:alert(1)",
        },
        token_from=NEW,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    for message in (
        "is required",
        "must be one of call, chat, email",
        "not an agent",
        "must be an ISO 8601 date and time",
        "must be a whole number from 1 to 5",
        "must be an http:// or https:// address",
    ):
        assert message in body
    assert stored() == []


def test_the_form_stores_one_interaction_with_its_text_exact(login_as, make_user, stored):
    agent = make_user(Role.AGENT)
    other = make_user(Role.AGENT)
    client = login_as(Role.ADMIN)
    transcript = "Line one  \r\nΓραμμή δύο"
    values = {
        "external_id": "MAN-1",
        "channel": "email",
        "agent_email": agent.email,
        "occurred_at": "2026-03-05T08:00",
        "transcript": transcript,
        "first_contact_resolved": "yes",
        "agent_id": str(other.id),  # an extra field changes nothing
    }
    response = client.submit(NEW, values, token_from=NEW)
    [interaction] = stored()
    assert response.headers["Location"] == f"/interactions/{interaction.id}"
    assert (interaction.agent_id, interaction.transcript_text) == (agent.id, transcript)
    assert interaction.occurred_at == datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
    assert interaction.import_batch_id is None and interaction.first_contact_resolved is True
    again = client.submit(NEW, values, token_from=NEW).get_data(as_text=True)
    assert "another interaction already has this external_id" in again
    assert len(stored()) == 1


def test_the_list_filters_evaluated_and_not_yet(app, login_as, make_user, make_interaction):
    from qa_app.accounts.models import User
    from qa_app.evaluations import services
    from qa_app.extensions import db
    from qa_app.interactions.models import Interaction
    from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
    from qa_app.scorecards.services import import_doc

    agent = make_user(Role.AGENT)
    reviewer = make_user(Role.REVIEWER)
    done = make_interaction(agent, external_id="DONE-1")
    make_interaction(agent, external_id="WAIT-1")
    with app.app_context():
        version = import_doc(
            load_shipped_template(SHIPPED_DIR / "chat.yaml"), None, publish_now=True
        )
        evaluation = services.start(
            db.session.get(Interaction, done.id), version, db.session.get(User, reviewer.id)
        )
        values = {c.id: services.CriterionInput(4, False, "") for c in version.ordered_criteria}
        services.save(
            evaluation,
            services.EvaluationInput(values, "", ""),
            evaluation.reviewer,
            submit=True,
            lock_version=None,
        )
        db.session.commit()
    client = login_as(user=reviewer)
    evaluated = client.get("/interactions?evaluated=yes").get_data(as_text=True)
    pending = client.get("/interactions?evaluated=no").get_data(as_text=True)
    assert "DONE-1" in evaluated and "WAIT-1" not in evaluated
    assert "WAIT-1" in pending and "DONE-1" not in pending


@pytest.mark.parametrize("selected", [False, True])
def test_the_filters_long_selects_write_the_markup_wtforms_writes(selected):
    """The agent and team selects write their options in one step each (ManyOptions): the
    same markup as WTForms' own select, hostile names escaped alike."""
    from wtforms.fields.choices import Choice
    from wtforms.widgets import Select

    from qa_app.interactions.forms import ManyOptions

    choices = [
        Choice("", "All agents", False, None),
        Choice("7", 'Ann "<b>" & Co', selected, None),
        Choice("8", "Őrs Ünőke", False, None),
        Choice("9", "", False, None),  # no name: the value stands in
    ]
    for choice in choices:
        assert ManyOptions.render_option(choice) == Select.render_option(choice)
