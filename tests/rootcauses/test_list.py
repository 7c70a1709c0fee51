"""The admin keeps the list: add, rename, retire and restore, reorder, the rule; admins only."""

from __future__ import annotations

import pytest

from qa_app.accounts.models import Role
from qa_app.extensions import db
from qa_app.rootcauses import services
from qa_app.rootcauses.models import RootCause, RootCauseCategory
from qa_app.scorecards.models import ScorecardVersion


def _scorecard_id(app, org) -> int:
    with app.app_context():
        return db.session.get(ScorecardVersion, org.version_id).scorecard_id


def test_an_admin_builds_and_orders_the_list(app, login_as, org):
    scorecard_id = _scorecard_id(app, org)
    admin = login_as(Role.ADMIN)
    base = f"/scorecards/family/{scorecard_id}/root-causes"
    assert (
        admin.submit(f"{base}/categories", {"name": "Knowledge"}, token_from="/").status_code == 302
    )
    assert (
        admin.submit(f"{base}/categories", {"name": "Process"}, token_from="/").status_code == 302
    )
    refused = admin.submit(f"{base}/categories", {"name": "knowledge"}, token_from="/")
    assert refused.status_code == 302  # a duplicate name is refused with a message
    with app.app_context():
        knowledge, process = services.categories(scorecard_id)
        knowledge_id, process_id = knowledge.id, process.id
    add = f"/root-causes/categories/{knowledge_id}/causes"
    admin.submit(add, {"name": "Product policy"}, token_from="/")
    admin.submit(add, {"name": "Billing rules"}, token_from="/")
    admin.submit(f"/root-causes/categories/{process_id}", {"action": "up"}, token_from="/")
    with app.app_context():
        policy = db.session.scalar(db.select(RootCause).filter_by(name="Product policy"))
        policy_id = policy.id
    change = f"/root-causes/causes/{policy_id}"
    admin.submit(change, {"action": "rename", "name": "Policy"}, token_from="/")
    admin.submit(change, {"action": "down"}, token_from="/")
    admin.submit(change, {"action": "retire"}, token_from="/")
    admin.submit(base + "/rule", {"required": "y"}, token_from="/")
    with app.app_context():
        assert [c.name for c in services.categories(scorecard_id)] == ["Process", "Knowledge"]
        knowledge = db.session.get(RootCauseCategory, knowledge_id)
        assert [(c.name, c.retired) for c in knowledge.causes] == [
            ("Billing rules", False),
            ("Policy", True),
        ]
        assert services.is_required(scorecard_id)
        assert [c.name for _, causes in services.offered(scorecard_id) for c in causes] == [
            "Billing rules"
        ]
    page = admin.get(base).get_data(True)
    assert "Billing rules" in page and "Retired" in page


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.LEAD, Role.AGENT])
def test_only_admins_keep_the_list(app, login_as, org, causes, role):
    scorecard_id = _scorecard_id(app, org)
    client = login_as(role)
    assert client.get(f"/scorecards/family/{scorecard_id}/root-causes").status_code == 403
    sent = {"action": "rename", "name": "Hacked"}
    response = client.submit(f"/root-causes/causes/{causes.policy}", sent, token_from="/")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(RootCause, causes.policy).name == "Product policy"
