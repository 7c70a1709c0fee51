"""Importing interactions through the page and the command line: all or nothing, no duplicates."""

from __future__ import annotations

import io
import re
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Role
from qa_app.database import take_turns
from qa_app.extensions import db
from qa_app.interactions.hooks import IMPORT_HOOKS
from qa_app.interactions.models import Channel, ImportBatch, Interaction
from qa_app.interactions.services import after_import, import_interactions
from qa_app.results.families import STATS
from qa_app.results.models import AgentDayInteractionStats
from qa_app.results.rollups import lock_names
from qa_app.results.team_rollups import team_locks
from qa_app.results.verify import compare_all
from tests.interactions.conftest import IMPORT, csv_bytes, jsonl_bytes, row, upload

TEXTS = {
    "el": "Καλησπέρα σας! Πώς μπορώ να σας βοηθήσω;",
    "hu": "Jó napot kívánok!  Árvíztűrő tükörfúrógép.",
    "te": "నమస్కారం, మీకు ఎలా సహాయం చేయగలను?",
    "ar": "مرحبا، كيف يمكنني مساعدتك؟",
}


def _problem_rows(body: str) -> list[tuple[str, str, str]]:
    """The (row, column, reason) cells of the report table on the import page."""
    cells = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>", body)
    return [(r, re.sub(r"<[^>]+>", "", c), reason) for r, c, reason in cells]


def test_reviewer_imports_a_csv_file_through_the_page(login_as, make_user, stored):
    agent = make_user(Role.AGENT, email="ana@example.com")
    rows = [
        row(agent.email.upper(), 1, csat="5", nps="9", ces="2", first_contact_resolved="yes"),
        row(agent.email, 2, channel="Call", duration_seconds="310", handle_seconds="355"),
    ]
    reviewer = login_as(Role.REVIEWER)
    response = upload(reviewer, csv_bytes(rows), "March export.csv", follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "March export.csv: 2 new interactions added, 0 already imported before." in body
    first, second = stored()
    assert (first.external_id, first.agent_id, first.csat, first.nps, first.ces) == (
        "T-00001",
        agent.id,
        5,
        9,
        2,
    )
    assert first.first_contact_resolved is True
    assert first.occurred_at == datetime(2026, 3, 2, 9, 1, tzinfo=UTC)
    assert (second.channel, second.duration_seconds, second.handle_seconds) == (
        Channel.CALL,
        310,
        355,
    )


def test_reviewer_imports_json_lines_with_turns(app, login_as, make_user, stored):
    agent = make_user(Role.AGENT)
    turns = [
        {"speaker": "Agent", "text": TEXTS["el"], "at": "00:01"},
        {"speaker": "Πελάτης", "text": "Line one\nline two", "at": 9},
    ]
    content = jsonl_bytes([row(agent.email, 1, transcript=turns, csat=4, language="el")])
    reviewer = login_as(Role.REVIEWER)
    assert upload(reviewer, content, "chats.txt").status_code == 302
    [interaction] = stored()
    assert interaction.transcript_turns == turns and interaction.language == "el"
    with app.app_context():
        batch = db.session.scalar(sa.select(ImportBatch))
        assert (batch.file_format.value, batch.source_name, batch.rows_added) == (
            "jsonl",
            "chats.txt",
            1,
        )
        assert batch.created_by_id == reviewer.user.id


def test_one_bad_row_in_a_thousand_stores_nothing_and_is_named(login_as, make_user, stored):
    agent = make_user(Role.AGENT)
    rows = [row(agent.email, n) for n in range(1, 1001)]
    rows[499]["csat"] = "6"  # the 500th data row is row 501 of the file
    response = upload(login_as(Role.REVIEWER), csv_bytes(rows))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was imported" in body
    assert _problem_rows(body) == [("501", "csat", "must be a whole number from 1 to 5")]
    assert stored() == []


def test_importing_the_same_file_twice_stores_each_interaction_once(login_as, make_user, stored):
    agent = make_user(Role.AGENT)
    content = csv_bytes([row(agent.email, n) for n in range(1, 4)])
    reviewer = login_as(Role.REVIEWER)
    upload(reviewer, content)
    again = upload(reviewer, content, follow_redirects=True).get_data(as_text=True)
    assert "0 new interactions added, 3 already imported before." in again
    assert len(stored()) == 3


def test_a_later_file_adds_only_what_is_new(login_as, make_user, stored):
    agent = make_user(Role.AGENT)
    reviewer = login_as(Role.REVIEWER)
    upload(reviewer, csv_bytes([row(agent.email, 1)]))
    content = jsonl_bytes([row(agent.email, 1), row(agent.email, 2)])
    body = upload(reviewer, content, follow_redirects=True).get_data(as_text=True)
    assert "1 new interaction added, 1 already imported before." in body
    assert [i.external_id for i in stored()] == ["T-00001", "T-00002"]


def test_the_same_id_twice_in_one_file_names_the_first_row(login_as, make_user, stored):
    agent = make_user(Role.AGENT)
    rows = [row(agent.email, n) for n in range(1, 1203)]
    rows[5]["external_id"] = "T-00001"  # row 7 repeats row 2, in the same batch
    rows[1200]["external_id"] = "T-00003"  # row 1202 repeats row 4, in a later batch
    body = upload(login_as(Role.REVIEWER), csv_bytes(rows)).get_data(as_text=True)
    assert _problem_rows(body) == [
        ("7", "external_id", "the same external_id is on row 2"),
        ("1202", "external_id", "the same external_id is on row 4"),
    ]
    assert stored() == []


def test_every_bad_row_is_reported_with_column_and_reason(login_as, make_user, stored):
    agent = make_user(Role.AGENT)
    lead = make_user(Role.LEAD)
    rows = [
        row(agent.email, 1),
        row("nobody@example.com", 2),
        row(lead.email, 3),
        row(agent.email, 4, occurred_at="01/03/2026 10:00"),
        row(agent.email, 5, recording_url="javascript:alert(document.cookie)"),
        row(agent.email, 6, csat="0", channel="sms"),
    ]
    body = upload(login_as(Role.ADMIN), csv_bytes(rows)).get_data(as_text=True)
    problems = _problem_rows(body)
    assert [(r, c) for r, c, _ in problems] == [
        ("3", "agent_email"),
        ("4", "agent_email"),
        ("5", "occurred_at"),
        ("6", "recording_url"),
        ("7", "channel"),
        ("7", "csat"),
    ]
    assert problems[0][2] == "no user has this email address"
    assert "team lead role, not an agent" in problems[1][2]
    assert "javascript:" not in body.split("Nothing was imported")[1].split("</table>")[0]
    assert stored() == []


def test_problems_beyond_a_thousand_are_counted(login_as, make_user, stored):
    agent = make_user(Role.AGENT)
    rows = [row(agent.email, n, csat="9", nps="99") for n in range(1, 601)]
    body = upload(login_as(Role.REVIEWER), csv_bytes(rows)).get_data(as_text=True)
    assert len(_problem_rows(body)) == 1000
    assert "… and 200 more problems not listed here." in body
    assert stored() == []


def test_file_level_problems_are_explained(login_as):
    reviewer = login_as(Role.REVIEWER)
    cases = {
        b"": "The file is empty.",
        b"external_id,channel,channel\n": "Columns that appear more than once: channel.",
        b"external_id,channel\n": "missing from the header: agent_email, occurred_at.",
        csv_bytes([]): "The file has no interactions in it.",
        b"external_id,caf\xe9\n": "The file is not UTF-8 text",
    }
    for content, message in cases.items():
        response = upload(reviewer, content)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)


def test_csv_edge_cases_are_row_errors_never_a_server_error(login_as, make_user, stored):
    agent = make_user(Role.AGENT)
    good = csv_bytes([row(agent.email, 1)])
    reviewer = login_as(Role.REVIEWER)
    unterminated = good + f'T-2,chat,{agent.email},2026-03-01,"no end\n'.encode()
    huge = good + f"T-2,chat,{agent.email},2026-03-01,{'x' * 1_100_000}\n".encode()
    for content, reason in ((unterminated, "is never closed"), (huge, "is longer than")):
        body = upload(reviewer, content).get_data(as_text=True)
        [(number, _, message)] = _problem_rows(body)
        assert number == "3" and reason in message
    assert stored() == []


def test_a_byte_order_mark_is_handled(login_as, make_user, stored):
    agent = make_user(Role.AGENT)
    content = b"\xef\xbb\xbf" + csv_bytes([row(agent.email, 1)])
    assert upload(login_as(Role.REVIEWER), content).status_code == 302
    assert [i.external_id for i in stored()] == ["T-00001"]


def test_text_in_any_script_is_stored_exactly(login_as, make_user, stored):
    agent = make_user(Role.AGENT)
    transcript = "Agent: " + TEXTS["hu"] + "\r\nCustomer:  " + TEXTS["ar"] + "  \n\n\tEnd "
    rows = [
        row(agent.email, n, subject=text, customer_ref=f" {code} ref ", transcript=transcript)
        for n, (code, text) in enumerate(TEXTS.items(), 1)
    ]
    upload(login_as(Role.REVIEWER), csv_bytes(rows))
    found = stored()
    assert [i.subject for i in found] == list(TEXTS.values())
    assert [i.customer_ref for i in found] == [f" {code} ref " for code in TEXTS]
    assert all(i.transcript_text == transcript for i in found)


def test_the_upload_form_needs_a_file(login_as):
    reviewer = login_as(Role.REVIEWER)
    response = reviewer.submit(IMPORT, {}, token_from=IMPORT)
    assert "Choose a CSV or JSON Lines file." in response.get_data(as_text=True)


def test_the_import_page_lists_the_columns_and_says_utc(login_as):
    body = login_as(Role.REVIEWER).get(IMPORT).get_data(as_text=True)
    for column in ("external_id", "agent_email", "first_contact_resolved", "handle_seconds"):
        assert f"<code>{column}</code>" in body
    assert "taken as UTC" in body


def test_leads_and_agents_cannot_import(login_as, make_user, stored):
    agent = make_user(Role.AGENT)
    content = csv_bytes([row(agent.email, 1)])
    for role in (Role.LEAD, Role.AGENT):
        assert upload(login_as(role), content).status_code == 403
    assert stored() == []


def test_the_command_imports_a_file_and_reports_problems(app, runner, make_user, stored, tmp_path):
    agent = make_user(Role.AGENT)
    reviewer = make_user(Role.REVIEWER)
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([row(agent.email, 1), row(agent.email, 2)]))
    result = runner.invoke(args=["interactions", "import", str(good), "--as", reviewer.email])
    assert result.exit_code == 0, result.output
    assert "good.csv: 2 new interactions added, 0 already imported before." in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(jsonl_bytes([row(agent.email, 3), row(agent.email, 4, csat=7)]))
    result = runner.invoke(args=["interactions", "import", str(bad)])
    assert result.exit_code != 0
    assert "row 2, csat: must be a whole number from 1 to 5" in result.output
    assert "Nothing was imported." in result.output
    assert [i.external_id for i in stored()] == ["T-00001", "T-00002"]
    with app.app_context():
        assert db.session.scalar(sa.select(ImportBatch.created_by_id)) == reviewer.id


def test_the_command_refuses_an_importer_who_may_not_import(runner, make_user, tmp_path):
    agent = make_user(Role.AGENT)
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes([row(agent.email, 1)]))
    result = runner.invoke(args=["interactions", "import", str(path), "--as", agent.email])
    assert result.exit_code != 0 and "not an active reviewer or admin" in result.output


def test_two_imports_at_once_store_each_interaction_once(app, make_user, stored):
    agent = make_user(Role.AGENT)
    content = csv_bytes([row(agent.email, n) for n in range(1, 51)])
    start = threading.Barrier(2)

    def run_import(_: int) -> tuple[int, int]:
        with app.app_context():
            start.wait()
            report = import_interactions(io.BytesIO(content), source_name="a.csv", created_by=None)
            db.session.commit()
            return report.rows_added, report.rows_skipped

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = sorted(pool.map(run_import, range(2)))
    assert results == [(0, 50), (50, 0)]
    assert len(stored()) == 50


def _a_submission_for(agent_id: int, team_id: int) -> str:
    """What an evaluation submission for this agent meets now, from a connection of its own:
    "goes on" when it gets every lock it takes, "waits" when one is held (PostgreSQL; SQLite
    has one write lock, which the import holds from its first row)."""
    with db.engine.connect() as other:
        other.exec_driver_sql("SET LOCAL lock_timeout = '50ms'")
        try:
            take_turns(other, *lock_names([STATS], [(agent_id, date(2026, 3, 2))]))
            take_turns(other, *team_locks([team_id]))
        except sa.exc.OperationalError as error:
            assert "lock timeout" in str(error)
            return "waits"
    return "goes on"


def _a_write_on_sqlite() -> str:
    """What a writer meets now on SQLite (one write lock for the whole database), from a
    connection of its own: "goes on" when it takes the lock, "waits" when another holds it."""
    other = sqlite3.connect(str(db.engine.url.database), timeout=0.05, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return "waits"
    finally:
        other.close()
    return "goes on"


def _a_writer(agent_id: int, team_id: int, postgres: bool) -> str:
    return _a_submission_for(agent_id, team_id) if postgres else _a_write_on_sqlite()


def test_the_hooks_run_after_the_commit_and_commit_batch_by_batch(
    app, make_user, make_team, monkeypatch
):
    """The hooks after an import (Auto QA, signals) can take several times the import. They run
    once the import and its counted sums are committed, and each batch of theirs commits: a
    submission meanwhile waits for the import's counting and for one batch, never for the hooks'
    whole length (on SQLite it waited for all of it: one writer holds the whole database)."""
    team = make_team("Imported")
    agent = make_user(Role.AGENT, team=team)
    postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    during: list[object] = []

    def seen_elsewhere(batch_id: int) -> tuple[int, int, str | None]:
        with db.engine.connect() as other:
            stored = other.scalar(
                sa.select(sa.func.count()).where(Interaction.import_batch_id == batch_id)
            )
            counted = other.scalar(sa.select(sa.func.sum(AgentDayInteractionStats.interactions)))
            subject = other.scalar(sa.select(sa.func.max(Interaction.subject)))
            other.rollback()
        return stored or 0, counted or 0, subject

    def probe(batch_id: int, batches) -> None:
        during.append(seen_elsewhere(batch_id))  # the import and its sums, committed
        during.append(_a_writer(agent.id, team.id, postgres))
        db.session.execute(sa.update(Interaction).values(subject="batch one"))
        if not postgres:  # the batch's write holds SQLite's one write lock until its commit
            during.append(_a_writer(agent.id, team.id, postgres))
        batches.stored()
        during.append(seen_elsewhere(batch_id)[2])  # committed with its batch
        during.append(_a_writer(agent.id, team.id, postgres))

    monkeypatch.setitem(IMPORT_HOOKS, "probe", probe)  # last: after Auto QA and the signals
    content = csv_bytes([row(agent.email, n) for n in (1, 2, 3)])
    with app.app_context():
        report = import_interactions(io.BytesIO(content), source_name="a.csv", created_by=None)
        assert report.ok and report.rows_added == 3 and during == []  # no hook inside
        assert _a_writer(agent.id, team.id, postgres) == "waits"  # the counting holds them
        db.session.commit()
        after_import(report)
        assert [d.table for d in compare_all(db.session.connection()) if d.rows] == []
    if postgres:
        assert during == [(3, 3, None), "goes on", "batch one", "goes on"]
    else:
        assert during == [(3, 3, None), "goes on", "waits", "batch one", "goes on"]


def test_writers_go_on_while_the_hooks_read_and_work(app, make_user, make_team, monkeypatch):
    """Each batch of Auto QA's work reads and scores without the write lock (bulk.reading),
    and takes it only to store: a submission meanwhile goes on, on SQLite too."""
    from qa_app.autoqa import services as autoqa

    team = make_team("Imported")
    agent = make_user(Role.AGENT, team=team)
    postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    during: list[str] = []
    scores = autoqa._scores

    def scoring(*args):
        during.append(_a_writer(agent.id, team.id, postgres))
        return scores(*args)

    monkeypatch.setattr(autoqa, "_scores", scoring)
    content = csv_bytes([row(agent.email, n) for n in (1, 2, 3)])
    with app.app_context():
        report = import_interactions(io.BytesIO(content), source_name="a.csv", created_by=None)
        db.session.commit()
        after_import(report)
    assert during == ["goes on"]


@pytest.mark.parametrize("rows", [0, 2])
def test_an_import_that_stores_nothing_runs_no_hook(app, make_user, monkeypatch, rows):
    agent = make_user(Role.AGENT)
    ran: list[int] = []
    monkeypatch.setitem(IMPORT_HOOKS, "probe", ran.append)
    content = io.BytesIO(csv_bytes([row(agent.email, n, csat="7") for n in range(1, rows + 1)]))
    with app.app_context():
        report = import_interactions(content, source_name="b.csv", created_by=None)
        db.session.rollback()
    assert not report.ok and ran == []
