"""The Job row: one piece of long work, who started it, where it stands and what came of it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import UTCDateTime, string_enum, utcnow
from ..extensions import db


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_over(self) -> bool:
        return self in ENDED


ENDED = frozenset({JobState.DONE, JobState.FAILED, JobState.CANCELLED})


class JobKind(enum.StrEnum):
    INTERACTION_IMPORT = "interaction_import"
    REPORT_EXPORT = "report_export"
    SAMPLING_RUN = "sampling_run"
    RESULTS_REBUILD = "results_rebuild"
    AUTOQA_RUN = "autoqa_run"
    SIGNALS_RUN = "signals_run"
    HELPDESK_PULL = "helpdesk_pull"


class Job(db.Model):
    """Long work run by the queue worker; see docs/jobs.md for the states and the heartbeat."""

    __tablename__ = "jobs"
    __table_args__ = (sa.Index("ix_jobs_owner_id_created_at", "owner_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[JobKind] = mapped_column(string_enum(JobKind, "job_kind", length=32))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    state: Mapped[JobState] = mapped_column(
        string_enum(JobState, "job_state"), default=JobState.QUEUED, index=True
    )
    # What the work needs (never a path from the user) and the queue's id of the task.
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    task_id: Mapped[str | None] = mapped_column(sa.String(64))
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int | None]
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    owner: Mapped[User] = relationship()
