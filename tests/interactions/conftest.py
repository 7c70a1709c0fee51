"""Helpers for the interaction tests: import files built from rows, uploads, stored rows."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from qa_app.interactions.validation import COLUMNS

IMPORT = "/interactions/import"


def row(agent_email: str, n: int, **values: Any) -> dict[str, Any]:
    """A valid import row; keyword arguments replace or add columns."""
    return {
        "external_id": f"T-{n:05}",
        "channel": "chat",
        "agent_email": agent_email,
        "occurred_at": f"2026-03-{1 + n % 28:02}T10:{n % 60:02}:00+01:00",
        **values,
    }


def csv_bytes(rows: Iterable[dict[str, Any]], columns: Iterable[str] = COLUMNS) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    columns = list(columns)
    writer.writerow(columns)
    for values in rows:
        writer.writerow(["" if values.get(c) is None else values.get(c) for c in columns])
    return out.getvalue().encode()


def jsonl_bytes(rows: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(values, ensure_ascii=False) + "\n" for values in rows).encode()


def upload(client: Any, content: bytes, name: str = "interactions.csv", **kwargs: Any) -> Any:
    """Post a file to the import page as a browser would."""
    file = FileStorage(io.BytesIO(content), filename=name, content_type="text/csv")
    # Encoded here, in memory: the test client spools big bodies to a file it never closes.
    boundary, body = encode_multipart({"csrf_token": client.token(IMPORT), "file": file})
    content_type = f"multipart/form-data; boundary={boundary}"
    return client.post(IMPORT, data=body, content_type=content_type, **kwargs)


@pytest.fixture
def stored(app) -> Callable[[], list[Interaction]]:
    """The interactions in the database, by external_id."""

    def read() -> list[Interaction]:
        with app.app_context():
            rows = db.session.scalars(sa.select(Interaction).order_by(Interaction.external_id))
            found = list(rows)
            db.session.expunge_all()
        return found

    return read
