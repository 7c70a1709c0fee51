"""Scorecards in and out as YAML: the page, the CLI and the shipped templates."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Role
from qa_app.extensions import db
from qa_app.scorecards.models import ScorecardVersion, Status
from qa_app.scorecards.schema import (
    SHIPPED_DIR,
    list_shipped_templates,
    load_shipped_template,
    parse_scorecard_yaml,
)
from tests.scorecards.conftest import count_versions

SHIPPED = list_shipped_templates()
TEMPLATES = [path.stem for path in SHIPPED]  # five-key-elements.hu among them


def _upload(client, content: bytes, name: str = "card.yaml"):
    return client.submit(
        "/scorecards/import",
        {"file": (io.BytesIO(content), name)},
        token_from="/",
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("slug", TEMPLATES)
def test_every_shipped_template_imports_exports_and_reimports_the_same(login_as, slug):
    reviewer = login_as(Role.REVIEWER)
    original = (SHIPPED_DIR / f"{slug}.yaml").read_bytes()
    template = load_shipped_template(SHIPPED_DIR / f"{slug}.yaml")
    response = _upload(reviewer, original)
    assert response.status_code == 302
    version_id = response.headers["Location"].split("/")[2]
    exported = reviewer.get(f"/scorecards/{version_id}/export")
    filename = f"{template.slug}-v1.yaml"
    assert exported.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert parse_scorecard_yaml(exported.data) == template
    again = _upload(reviewer, exported.data)
    again_id = again.headers["Location"].split("/")[2]
    assert reviewer.get(f"/scorecards/{again_id}/export").data == exported.data


BAD_FILES = {
    "malformed": (b"name: [unclosed\n", "(document)"),
    "sixth point": (
        (SHIPPED_DIR / "chat.yaml")
        .read_bytes()
        .replace(b"  1: Poor\n", b"  1: Poor\n  6: Legendary\n"),
        "scale must have exactly the points 1, 2, 3, 4, 5",
    ),
    "zero weight": (
        (SHIPPED_DIR / "chat.yaml").read_bytes().replace(b"weight: 1\n", b"weight: 0\n", 1),
        "sections[0].criteria[0].weight",
    ),
    "binary": (b"\x00\x01\x02\xff", "(document)"),
    "NUL in a name": (  # a YAML escape: PostgreSQL cannot store the character it stands for
        (SHIPPED_DIR / "chat.yaml")
        .read_bytes()
        .replace(b"\nname: Live chat\n", b'\nname: "Live\\0chat"\n'),
        "must not contain control characters",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_gives_clear_errors_and_stores_nothing(app, login_as, case):
    content, expected = BAD_FILES[case]
    response = _upload(login_as(Role.REVIEWER), content)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The file was not imported" in body and expected in body
    assert count_versions(app) == 0


def test_duplicate_criterion_in_a_file_is_refused(app, login_as):
    text = (SHIPPED_DIR / "phone.yaml").read_text()
    first = load_shipped_template(SHIPPED_DIR / "phone.yaml").criteria[0].name
    second = load_shipped_template(SHIPPED_DIR / "phone.yaml").criteria[1].name
    response = _upload(
        login_as(Role.REVIEWER), text.replace(f"name: {second}", f"name: {first}").encode()
    )
    assert "The file was not imported" in response.get_data(as_text=True)
    assert count_versions(app) == 0


def test_upload_needs_a_file(login_as):
    response = login_as(Role.REVIEWER).submit("/scorecards/import", {}, token_from="/")
    assert "Choose a YAML file to upload." in response.get_data(as_text=True)


def test_cli_imports_exports_and_lists(app, runner, tmp_path):
    result = runner.invoke(
        args=["scorecards", "import", "--publish", str(SHIPPED_DIR / "email.yaml")]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        version = db.session.scalar(sa.select(ScorecardVersion))
        assert version.status == Status.PUBLISHED
        version_id = version.id
    out = tmp_path / "out.yaml"
    result = runner.invoke(args=["scorecards", "export", str(version_id), "-o", str(out)])
    assert result.exit_code == 0
    assert parse_scorecard_yaml(out.read_bytes()) == load_shipped_template(
        SHIPPED_DIR / "email.yaml"
    )
    listing = runner.invoke(args=["scorecards", "list"])
    assert "published" in listing.output


def test_cli_import_is_all_or_nothing(app, runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(BAD_FILES["zero weight"][0])
    result = runner.invoke(args=["scorecards", "import", str(SHIPPED_DIR / "email.yaml"), str(bad)])
    assert result.exit_code != 0
    assert "sections[0].criteria[0].weight" in result.output
    assert count_versions(app) == 0
