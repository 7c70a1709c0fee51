"""Expected numbers, computed from the raw evaluations and interactions in the tests, not by the
app's queries."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import UTC, date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from openpyxl import load_workbook

from qa_app.evaluations.models import Evaluation, EvaluationStatus
from qa_app.extensions import db
from qa_app.interactions.models import Interaction

START, END = date(2026, 10, 5), date(2026, 11, 1)
BEFORE = (date(2026, 9, 7), date(2026, 10, 4))  # the previous period of the same length
RANGE = f"period=custom&from={START}&to={END}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _row(evaluation: Evaluation, day: date) -> dict:
    interaction = evaluation.interaction
    scores = sorted(evaluation.scores, key=lambda s: s.criterion_id)
    dispute = evaluation.disputes[-1] if evaluation.disputes else None
    return {
        "agent_id": interaction.agent_id,
        "agent": interaction.agent.display_name,
        "day": day,
        "week": day - timedelta(days=day.weekday()),
        "external_id": interaction.external_id,
        "channel": interaction.channel.value,
        "reviewer": evaluation.reviewer.display_name,
        "scorecard": evaluation.scorecard_version.name,
        "picked": evaluation.picked.value,
        "score": None if evaluation.score is None else float(evaluation.score),
        "pass_mark": float(evaluation.scorecard_version.pass_mark),
        "critical": evaluation.is_critical_fail,
        "csat": interaction.csat,
        "nps": interaction.nps,
        "ces": interaction.ces,
        "fcr": interaction.first_contact_resolved,
        "aht": interaction.handle_seconds,
        "values": {
            s.criterion.key: "N/A" if s.is_na else s.score
            for s in scores
            if s.is_na or s.score is not None
        },
        "names": {
            s.criterion.key: (s.criterion.id, s.criterion.name, evaluation.scorecard_version.name)
            for s in scores
        },
        "comments": [f"{s.criterion.name}: {s.comment}" for s in scores if s.comment],
        "strengths": evaluation.strengths,
        "improvements": evaluation.improvements,
        "dispute": (dispute.status.value, dispute.resolution_note) if dispute else None,
    }


def raw_evaluations(app, agent_ids=None, start=START, end=END) -> list[dict]:
    """Submitted, non-calibration evaluations of these agents (None: all) in the range."""
    with app.app_context():
        stmt = sa.select(Evaluation).where(
            Evaluation.status == EvaluationStatus.SUBMITTED, Evaluation.is_calibration.is_(False)
        )
        rows = []
        for evaluation in db.session.scalars(stmt):
            interaction = evaluation.interaction
            day = interaction.occurred_at.astimezone(UTC).date()
            if (agent_ids is None or interaction.agent_id in agent_ids) and start <= day <= end:
                rows.append(_row(evaluation, day))
        return rows


def raw_interactions(app, agent_ids=None, start=START, end=END) -> list[dict]:
    """Every interaction of these agents (None: all) in the range, evaluated or not, each once."""
    with app.app_context():
        rows = []
        for interaction in db.session.scalars(sa.select(Interaction)):
            day = interaction.occurred_at.astimezone(UTC).date()
            if (agent_ids is None or interaction.agent_id in agent_ids) and start <= day <= end:
                rows.append(
                    {
                        "csat": interaction.csat,
                        "nps": interaction.nps,
                        "ces": interaction.ces,
                        "fcr": interaction.first_contact_resolved,
                        "aht": interaction.handle_seconds,
                    }
                )
        return rows


def measured(app, agent_ids=None, start=START, end=END) -> dict:
    """The summary metrics: QA over the evaluations, customer metrics over the interactions."""
    return totals(
        raw_evaluations(app, agent_ids, start, end), raw_interactions(app, agent_ids, start, end)
    )


def cleaned(text):
    """What a cell holds of a text: line ends as LF, other C0 controls but tab removed."""
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)


def _mean(values):
    return sum(values) / len(values) if values else None


def _share(values, test):
    return sum(1 for v in values if test(v)) / len(values) if values else None


def band(score):
    if score is None:
        return None
    shown = Decimal(repr(score)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    for name, low in (("Excellent", 90), ("Good", 75), ("Satisfactory", 60)):
        if shown >= low:
            return name
    return "Needs improvement" if shown >= 40 else "Poor"


def totals(rows, interactions=()) -> dict:
    """The product's metrics, rates as fractions 0..1 (as the workbook stores them).

    QA numbers over the evaluation rows; customer metrics over the interactions, each once.
    """
    scored = [r for r in rows if r["score"] is not None]
    quality = _mean([r["score"] for r in scored])
    nps = [r["nps"] for r in interactions if r["nps"] is not None]
    return {
        "Evaluations": len(rows),
        "Quality score": quality,
        "Band": band(quality),
        "Pass rate": _share(scored, lambda r: r["score"] >= r["pass_mark"]),
        "Critical fails": sum(r["critical"] for r in rows),
        "CSAT": _share(
            [r["csat"] for r in interactions if r["csat"] is not None], lambda v: v >= 4
        ),
        "NPS": 100 * (sum(n >= 9 for n in nps) - sum(n <= 6 for n in nps)) / len(nps)
        if nps
        else None,
        "CES": _mean([r["ces"] for r in interactions if r["ces"] is not None]),
        "FCR": _share(
            [r["fcr"] for r in interactions if r["fcr"] is not None], lambda v: v is True
        ),
        "AHT": _mean([r["aht"] for r in interactions if r["aht"] is not None]),
    }


def criterion_values(rows, key) -> list[int]:
    return [r["values"][key] for r in rows if isinstance(r["values"].get(key), int)]


def criterion_names(rows, scored_only: bool = True) -> dict[str, str]:
    """Each criterion key with its newest name; a name two keys share gets its scorecard's name.

    scored_only: only keys with at least one 1-5 value (as in averages); else every key seen.
    """
    newest: dict[str, tuple[int, str, str]] = {}
    for r in rows:
        for key, found in r["names"].items():
            if scored_only and not isinstance(r["values"].get(key), int):
                continue
            if key not in newest or found[0] > newest[key][0]:
                newest[key] = found
    counts = Counter(name for _, name, _ in newest.values())
    return {
        key: f"{name} ({scorecard})" if counts[name] > 1 else name
        for key, (_, name, scorecard) in newest.items()
    }


def weeks(rows) -> dict[date, list[dict]]:
    found: dict[date, list[dict]] = {}
    for r in sorted(rows, key=lambda r: r["week"]):
        found.setdefault(r["week"], []).append(r)
    return found


def plain(value):
    """A workbook value as the test compares it: durations in seconds, dates as dates."""
    if hasattr(value, "total_seconds"):
        return value.total_seconds()
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    return value


def same(actual, expected) -> bool:
    if hasattr(actual, "total_seconds") and expected is not None:  # stored to the millisecond
        return abs(actual.total_seconds() - expected) < 0.001
    actual = plain(actual)
    if expected is None or actual is None:
        return actual is None and expected is None
    if isinstance(expected, float):
        return abs(float(actual) - expected) < 1e-6 * max(1, abs(expected))
    return actual == expected


def download(client, url: str):
    """GET an .xlsx and open it, checking it is an attachment of the right type."""
    response = client.get(url)
    data = response.data
    response.close()  # as a WSGI server does: closes the temporary file behind the download
    assert response.status_code == 200, response.status_code
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return load_workbook(io.BytesIO(data)), response


def table(ws, header_row: int = 1) -> tuple[list[str], list[list]]:
    """The header and rows of a sheet's table that starts at header_row and ends at a blank row."""
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    header = [h for h in rows[0] if h is not None]
    body = []
    for row in rows[1:]:
        if all(v is None for v in row):
            break
        body.append(list(row[: len(header)]))
    return header, body


def by_label(ws, header_row: int = 1) -> dict[str, list]:
    """A key/value table (Summary) as {measure: [this period, previous period, team]}."""
    _, rows = table(ws, header_row)
    return {row[0]: row[1:] for row in rows}
