"""Emails through a real SMTP server: one per evaluation in the reader's language, digests, off."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa

from qa_app.admin.models import set_setting
from qa_app.extensions import db
from qa_app.notifications.models import Notification
from tests.conftest import choose_language
from tests.evaluations.conftest import make_interaction
from tests.evaluations.test_agent_and_disputes import GOOD, submitted_evaluation
from tests.notifications.conftest import PUBLIC_URL, parts

SCORE_ON = {"email_shows_score": "y", "acknowledge_within_days": "7"}
HU_SUBJECT = "QA Scorecard: Új értékelés az Ön munkájáról"


def test_a_new_evaluation_sends_its_agent_one_email_in_their_language(app, login_as, org, inbox):
    choose_language(app, org.agent.id, "hu")
    evaluation_id = submitted_evaluation(login_as, org)
    assert len(inbox.messages) == 1
    message = inbox.to(org.agent.email)[0]
    assert str(message["Subject"]).strip() == HU_SUBJECT
    text, html = parts(message)
    link = f"{PUBLIC_URL}/evaluations/{evaluation_id}"
    assert link in text and f'href="{link}"' in html
    assert "Nyissa meg" in text  # Hungarian words around the link, not English ones
    for secret in ("Köszönöm", "my bill", "Well handled", "Calm", "CALL-1001", "%"):
        assert secret not in text and secret not in html
    agent = login_as(user=org.agent)
    assert agent.get(urlsplit(link).path).status_code == 200  # the link opens the evaluation


def test_the_admin_setting_lets_the_score_into_the_email(app, login_as, org, inbox):
    admin = login_as("admin")
    page = admin.submit("/notifications/settings", SCORE_ON, token_from="/")
    assert page.status_code == 302
    submitted_evaluation(login_as, org)
    text, html = parts(inbox.to(org.agent.email)[0])
    assert "Score: " in text and "Score: " in html


def test_a_digest_gathers_the_days_items_into_one_email(app, login_as, org, inbox, runner):
    agent = login_as(user=org.agent)
    agent.submit("/notifications/preferences", {"evaluation_submitted": "digest"}, token_from="/")
    with app.app_context():
        second = make_interaction(org.agent.id, "CALL-1002")
        db.session.commit()
    first_id = submitted_evaluation(login_as, org)
    second_id = submitted_evaluation(login_as, org, values=GOOD, interaction_id=second)
    assert inbox.messages == []  # nothing at once
    assert "1 digest emails sent" in runner.invoke(args=["notifications", "send-due"]).output
    assert len(inbox.messages) == 1
    text, html = parts(inbox.messages[0])
    for evaluation_id in (first_id, second_id):
        assert f"{PUBLIC_URL}/evaluations/{evaluation_id}" in text
        assert f"{PUBLIC_URL}/evaluations/{evaluation_id}" in html
    runner.invoke(args=["notifications", "send-due"])
    assert len(inbox.messages) == 1  # an item goes in one digest only


def test_off_sends_nothing_and_shows_nothing(app, login_as, org, inbox):
    agent = login_as(user=org.agent)
    agent.submit("/notifications/preferences", {"evaluation_submitted": "off"}, token_from="/")
    submitted_evaluation(login_as, org)
    assert inbox.messages == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0


def test_in_the_app_only_sends_no_email(app, login_as, org, inbox):
    with app.app_context():
        set_setting("email_shows_score", "1")
        db.session.commit()
    agent = login_as(user=org.agent)
    agent.submit("/notifications/preferences", {"evaluation_submitted": "app"}, token_from="/")
    submitted_evaluation(login_as, org)
    assert inbox.messages == []
    assert 'badge">1<' in agent.get("/notifications/").get_data(as_text=True)


def test_no_email_is_queued_before_the_commit_nor_for_a_rollback(app, org):
    from qa_app.accounts.models import User
    from qa_app.evaluations import services
    from qa_app.interactions.models import Interaction
    from qa_app.scorecards.models import ScorecardVersion

    queued: list[int] = []
    app.extensions["notifications.email_task"] = queued.append
    with app.app_context():
        version = db.session.get(ScorecardVersion, org.version_id)
        reviewer = db.session.get(User, org.reviewer.id)
        interaction = db.session.get(Interaction, org.interaction_id)
        evaluation = services.start(interaction, version, reviewer)
        values = {c.id: services.CriterionInput(4, False, "") for c in version.ordered_criteria}
        data = services.EvaluationInput(values, "", "")
        services.save(evaluation, data, reviewer, submit=True, lock_version=None)
        with db.session.begin_nested():  # a savepoint released is not a commit
            db.session.flush()
        assert queued == []
        db.session.rollback()
        services.save(
            services.start(interaction, version, reviewer),
            data,
            reviewer,
            submit=True,
            lock_version=None,
        )
        db.session.commit()
    assert len(queued) == 1  # the committed one only
