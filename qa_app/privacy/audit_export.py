"""The audit log as a workbook, through the generic writer (formula-safe: docs/excel-reports.md).

Failed sign-ins store the email a stranger typed, so every text cell may be hostile; the writer
keeps "=..." as text.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from typing import IO, Any

from flask_babel import gettext as _

from ..audit.models import AuditAction
from ..database import utcnow
from ..ui.labels import label
from ..xlsx.model import Column, Report, Sheet, Table
from ..xlsx.writer import write_report
from .queries import AuditFilters, all_events, detail_text


def filename() -> str:
    return f"audit-log-{utcnow():%Y-%m-%d}.xlsx"


def action_label(action: str) -> str:
    try:
        return label(AuditAction(action))
    except ValueError:  # an action of a newer version of the app
        return action


def _rows(filters: AuditFilters) -> Iterator[Sequence[Any]]:
    for event in all_events(filters):
        yield (
            f"{event.at:%Y-%m-%d %H:%M:%S}",
            event.actor,
            action_label(event.action),
            event.target,
            detail_text(event.detail),
            event.address,
        )


def report(filters: AuditFilters, creator: str) -> Report:
    headers = (_("Time (UTC)"), _("Actor"), _("Action"), _("Target"), _("Details"))
    columns = [Column(header) for header in (*headers, _("Address"))]
    table = Table(columns, _rows(filters))
    return Report(_("Audit log"), "", creator, [Sheet(_("Audit log"), [table])])


def write_temporary(filters: AuditFilters, creator: str) -> IO[bytes]:
    """The workbook in an anonymous temporary file, rewound; the response closes it."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (the response closes it)
    try:
        write_report(report(filters, creator), handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle
