"""Each evaluation's copies of its interaction's agent, time (and UTC day) and channel stay
exact."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from qa_app.database import utcnow
from qa_app.evaluations.copies import mismatches, utc_date
from qa_app.evaluations.models import Evaluation, EvaluationStatus
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction

from .conftest import make_interaction


def _evaluation(org, interaction_id: int) -> Evaluation:
    return Evaluation(
        interaction_id=interaction_id,
        scorecard_version_id=org.version_id,
        reviewer_id=org.reviewer.id,
        status=EvaluationStatus.SUBMITTED,
        submitted_at=utcnow(),
    )


def _stored(evaluation_id: int) -> tuple:
    columns = (Evaluation.agent_id, Evaluation.occurred_at, Evaluation.channel)
    day = Evaluation.occurred_on
    return db.session.execute(sa.select(*columns, day).where(Evaluation.id == evaluation_id)).one()


def _of(found: Interaction | Evaluation) -> tuple:
    day = found.occurred_on if isinstance(found, Evaluation) else utc_date(found.occurred_at)
    return (found.agent_id, found.occurred_at, found.channel, day)


def test_a_new_or_moved_evaluation_copies_its_interaction(app, org):
    with app.app_context():
        evaluation = _evaluation(org, org.interaction_id)
        db.session.add(evaluation)
        db.session.commit()
        first = db.session.get(Interaction, org.interaction_id)
        assert _stored(evaluation.id) == _of(first)
        email = make_interaction(org.other_agent.id, "MAIL-1", Channel.EMAIL)
        evaluation.interaction_id = email  # by id
        db.session.commit()
        day = utc_date(first.occurred_at)
        assert _stored(evaluation.id) == (org.other_agent.id, first.occurred_at, Channel.EMAIL, day)
        evaluation.interaction = first  # by the related object
        db.session.commit()
        assert _stored(evaluation.id) == _of(first)
        assert db.session.scalars(mismatches()).all() == []


def test_an_interaction_that_changes_passes_it_to_its_evaluations(app, org):
    with app.app_context():
        evaluations = [_evaluation(org, org.interaction_id) for _ in range(2)]
        untouched = _evaluation(org, org.other_interaction_id)
        db.session.add_all([*evaluations, untouched])
        db.session.commit()
        lock = evaluations[0].lock_version
        interaction = db.session.get(Interaction, org.interaction_id)
        moment = datetime(2026, 1, 6, 0, 59, tzinfo=timezone(timedelta(hours=1)))  # 5th in UTC
        interaction.agent_id, interaction.occurred_at = org.other_agent.id, moment
        interaction.channel = Channel.CHAT
        db.session.flush()
        wanted = (org.other_agent.id, moment, Channel.CHAT, date(2026, 1, 5))
        # Told in this session at once, and stored, without counting as an edit.
        assert [_of(e) for e in evaluations] == [wanted, wanted]
        db.session.commit()
        assert [_stored(e.id) for e in evaluations] == [wanted, wanted]
        assert evaluations[0].lock_version == lock
        assert _stored(untouched.id)[0] == org.other_agent.id  # its own interaction's agent
        interaction.occurred_at = moment + timedelta(days=1)
        db.session.flush()
        db.session.rollback()  # a change that is rolled back leaves nothing behind
        assert db.session.scalars(mismatches()).all() == []


def test_the_evaluation_list_filters_read_the_copies(login_as, app, org):
    with app.app_context():
        db.session.add(_evaluation(org, org.interaction_id))
        db.session.commit()
        interaction = db.session.get(Interaction, org.interaction_id)
        interaction.agent_id, interaction.channel = org.other_agent.id, Channel.EMAIL
        db.session.commit()
    client = login_as(user=org.reviewer)

    def listed(query: str) -> bool:
        return "CALL-1001" in client.get(f"/evaluations/?{query}").get_data(as_text=True)

    assert listed(f"agent={org.other_agent.id}") and not listed(f"agent={org.agent.id}")
    assert listed("channel=email") and not listed("channel=call")
    assert listed("from=2026-11-02&to=2026-11-02") and not listed("from=2026-11-03")
    # The agent now handling the interaction sees its evaluation, the former one no longer.
    assert "CALL-1001" in login_as(user=org.other_agent).get("/my/scorecards").get_data(
        as_text=True
    )
    assert "CALL-1001" not in login_as(user=org.agent).get("/my/scorecards").get_data(as_text=True)
