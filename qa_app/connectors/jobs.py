"""The helpdesk pull as a job kind: pages from the stored cursor, through the file import's checks.

A pull is all or nothing like a file import: every changed ticket is checked and stored, and the
cursor moves on, or nothing is stored and the cursor stays (the job's report lists the problems;
fix them, e.g. add the missing agent, and pull again).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..database import utcnow
from ..extensions import db
from ..interactions.helpdesk_records import NAMES, document_records
from ..interactions.jobs import hooks_after, import_report
from ..interactions.parsing import Record
from ..interactions.services import RowProblem, import_records
from ..jobs import services as jobs
from ..jobs.models import Job, JobKind
from ..jobs.services import Outcome, Runner
from .base import Connector, ConnectorError
from .models import HelpdeskConnection
from .services import connection, connector, may_own_pulls

KIND = JobKind.HELPDESK_PULL
ROWS = _l("%(done)s of %(total)s rows")


@dataclass
class _Position:
    cursor: str | None
    pages: int = 0
    # Row -> the ticket's external id and agent email: the report names them, as the admin
    # has no file to look the row up in.
    tickets: dict[int, tuple[str, str]] = field(default_factory=dict)


def _records(source: Connector, at: _Position, progress: jobs.Progress) -> Iterator[Record]:
    """Every ticket of every page, numbered across pages; the position follows the pages read."""
    number = 1
    for page in source.pages(at.cursor):
        for record in document_records(source.file_format, source.document(page), number):
            number = record.row + 1
            values = record.values or {}
            at.tickets[record.row] = (
                str(values.get("external_id") or "?"),
                str(values.get("agent_email") or "?"),
            )
            yield record
        at.cursor, at.pages = page.cursor, at.pages + 1
        progress(number - 1)


def run_pull_job(job: Job) -> Outcome:
    """Pull what changed since the stored cursor and store it; the cursor moves with the data."""
    if not may_own_pulls(job.owner):
        return Outcome(False, error=_("Only an active admin may pull from a helpdesk."))
    row = connection(job.params.get("source", "zendesk"))
    try:
        source = connector(row)
    except ConnectorError as error:
        return Outcome(False, error=str(error))
    at = _Position(row.cursor)
    try:
        report = import_records(
            source.file_format,
            _records(source, at, jobs.Progress(job.id, None)),
            source_name=_("%(source)s pull", source=NAMES[source.file_format]),
            created_by=job.owner,
        )
    except ConnectorError as error:
        return Outcome(False, error=str(error))
    finally:
        source.close()
    if report.ok:
        _moved(row, at)
    report.problems = [_named(problem, at) for problem in report.problems]
    return Outcome(report.ok, asdict(report), report.rows_total)


def _named(problem: RowProblem, at: _Position) -> RowProblem:
    ticket, email = at.tickets.get(problem.row, ("?", "?"))
    reason = _(
        "%(reason)s (%(ticket)s, agent %(email)s)",
        reason=problem.reason,
        ticket=ticket,
        email=email,
    )
    return RowProblem(problem.row, problem.column, reason)


def _moved(row: HelpdeskConnection, at: _Position) -> None:
    row.cursor, row.last_pulled_at = at.cursor, utcnow()
    db.session.flush()


def register_jobs() -> None:
    """Helpdesk pulls run as jobs (called once by create_app)."""
    runner = Runner(run_pull_job, "connectors/_pull_result.html", import_report, ROWS)
    jobs.register_runner(KIND, runner)
    jobs.register_job_end("pull hooks", hooks_after(KIND))
