"""Setting up and closing calibration sessions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from ..accounts.models import Role, User
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..interactions.models import Interaction
from ..scorecards.models import ScorecardVersion, Status
from .models import CalibrationSession

SCORERS = (Role.ADMIN, Role.REVIEWER)
MAX_INTERACTIONS = 50


class CalibrationError(UserError):
    """A user-facing reason why a session could not be set up."""


@dataclass(frozen=True)
class SessionInput:
    name: str
    scorecard_version_id: int
    external_ids: Sequence[str]
    participant_ids: Sequence[int]
    expert_id: int | None
    deadline: datetime  # timezone-aware UTC


def parse_external_ids(text: str) -> list[str]:
    """External ids separated by new lines or commas, in order, without blanks or repeats."""
    found = (part.strip() for part in re.split(r"[\n,]", text or ""))
    return list(dict.fromkeys(part for part in found if part))


def _interactions(external_ids: Sequence[str], problems: list[str]) -> list[Interaction]:
    if not external_ids:
        problems.append(_("Name at least one interaction."))
        return []
    if len(external_ids) > MAX_INTERACTIONS:
        problems.append(_("A session takes at most %(max)d interactions.", max=MAX_INTERACTIONS))
        return []
    stmt = sa.select(Interaction).where(Interaction.external_id.in_(external_ids))
    by_id = {i.external_id: i for i in db.session.scalars(stmt)}
    unknown = [eid for eid in external_ids if eid not in by_id]
    if unknown:
        problems.append(
            ngettext(
                "No interaction has the external id %(ids)s.",
                "No interactions have the external ids %(ids)s.",
                len(unknown),
                ids=", ".join(unknown),
            )
        )
    return [by_id[eid] for eid in external_ids if eid in by_id]


def _scorers(ids: Sequence[int], problems: list[str]) -> list[User]:
    stmt = sa.select(User).where(User.id.in_(ids), User.role.in_(SCORERS), User.is_active.is_(True))
    users = list(db.session.scalars(stmt))
    if len(users) != len(set(ids)):
        problems.append(_("Participants and the expert must be active reviewers or admins."))
    return users


def _resolve(data: SessionInput) -> tuple[ScorecardVersion, list[Interaction], list[User]]:
    """The session's scorecard, interactions and participants; every problem at once."""
    problems: list[str] = []
    if not data.name.strip():
        problems.append(_("Give the session a name."))
    version = db.session.get(ScorecardVersion, data.scorecard_version_id)
    if version is None or version.status != Status.PUBLISHED:
        problems.append(_("Choose a published scorecard."))
    interactions = _interactions(data.external_ids, problems)
    ids = list(
        dict.fromkeys([*data.participant_ids, *([data.expert_id] if data.expert_id else [])])
    )
    participants = _scorers(ids, problems)
    if len(ids) < 2:
        problems.append(_("Invite at least two reviewers: agreement needs more than one."))
    if data.deadline <= utcnow():
        problems.append(_("Set a deadline in the future."))
    if problems or version is None:
        raise CalibrationError(" ".join(problems))
    return version, interactions, participants


def create_session(leader: User, data: SessionInput) -> CalibrationSession:
    """A new open session led by its creator; the expert always scores too."""
    version, interactions, participants = _resolve(data)
    session = CalibrationSession(
        name=data.name.strip(),
        scorecard_version=version,
        leader_id=leader.id,
        expert_id=data.expert_id,
        deadline=data.deadline,
        interactions=interactions,
        participants=participants,
    )
    db.session.add(session)
    db.session.flush()
    return session


def close_session(session: CalibrationSession) -> None:
    """End scoring now and open the results (a closed session stays closed)."""
    if session.closed_at is None:
        session.closed_at = utcnow()
        db.session.flush()
