"""The JSON body of each event: ids and figures a receiving system needs, no transcript text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..disputes.models import Dispute
from ..evaluations.models import Evaluation
from ..interactions.models import ImportBatch
from ..jobs.models import JobKind


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def evaluation(row: Evaluation) -> dict[str, Any]:
    interaction = row.interaction
    return {
        "evaluation": {
            "id": row.id,
            "status": str(row.status),
            "score": str(row.score) if row.score is not None else None,
            "critical_fail": row.is_critical_fail,
            "submitted_at": _when(row.submitted_at),
            "updated_at": _when(row.updated_at),
            "scorecard": {
                "version_id": row.scorecard_version_id,
                "name": row.scorecard_version.name,
            },
            "reviewer": {"id": row.reviewer_id, "email": row.reviewer.email},
            "interaction": {
                "id": interaction.id,
                "external_id": interaction.external_id,
                "channel": str(interaction.channel),
                "occurred_at": _when(interaction.occurred_at),
                "agent": {"id": interaction.agent_id, "email": interaction.agent.email},
            },
            "path": f"/evaluations/{row.id}",
        }
    }


def dispute(row: Dispute) -> dict[str, Any]:
    return {
        "dispute": {
            "id": row.id,
            "evaluation_id": row.evaluation_id,
            "status": str(row.status),
            "opened_at": _when(row.created_at),
            "resolved_at": _when(row.resolved_at),
            "agent": {
                "id": row.evaluation.interaction.agent_id,
                "email": row.evaluation.interaction.agent.email,
            },
            "path": f"/disputes/{row.id}",
        }
    }


def import_batch(row: ImportBatch) -> dict[str, Any]:
    return {
        "import": {
            "id": row.id,
            "source_name": row.source_name,
            "format": str(row.file_format),
            "rows_total": row.rows_total,
            "rows_added": row.rows_added,
            "rows_skipped": row.rows_skipped,
            "finished_at": _when(row.created_at),
        }
    }


def job(job_id: int, kind: JobKind, result: Any) -> dict[str, Any]:
    return {"job": {"id": job_id, "kind": str(kind), "result": result if result else {}}}


def test_event() -> dict[str, Any]:
    return {"test": {"message": "A test event sent from QA Scorecard's webhook page."}}
