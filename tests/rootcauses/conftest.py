"""A root-cause list on the organisation's scorecard, and one on another scorecard."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from qa_app.extensions import db
from qa_app.rootcauses import services
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from tests.evaluations.conftest import org  # noqa: F401 (the org fixture)


@dataclass
class Causes:
    policy: int  # Knowledge / Product policy
    billing: int  # Knowledge / Billing rules
    tool: int  # Process / Wrong tool
    retired: int  # Process / Old form, retired
    foreign: int  # on another scorecard


@pytest.fixture
def causes(app, org) -> Causes:  # noqa: F811
    with app.app_context():
        scorecard_id = db.session.get(ScorecardVersion, org.version_id).scorecard_id
        knowledge = services.add_category(scorecard_id, "Knowledge")
        process = services.add_category(scorecard_id, "Process")
        policy = services.add_cause(knowledge, "Product policy")
        billing = services.add_cause(knowledge, "Billing rules")
        tool = services.add_cause(process, "Wrong tool")
        old = services.add_cause(process, "Old form")
        services.set_retired(old, True)
        other = import_doc(load_shipped_template(SHIPPED_DIR / "chat.yaml"), None, publish_now=True)
        elsewhere = services.add_category(other.scorecard_id, "Elsewhere")
        foreign = services.add_cause(elsewhere, "Not ours")
        db.session.commit()
        return Causes(policy.id, billing.id, tool.id, old.id, foreign.id)


def require_causes(app, org, required: bool = True) -> None:  # noqa: F811
    with app.app_context():
        scorecard_id = db.session.get(ScorecardVersion, org.version_id).scorecard_id
        services.set_required(scorecard_id, required)
        db.session.commit()
