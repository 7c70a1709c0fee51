"""Making notifications, reading and marking them, and each person's delivery choices."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..admin.models import get_setting
from ..database import utcnow
from ..extensions import db
from .models import Delivery, Notification, NotificationKind, NotificationPreference

Kind = NotificationKind
# What a person gets for a kind they never chose for: email at once for what concerns their own
# work or needs their decision, the digest for reminders and queues, the app for the rest.
DEFAULTS = {
    Kind.EVALUATION_SUBMITTED: Delivery.EMAIL,
    Kind.DISPUTE_OPENED: Delivery.EMAIL,
    Kind.DISPUTE_WAITING: Delivery.DIGEST,
    Kind.DISPUTE_DECIDED: Delivery.EMAIL,
    Kind.PLAN_DUE: Delivery.DIGEST,
    Kind.PLAN_ACHIEVED: Delivery.APP,
    Kind.CALIBRATION_OPENED: Delivery.APP,
    Kind.CALIBRATION_CLOSING: Delivery.DIGEST,
    Kind.QUEUE_ITEMS: Delivery.DIGEST,
    Kind.ACKNOWLEDGE_DUE: Delivery.EMAIL,
    Kind.APPEAL_CLOSING: Delivery.APP,
}
_PLANS = (Kind.PLAN_DUE, Kind.PLAN_ACHIEVED)
_CALIBRATION = (Kind.CALIBRATION_OPENED, Kind.CALIBRATION_CLOSING)
# The kinds a role can receive: the preferences page offers only these.
ROLE_KINDS = {
    Role.AGENT: (
        Kind.EVALUATION_SUBMITTED,
        Kind.DISPUTE_DECIDED,
        Kind.ACKNOWLEDGE_DUE,
        Kind.APPEAL_CLOSING,
        *_PLANS,
    ),
    Role.LEAD: (Kind.DISPUTE_OPENED, *_PLANS),
    Role.REVIEWER: (Kind.DISPUTE_WAITING, *_PLANS, *_CALIBRATION, Kind.QUEUE_ITEMS),
    Role.ADMIN: (Kind.DISPUTE_WAITING, *_PLANS, *_CALIBRATION, Kind.QUEUE_ITEMS),
}
PAGE_SIZE = 50


def email_shows_score() -> bool:
    """The admin setting that lets the score of a new evaluation into its email (off by default)."""
    return get_setting("email_shows_score") == "1"


def deliveries(session: Session, user_ids: Iterable[int], kind: Kind) -> dict[int, Delivery]:
    """Each user's delivery for a kind: their choice, else the default."""
    ids = set(user_ids)
    chosen = session.execute(
        sa.select(NotificationPreference.user_id, NotificationPreference.delivery).where(
            NotificationPreference.kind == kind, NotificationPreference.user_id.in_(ids)
        )
    )
    found = {user_id: delivery for user_id, delivery in chosen}
    return {user_id: found.get(user_id, DEFAULTS[kind]) for user_id in ids}


def notify(
    session: Session, user_ids: Iterable[int], kind: Kind, object_id: int
) -> list[Notification]:
    """Add one notification per active recipient who did not turn the kind off."""
    ids = set(user_ids)
    if not ids:
        return []
    active = session.scalars(sa.select(User.id).where(User.id.in_(ids), User.is_active)).all()
    made = [
        Notification(recipient_id=user_id, kind=kind, object_id=object_id, email=delivery)
        for user_id, delivery in sorted(deliveries(session, active, kind).items())
        if delivery != Delivery.OFF
    ]
    session.add_all(made)
    return made


def already_told(kind: Kind, object_id: int, user_ids: Iterable[int]) -> set[int]:
    """Who already has this notification (reminders are made once)."""
    rows = db.session.scalars(
        sa.select(Notification.recipient_id).where(
            Notification.kind == kind,
            Notification.object_id == object_id,
            Notification.recipient_id.in_(set(user_ids)),
        )
    )
    return set(rows)


def remind(kind: Kind, object_id: int, user_ids: Iterable[int]) -> int:
    """Notify those not yet told about this object; returns how many were told."""
    ids = set(user_ids) - already_told(kind, object_id, user_ids)
    made = notify(db.session, ids, kind, object_id)
    db.session.flush()
    return len(made)


def unread(user: User) -> sa.Select[tuple[int]]:
    """The user's unread notifications (the bell counts them with the menu's counts)."""
    return sa.select(Notification.id).where(
        Notification.recipient_id == user.id, Notification.read_at.is_(None)
    )


def latest_for(user: User) -> Sequence[Notification]:
    stmt = (
        sa.select(Notification)
        .where(Notification.recipient_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(PAGE_SIZE)
    )
    return db.session.scalars(stmt).all()


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()
    db.session.flush()


def mark_all_read(user: User) -> None:
    db.session.execute(
        sa.update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


def choices_of(user: User) -> dict[Kind, Delivery]:
    """The user's delivery for each kind their role can receive."""
    kinds = ROLE_KINDS[user.role]
    rows = db.session.execute(
        sa.select(NotificationPreference.kind, NotificationPreference.delivery).where(
            NotificationPreference.user_id == user.id
        )
    )
    stored = {kind: delivery for kind, delivery in rows}
    return {kind: stored.get(kind, DEFAULTS[kind]) for kind in kinds}


def save_choices(user: User, choices: dict[Kind, Delivery]) -> None:
    for kind in ROLE_KINDS[user.role]:
        if kind not in choices:
            continue
        row = db.session.get(NotificationPreference, (user.id, kind))
        if row is None:
            db.session.add(
                NotificationPreference(user_id=user.id, kind=kind, delivery=choices[kind])
            )
        else:
            row.delivery = choices[kind]
    db.session.flush()
