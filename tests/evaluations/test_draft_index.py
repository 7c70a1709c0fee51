"""The scoring page's draft check reads the index made for it, however the schema was built."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from qa_app import create_app
from qa_app.evaluations.queries import own_draft
from qa_app.extensions import db
from tests.conftest import make_config


@pytest.mark.parametrize("built_by", ["upgrade", "create_all"])
def test_draft_check_uses_the_interaction_reviewer_index_on_sqlite(empty_database_url, built_by):
    app = create_app(make_config(empty_database_url("sqlite")))
    with app.app_context():
        if built_by == "upgrade":
            upgrade(directory="migrations")
        else:
            db.create_all()
        sql = own_draft(1, 2).compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = " | ".join(
            row[-1] for row in db.session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}"))
        )
        db.engine.dispose()
    assert "USING INDEX ix_evaluations_interaction_reviewer " in plan, plan
