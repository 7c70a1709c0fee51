"""The slice's work on the app's queue: emails at once (with retries), reminders and digests.

Built per app like the jobs' own tasks (qa_app/jobs/tasks.py): each task is a closure over the
app and runs in an app context of its own. See docs/notifications.md.
"""

from __future__ import annotations

from flask import Flask
from huey import crontab

from ..extensions import db
from .deadlines import deadline_reminders
from .events import init_events
from .mail import mail
from .reminders import calibration_reminders, plan_reminders, send_digests, send_now


def send_due() -> tuple[int, int]:
    """Make the reminders that are due and send the digests; returns (reminders, digests)."""
    told = plan_reminders() + calibration_reminders() + deadline_reminders()
    db.session.commit()  # the reminders' emails go at commit; digests see today's reminders
    return told, send_digests()


def init_notifications(app: Flask) -> None:
    """Mail settings, the session listeners, and the tasks on the app's queue."""
    mail.init_app(app)
    init_events(app)
    huey = app.extensions["huey"]
    retries = app.config["MAIL_RETRIES"]

    def email_task(notification_id: int) -> None:
        with app.app_context():
            send_now(notification_id)

    def reminders_task() -> None:
        with app.app_context():
            plan_reminders()
            calibration_reminders()
            deadline_reminders()
            db.session.commit()

    def digest_task() -> None:
        with app.app_context():
            send_digests()

    app.extensions["notifications.email_task"] = huey.task(
        retries=retries, retry_delay=app.config["MAIL_RETRY_DELAY_SECONDS"], name="notify_email"
    )(email_task)
    hourly = crontab(minute="5")
    huey.periodic_task(hourly, name="notify_reminders")(reminders_task)
    daily = crontab(minute="0", hour=str(app.config["NOTIFICATIONS_DIGEST_HOUR"]))
    huey.periodic_task(daily, name="notify_digest")(digest_task)
