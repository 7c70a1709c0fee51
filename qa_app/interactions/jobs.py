"""Big web imports as a job kind: the worker runs the same all-or-nothing import on the file."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask_babel import lazy_gettext as _l

from ..jobs import files
from ..jobs import services as jobs
from ..jobs.models import Job, JobKind, JobState
from ..jobs.services import JobEndHook, Outcome, Runner
from .hooks import prepare_import_hooks
from .services import ImportReport, RowProblem, after_import, count_records, import_interactions

# What the progress bar counts, as the job page words it.
ROWS = _l("%(done)s of %(total)s rows")


def run_import_job(job: Job) -> Outcome:
    """The web import, run by the worker on the file saved for it: all or nothing."""
    path = files.upload_path(job.params)
    file_format = job.params.get("file_format") or None
    with path.open("rb") as stream:
        total = count_records(stream, file_format)
    progress = jobs.Progress(job.id, total)
    progress(0)
    with path.open("rb") as stream:
        report = import_interactions(
            stream,
            source_name=job.params.get("source_name"),
            created_by=job.owner,
            progress=progress,
            file_format=file_format,
        )
    return Outcome(report.ok, asdict(report), report.rows_total)  # the report says what failed


def import_report(result: dict[str, Any]) -> ImportReport:
    """An import job's stored result, as the report the import page shows."""
    problems = [RowProblem(**problem) for problem in result.get("problems", [])]
    return ImportReport(**{**result, "problems": problems})


def hooks_after(kind: JobKind) -> JobEndHook:
    """A job-end hook: once an import job of `kind` ended done (its rows are committed with its
    end), the other features' hooks on the rows it added (services.after_import)."""

    def after(_session: object, ended: JobKind, state: JobState, _job: int, result: Any) -> None:
        if ended == kind and state == JobState.DONE and isinstance(result, dict):
            after_import(import_report(result))

    return after


def register_jobs() -> None:
    """Big web imports run as jobs (called once by create_app)."""
    runner = Runner(run_import_job, "interactions/_job_result.html", import_report, ROWS)
    jobs.register_runner(JobKind.INTERACTION_IMPORT, runner)
    jobs.register_job_end("import hooks", hooks_after(JobKind.INTERACTION_IMPORT))
    jobs.register_worker_start("import hooks", _load_word_forms)


def _load_word_forms() -> str:
    loaded = prepare_import_hooks()
    return f"Word forms loaded for: {', '.join(loaded) or 'no language'}."
