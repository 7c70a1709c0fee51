"""Notification emails: text and HTML in the reader's language, a link instead of the data.

Sent over SMTP with Flask-Mailman (settings MAIL_SERVER, MAIL_PORT...; docs/notifications.md).
The body names the kind of event and links to the page; it never carries a transcript, a comment
or a score, unless an admin lets a new evaluation's score in (security check 22).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mailman import EmailMultiAlternatives, Mail

from ..accounts.models import User
from ..evaluations.models import Evaluation
from ..extensions import db
from ..i18n import DEFAULT_LANGUAGE
from ..ui.filters import format_score
from ..ui.labels import label
from .models import Notification, NotificationKind
from .services import email_shows_score

mail = Mail()
Kind = NotificationKind
# The page each kind links to, and the name of its id in that route.
TARGETS = {
    Kind.EVALUATION_SUBMITTED: ("evaluations.view", "evaluation_id"),
    Kind.DISPUTE_OPENED: ("disputes.resolve", "dispute_id"),
    Kind.DISPUTE_WAITING: ("disputes.resolve", "dispute_id"),
    Kind.DISPUTE_DECIDED: ("evaluations.view", "evaluation_id"),
    Kind.PLAN_DUE: ("plans.view", "plan_id"),
    Kind.PLAN_ACHIEVED: ("plans.view", "plan_id"),
    Kind.CALIBRATION_OPENED: ("calibration.view", "session_id"),
    Kind.CALIBRATION_CLOSING: ("calibration.view", "session_id"),
    Kind.QUEUE_ITEMS: ("sampling.queue", None),
    Kind.ACKNOWLEDGE_DUE: ("evaluations.view", "evaluation_id"),
    Kind.APPEAL_CLOSING: ("evaluations.view", "evaluation_id"),
}


def target(notification: Notification) -> tuple[str, dict[str, Any]]:
    endpoint, name = TARGETS[notification.kind]
    return endpoint, ({name: notification.object_id} if name else {})


def absolute_link(notification: Notification) -> str:
    """The page's full address under PUBLIC_URL; a worker has no request to take a host from."""
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    endpoint, values = target(notification)
    return adapter.build(endpoint, values, force_external=True)


def mail_enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _score_line(notification: Notification) -> str | None:
    if notification.kind != Kind.EVALUATION_SUBMITTED or not email_shows_score():
        return None
    evaluation = db.session.get(Evaluation, notification.object_id)
    if evaluation is None or evaluation.score is None:
        return None
    return _("Score: %(score)s", score=format_score(evaluation.score))


def _item(notification: Notification) -> dict[str, str | None]:
    return {
        "title": label(notification.kind),
        "link": absolute_link(notification),
        "score": _score_line(notification),
    }


def _send(user: User, subject: str, template: str, items: list[dict[str, str | None]]) -> None:
    context = {"user": user, "items": items}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_template(f"notifications/{template}.txt", **context),
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[user.email],
    )
    message.attach_alternative(
        render_template(f"notifications/{template}.html", **context), "text/html"
    )
    message.send()


def send_one(notification: Notification) -> None:
    """The email of one notification, in its recipient's language."""
    user = db.session.get(User, notification.recipient_id)
    assert user is not None
    with force_locale(user.language or DEFAULT_LANGUAGE):
        item = _item(notification)
        subject = _("QA Scorecard: %(what)s", what=item["title"])
        _send(user, subject, "email", [item])


def send_digest(user: User, notifications: Sequence[Notification]) -> None:
    """One email gathering a day's notifications."""
    with force_locale(user.language or DEFAULT_LANGUAGE):
        items = [_item(n) for n in notifications]
        subject = _("QA Scorecard: your daily summary")
        _send(user, subject, "digest", items)
