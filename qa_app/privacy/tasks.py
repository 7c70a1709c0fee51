"""The daily retention run on the app's queue (a Huey periodic task, like the digests).

Built per app as the other slices' tasks are (qa_app/jobs/tasks.py): a closure over the app that
runs in an app context of its own. See docs/privacy.md.
"""

from __future__ import annotations

import logging

from flask import Flask
from huey import crontab

from ..extensions import db
from .services import run_retention

logger = logging.getLogger(__name__)


def init_privacy(app: Flask) -> None:
    """Register the daily retention run on the app's queue (the worker runs it)."""
    huey = app.extensions["huey"]

    def retention_task() -> None:
        with app.app_context():
            cleared = run_retention()
            db.session.commit()
            if cleared:
                logger.info("Retention removed the transcripts of %s interactions", cleared)

    daily = crontab(minute="30", hour=str(app.config["RETENTION_HOUR"]))
    huey.periodic_task(daily, name="privacy_retention")(retention_task)
