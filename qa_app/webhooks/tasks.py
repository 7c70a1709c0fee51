"""The slice's work on the app's queue: each new delivery at once, and a pass every minute.

Built per app like the jobs' own tasks (qa_app/jobs/tasks.py). The pass every minute sends the
retries that have come due and picks up any delivery the queue lost. See docs/webhooks.md.
"""

from __future__ import annotations

from flask import Flask
from huey import crontab

from .delivery import attempt, deliver_due
from .events import init_events


def init_webhooks(app: Flask) -> None:
    app.config.setdefault("WEBHOOK_TIMEOUT_SECONDS", 10)
    # Seconds to wait after the 1st, 2nd, ... failed attempt; after the last, the delivery fails.
    app.config.setdefault("WEBHOOK_RETRY_DELAYS", [60, 300, 1800, 7200, 21600])
    init_events(app)
    huey = app.extensions["huey"]

    def deliver_task(delivery_id: int) -> None:
        with app.app_context():
            attempt(delivery_id)

    def due_task() -> None:
        with app.app_context():
            deliver_due()

    app.extensions["webhooks.deliver"] = huey.task(name="webhook_deliver")(deliver_task)
    huey.periodic_task(crontab(minute="*"), name="webhook_deliver_due")(due_task)
