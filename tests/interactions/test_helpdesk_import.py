"""Helpdesk exports (Zendesk, Freshdesk, Intercom) through the same all-or-nothing import.

The files are written by tests/data/helpdesk/make_exports.py; its docstring lists the awkward
conversations at fixed positions (1: a note and a bot message, 2: no agent reply, 3: an agent
without an account, 4: entities and non-ASCII text).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from qa_app.accounts.models import Role
from qa_app.extensions import db
from qa_app.interactions.models import Channel, FileFormat, ImportBatch
from qa_app.interactions.services import import_interactions
from tests.data.helpdesk.make_exports import AGENTS, BOT, COUNT, NEW_AGENT, NOTE
from tests.interactions.conftest import IMPORT

DATA = Path(__file__).resolve().parent.parent / "data" / "helpdesk"
# file, external id prefix, ticket 1's CSAT and handle seconds (each helpdesk's own scale/unit)
VENDORS = {
    "zendesk": ("zendesk_tickets.json", "zendesk:1000", 5, 1500),
    "freshdesk": ("freshdesk_tickets.json", "freshdesk:2000", 4, 1516),
    "intercom": ("intercom_conversations.json", "intercom:4000", 4, 1516),
}


def _import(app: Any, vendor: str, chosen: str | None = None) -> Any:
    with app.app_context(), (DATA / VENDORS[vendor][0]).open("rb") as stream:
        report = import_interactions(
            stream, source_name=VENDORS[vendor][0], created_by=None, file_format=chosen
        )
        if report.ok:
            db.session.commit()
        else:
            db.session.rollback()
        return report


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_helpdesk_export_is_imported_once_with_its_turns_and_metrics(
    app, make_user, stored, vendor
):
    for email in AGENTS:
        make_user(Role.AGENT, email=email)
    refused = _import(app, vendor)  # recognised from the content
    assert [(p.row, p.column) for p in refused.problems] == [(3, "agent_email")]
    assert "no user has this email address" in refused.problems[0].reason
    assert stored() == []  # all or nothing

    make_user(Role.AGENT, email=NEW_AGENT)
    report = _import(app, vendor)
    assert report.ok, report.lines()
    assert (report.rows_added, report.rows_skipped) == (COUNT, 0)
    found = {i.external_id: i for i in stored()}
    prefix, csat, handle = VENDORS[vendor][1:]
    first = found[f"{prefix}1"]
    assert first.channel == Channel.CHAT
    assert [(t["speaker"], t["at"]) for t in first.transcript_turns] == [
        ("customer", 0),
        ("agent", 151),
        ("customer", 759),
    ]
    assert first.transcript_turns[1]["text"].startswith("Thank you for waiting")
    assert (first.csat, first.handle_seconds, first.duration_seconds) == (csat, handle, 759)
    assert first.occurred_at.isoformat() == "2026-03-02T11:38:00+00:00"
    every_text = [t["text"] for i in found.values() for t in i.transcript_turns]
    assert not [text for text in every_text if NOTE in text or BOT in text]
    no_reply = found[f"{prefix}2"]
    assert [t["speaker"] for t in no_reply.transcript_turns] == ["customer"]
    assert no_reply.channel == Channel.CALL
    odd = found[f"{prefix}4"].transcript_turns
    assert odd[0]["text"] == "Szia! Árvíztűrő tükörfúrógép & <b>bold</b> é"
    assert odd[1]["text"] == "Γειά σου — all fixed 👍\nSecond line here"

    again = _import(app, vendor, chosen=vendor)  # named by the user this time
    assert (again.ok, again.rows_added, again.rows_skipped) == (True, 0, COUNT)
    assert len(stored()) == COUNT
    with app.app_context():
        formats = {batch.file_format for batch in db.session.query(ImportBatch)}
    assert formats == {FileFormat(vendor)}


def test_a_file_named_as_the_wrong_helpdesk_is_refused_as_a_whole(app):
    report = _import(app, "intercom", chosen="zendesk")
    assert report.file_errors == [
        "The file is not a Zendesk export: the list of tickets or conversations is missing."
    ]


def test_the_import_page_takes_a_helpdesk_export_with_the_format_picked(
    app, login_as, make_user, stored
):
    for email in (*AGENTS, NEW_AGENT):
        make_user(Role.AGENT, email=email)
    reviewer = login_as(Role.REVIEWER)
    content = (DATA / "freshdesk_tickets.json").read_bytes()
    file = FileStorage(io.BytesIO(content), filename="fd.json", content_type="application/json")
    fields = {"csrf_token": reviewer.token(IMPORT), "file": file, "file_format": "freshdesk"}
    boundary, body = encode_multipart(fields)
    response = reviewer.post(
        IMPORT,
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        follow_redirects=True,
    )
    assert f"fd.json: {COUNT} new interactions added" in response.get_data(as_text=True)
    assert len(stored()) == COUNT


def test_the_command_line_takes_a_format(app, runner, make_user, stored):
    for email in (*AGENTS, NEW_AGENT):
        make_user(Role.AGENT, email=email)
    path = str(DATA / "intercom_conversations.json")
    result = runner.invoke(args=["interactions", "import", path, "--format", "intercom"])
    assert result.exit_code == 0, result.output
    assert f"{COUNT} new interactions added" in result.output
    assert len(stored()) == COUNT
