"""One person's data as a JSON file, for an access request (docs/privacy.md).

What the person is entitled to read: their account, the evaluations of their own interactions
that they may see (submitted, outside calibration, not hidden until their self-review), each with
its criterion scores and comments, the disputes they raised and their action plans with goals and
notes. Transcripts are not in it: they are the conversation, not the evaluation.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..database import utcnow
from ..disputes.models import Dispute
from ..evaluations.access import hidden_from_agent
from ..evaluations.models import Evaluation, EvaluationScore, EvaluationStatus
from ..extensions import db
from ..interactions.models import Interaction
from ..plans.models import ActionPlan

FORMAT = "qa-scorecard person export 1"


def _plain(value: Any) -> Any:
    """JSON for the values the models hold: dates as ISO text, decimals as numbers."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _person(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "role": str(user.role),
        "teams": [team.name for team in user.teams],
        "language": user.language,
        "created_at": user.created_at,
        "last_login_at": user.last_login_at,
    }


def _score(row: EvaluationScore) -> dict[str, Any]:
    criterion = row.criterion
    return {
        "criterion": criterion.name,
        "key": criterion.key,
        "score": row.score,
        "na": row.is_na,
        "comment": row.comment,
    }


def _evaluation(evaluation: Evaluation) -> dict[str, Any]:
    interaction, version = evaluation.interaction, evaluation.scorecard_version
    return {
        "id": evaluation.id,
        "interaction": {
            "external_id": interaction.external_id,
            "channel": str(interaction.channel),
            "occurred_at": interaction.occurred_at,
        },
        "scorecard": f"{version.name} v{version.version}",
        "reviewer": evaluation.reviewer.display_name,
        "submitted_at": evaluation.submitted_at,
        "acknowledged_at": evaluation.acknowledged_at,
        "score": evaluation.score,
        "critical_fail": evaluation.is_critical_fail,
        "strengths": evaluation.strengths,
        "improvements": evaluation.improvements,
        "criteria": [_score(row) for row in evaluation.scores],
    }


def _evaluations(user: User) -> list[dict[str, Any]]:
    stmt = (
        sa.select(Evaluation)
        .join(Evaluation.interaction)
        .where(Interaction.agent_id == user.id, Evaluation.status == EvaluationStatus.SUBMITTED)
        .where(Evaluation.is_calibration.is_(False), ~hidden_from_agent())
        .options(
            selectinload(Evaluation.scores).selectinload(EvaluationScore.criterion),
            selectinload(Evaluation.scorecard_version),
            selectinload(Evaluation.reviewer),
        )
        .order_by(Interaction.occurred_at, Evaluation.id)
    )
    return [_evaluation(evaluation) for evaluation in db.session.scalars(stmt)]


def _disputes(user: User) -> list[dict[str, Any]]:
    stmt = sa.select(Dispute).where(Dispute.raised_by_id == user.id).order_by(Dispute.id)
    return [
        {
            "id": dispute.id,
            "evaluation_id": dispute.evaluation_id,
            "raised_at": dispute.created_at,
            "reason": dispute.reason,
            "criteria": [criterion.name for criterion in dispute.criteria],
            "status": str(dispute.status),
            "resolved_at": dispute.resolved_at,
            "resolution_note": dispute.resolution_note,
        }
        for dispute in db.session.scalars(stmt.options(selectinload(Dispute.criteria)))
    ]


def _plans(user: User) -> list[dict[str, Any]]:
    stmt = sa.select(ActionPlan).where(ActionPlan.agent_id == user.id).order_by(ActionPlan.id)
    stmt = stmt.options(selectinload(ActionPlan.goals), selectinload(ActionPlan.notes))
    return [
        {
            "id": plan.id,
            "title": plan.title,
            "starts_on": plan.starts_on,
            "due_on": plan.due_on,
            "acknowledged_at": plan.acknowledged_at,
            "goals": [
                {
                    "criterion": goal.criterion_name,
                    "target_average": goal.target_average,
                    "actions": goal.actions,
                }
                for goal in plan.goals
            ],
            "notes": [{"at": note.created_at, "text": note.text} for note in plan.notes],
        }
        for plan in db.session.scalars(stmt)
    ]


def person_data(user: User) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "exported_at": utcnow(),
        "person": _person(user),
        "evaluations": _evaluations(user),
        "disputes": _disputes(user),
        "action_plans": _plans(user),
    }


def person_json(user: User) -> bytes:
    return json.dumps(person_data(user), default=_plain, ensure_ascii=False, indent=2).encode()


def filename(user: User) -> str:
    return f"person-{user.id}-{utcnow():%Y-%m-%d}.json"
