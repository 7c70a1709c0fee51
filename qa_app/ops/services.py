"""Readiness: the database answers, and so does every service another slice registered."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask, current_app

from ..extensions import db

# A check raises when its service cannot be reached; its function name is shown in /readyz.
ReadinessCheck = Callable[[], object]
READINESS_CHECKS = "readiness_checks"


def add_readiness_check(app: Flask, check: ReadinessCheck) -> None:
    """Make /readyz also require `check` (e.g. the job queue, once one is configured)."""
    app.extensions.setdefault(READINESS_CHECKS, []).append(check)


def database() -> None:
    """One trivial query on a pooled connection."""
    with db.engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))


def failed_checks() -> dict[str, str]:
    """The name and error type of each check that failed; empty when the app is ready."""
    checks: list[ReadinessCheck] = [database, *current_app.extensions.get(READINESS_CHECKS, [])]
    failed: dict[str, str] = {}
    for check in checks:
        name = getattr(check, "__name__", repr(check))
        try:
            check()
        except Exception as error:  # any failure means "not ready"; the details go to the log
            current_app.logger.warning("readiness check %s failed: %r", name, error)
            failed[name] = type(error).__name__
    return failed
