"""Security check 1 (docs/security-checks.md): every route x role x method answers as listed."""

from __future__ import annotations

from functools import partial

import pytest

from qa_app import create_app
from qa_app.accounts.models import Role
from qa_app.extensions import db
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from tests.conftest import make_config
from tests.snapshots import kept

ROLES = ("anonymous", "agent", "lead", "reviewer", "admin")
LOGIN = "login"  # anonymous users are sent to the sign-in page (302 to /login)


def answers(anonymous, agent, lead, reviewer, admin):
    return dict(zip(ROLES, (anonymous, agent, lead, reviewer, admin), strict=True))


OPEN = answers(200, 200, 200, 200, 200)
SIGNED_IN = answers(LOGIN, 200, 200, 200, 200)
ADMIN_ONLY = answers(LOGIN, 403, 403, 403, 200)
ADMIN_ONLY_POST = answers(LOGIN, 403, 403, 403, 302)
STAFF_NO_AGENTS = answers(LOGIN, 404, 200, 200, 200)
MANAGERS = answers(LOGIN, 403, 403, 200, 200)
MANAGERS_POST = answers(LOGIN, 403, 403, 302, 302)
DRAFT_READ = answers(LOGIN, 404, 404, 200, 200)  # the world's scorecard is a draft
TOKEN = answers(401, 200, 200, 200, 200)  # the JSON API: a bearer token, else 401
TOKEN_STAFF = answers(401, 403, 200, 200, 200)
TOKEN_ADMIN = answers(401, 403, 403, 403, 200)
API_TOKENS = "/api/v1/"  # rules under this, but for the two below, are opened by a token
API_OPEN = {"/api/v1/openapi.json", "/api/v1/docs"}

# (method, rule) -> expected status per role. The lead is the lead of the team in the URL and the
# agent is a member of it; another team's data is covered by the IDOR tests below.
TABLE: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", "/static/<path:filename>"): OPEN,
    ("GET", "/login"): answers(200, 302, 302, 302, 302),
    ("POST", "/login"): answers(200, 302, 302, 302, 302),
    ("POST", "/logout"): answers(LOGIN, 302, 302, 302, 302),
    ("GET", "/account/password"): SIGNED_IN,
    ("POST", "/account/password"): SIGNED_IN,
    ("GET", "/account/preferences"): SIGNED_IN,
    ("POST", "/account/preferences"): answers(LOGIN, 302, 302, 302, 302),
    # Two-factor: nobody in the world has it on, so the second step sends everyone back.
    ("GET", "/login/two-factor"): answers(LOGIN, 302, 302, 302, 302),
    ("POST", "/login/two-factor"): answers(LOGIN, 302, 302, 302, 302),
    ("GET", "/account/two-factor"): SIGNED_IN,
    ("GET", "/account/two-factor/setup"): SIGNED_IN,
    ("POST", "/account/two-factor/setup"): SIGNED_IN,  # an empty code: the form again
    ("POST", "/account/two-factor/recovery-codes"): answers(LOGIN, 302, 302, 302, 302),
    ("POST", "/account/two-factor/off"): answers(LOGIN, 302, 302, 302, 302),
    ("GET", "/"): SIGNED_IN,
    ("GET", "/teams/<int:team_id>"): STAFF_NO_AGENTS,
    ("GET", "/ui"): SIGNED_IN,
    ("GET", "/admin/users"): ADMIN_ONLY,
    ("GET", "/admin/users/new"): ADMIN_ONLY,
    ("POST", "/admin/users/new"): answers(LOGIN, 403, 403, 403, 200),
    ("GET", "/admin/users/<int:user_id>"): ADMIN_ONLY,
    ("POST", "/admin/users/<int:user_id>"): ADMIN_ONLY_POST,
    ("POST", "/admin/users/<int:user_id>/deactivate"): ADMIN_ONLY_POST,
    ("POST", "/admin/users/<int:user_id>/two-factor/reset"): ADMIN_ONLY_POST,
    ("GET", "/admin/teams"): ADMIN_ONLY,
    ("GET", "/admin/teams/new"): ADMIN_ONLY,
    ("POST", "/admin/teams/new"): answers(LOGIN, 403, 403, 403, 200),
    ("GET", "/admin/teams/<int:team_id>"): ADMIN_ONLY,
    ("POST", "/admin/teams/<int:team_id>"): ADMIN_ONLY_POST,
    ("GET", "/scorecards/"): SIGNED_IN,
    ("GET", "/scorecards/new"): MANAGERS,
    ("POST", "/scorecards/new"): MANAGERS,
    ("GET", "/scorecards/import"): MANAGERS,
    ("POST", "/scorecards/import"): MANAGERS,
    ("GET", "/scorecards/<int:version_id>"): DRAFT_READ,
    ("GET", "/scorecards/<int:version_id>/export"): DRAFT_READ,
    ("POST", "/scorecards/<int:version_id>/publish"): MANAGERS_POST,
    ("POST", "/scorecards/<int:version_id>/archive"): MANAGERS_POST,
    ("POST", "/scorecards/<int:version_id>/new-version"): MANAGERS_POST,
    ("POST", "/scorecards/<int:version_id>/duplicate"): MANAGERS_POST,
    ("POST", "/scorecards/<int:version_id>/discard"): MANAGERS_POST,
    ("GET", "/scorecards/<int:version_id>/edit"): MANAGERS,
    ("POST", "/scorecards/<int:version_id>/edit"): MANAGERS,
    ("POST", "/scorecards/<int:version_id>/sections"): answers(LOGIN, 403, 403, 400, 400),
    ("POST", "/scorecards/<int:version_id>/sections/<int:section_id>"): MANAGERS_POST,
    ("POST", "/scorecards/<int:version_id>/sections/<int:section_id>/move"): answers(
        LOGIN, 403, 403, 400, 400
    ),
    ("POST", "/scorecards/<int:version_id>/sections/<int:section_id>/delete"): MANAGERS_POST,
    ("GET", "/scorecards/<int:version_id>/criteria/new"): MANAGERS,
    ("POST", "/scorecards/<int:version_id>/criteria/new"): MANAGERS,
    ("GET", "/scorecards/<int:version_id>/criteria/<int:criterion_id>"): MANAGERS,
    ("POST", "/scorecards/<int:version_id>/criteria/<int:criterion_id>"): MANAGERS,
    ("POST", "/scorecards/<int:version_id>/criteria/<int:criterion_id>/move"): answers(
        LOGIN, 403, 403, 400, 400
    ),
    ("POST", "/scorecards/<int:version_id>/criteria/<int:criterion_id>/delete"): MANAGERS_POST,
    ("GET", "/interactions"): answers(LOGIN, 403, 200, 200, 200),
    ("GET", "/interactions/<int:interaction_id>"): SIGNED_IN,  # the agent's own interaction
    ("GET", "/interactions/import"): MANAGERS,
    ("POST", "/interactions/import"): MANAGERS,
    ("GET", "/interactions/new"): MANAGERS,
    ("POST", "/interactions/new"): MANAGERS,
    # The world's evaluation is submitted, by the world's reviewer, on the world's agent; it has
    # an open dispute. Empty POSTs fail validation (200) without changing anything.
    ("GET", "/evaluations/"): answers(LOGIN, 403, 200, 200, 200),
    ("GET", "/my/scorecards"): answers(LOGIN, 200, 403, 403, 403),
    # Self-reviews: the world's is open, asked of the world's agent on an unscored interaction.
    ("GET", "/interactions/<int:interaction_id>/self-review"): MANAGERS,
    ("POST", "/interactions/<int:interaction_id>/self-review"): MANAGERS,
    ("GET", "/my/self-reviews"): answers(LOGIN, 200, 403, 403, 403),
    ("GET", "/self-reviews/"): answers(LOGIN, 403, 200, 200, 200),
    ("GET", "/self-reviews/<int:review_id>"): answers(LOGIN, 302, 200, 200, 200),
    ("GET", "/self-reviews/<int:review_id>/score"): answers(LOGIN, 200, 403, 403, 403),
    ("POST", "/self-reviews/<int:review_id>/score"): answers(LOGIN, 200, 403, 403, 403),
    ("POST", "/self-reviews/<int:review_id>/decline"): answers(LOGIN, 302, 403, 403, 403),
    ("GET", "/evaluations/new"): answers(LOGIN, 403, 403, 404, 404),  # no interaction given
    ("POST", "/evaluations/new"): answers(LOGIN, 403, 403, 404, 404),
    ("GET", "/evaluations/<int:evaluation_id>"): SIGNED_IN,
    ("GET", "/evaluations/<int:evaluation_id>/edit"): answers(LOGIN, 403, 403, 200, 403),
    # An empty form carries no version: the save is refused as a conflict (409), nothing stored.
    ("POST", "/evaluations/<int:evaluation_id>/edit"): answers(LOGIN, 403, 403, 409, 403),
    ("POST", "/evaluations/<int:evaluation_id>/acknowledge"): answers(LOGIN, 302, 403, 403, 403),
    ("GET", "/evaluations/<int:evaluation_id>/dispute"): answers(LOGIN, 200, 403, 403, 403),
    ("POST", "/evaluations/<int:evaluation_id>/dispute"): answers(LOGIN, 200, 403, 403, 403),
    ("GET", "/disputes"): answers(LOGIN, 403, 200, 200, 200),
    ("GET", "/disputes/<int:dispute_id>"): answers(LOGIN, 403, 200, 200, 200),
    ("POST", "/disputes/<int:dispute_id>"): answers(LOGIN, 403, 200, 200, 200),
    # Reviewing the reviewers: the world's reviewer is not a senior reviewer; the admin reviews
    # the world's evaluation (an empty POST lacks the verdicts: 200 with the message).
    ("GET", "/reviews"): ADMIN_ONLY,
    ("GET", "/evaluations/<int:evaluation_id>/review"): ADMIN_ONLY,
    ("POST", "/evaluations/<int:evaluation_id>/review"): ADMIN_ONLY,
    ("GET", "/reviewers"): answers(LOGIN, 403, 403, 302, 200),  # a reviewer goes to their own
    ("GET", "/reviewers/<int:reviewer_id>/quality"): MANAGERS,  # the world's reviewer's own page
    ("GET", "/results/"): answers(LOGIN, 302, 302, 200, 200),  # agents and one-team leads go on
    ("GET", "/results/teams/<int:team_id>"): STAFF_NO_AGENTS,
    ("GET", "/results/teams/<int:team_id>/trend.svg"): STAFF_NO_AGENTS,
    ("GET", "/results/teams/<int:team_id>/distribution.svg"): STAFF_NO_AGENTS,
    ("GET", "/results/agents/<int:agent_id>"): SIGNED_IN,
    ("GET", "/results/agents/<int:agent_id>/trend.svg"): SIGNED_IN,
    ("GET", "/results/agents/<int:agent_id>/criteria.svg"): SIGNED_IN,
    ("GET", "/plans/"): SIGNED_IN,
    ("GET", "/plans/new"): answers(LOGIN, 403, 404, 403, 404),  # no agent given
    ("POST", "/plans/new"): answers(LOGIN, 403, 404, 403, 404),
    ("GET", "/plans/<int:plan_id>"): SIGNED_IN,
    ("GET", "/plans/<int:plan_id>/edit"): answers(LOGIN, 403, 200, 403, 200),
    ("POST", "/plans/<int:plan_id>/edit"): answers(LOGIN, 403, 200, 403, 200),
    ("POST", "/plans/<int:plan_id>/notes"): answers(LOGIN, 403, 302, 403, 302),
    ("POST", "/plans/<int:plan_id>/acknowledge"): answers(LOGIN, 302, 403, 403, 403),
    # Excel downloads: an agent may download their own coaching report, never a team's.
    ("GET", "/reports/agents/<int:agent_id>.xlsx"): SIGNED_IN,
    ("GET", "/reports/teams/<int:team_id>.xlsx"): STAFF_NO_AGENTS,
    # A POST starts the report as a job and goes to the job's page.
    ("POST", "/reports/agents/<int:agent_id>.xlsx"): answers(LOGIN, 302, 302, 302, 302),
    ("POST", "/reports/teams/<int:team_id>.xlsx"): answers(LOGIN, 404, 302, 302, 302),
    ("GET", "/reports/organisation.xlsx"): MANAGERS,
    ("POST", "/reports/organisation.xlsx"): MANAGERS_POST,
    # Calibration: reviewers and admins only. The world's session is closed, led by the world's
    # reviewer, with the reviewer and the admin as participants.
    ("GET", "/calibration/"): MANAGERS,
    ("GET", "/calibration/new"): MANAGERS,
    ("POST", "/calibration/new"): MANAGERS,
    ("GET", "/calibration/<int:session_id>"): MANAGERS,
    ("POST", "/calibration/<int:session_id>/close"): MANAGERS_POST,
    ("GET", "/calibration/<int:session_id>/results"): MANAGERS,
    ("GET", "/calibration/<int:session_id>/scores.svg"): MANAGERS,
    ("GET", "/calibration/consistency"): MANAGERS,
    ("GET", "/autoqa/trust"): MANAGERS,
    ("POST", "/autoqa/rescore"): MANAGERS_POST,
    ("GET", "/signals/phrases"): ADMIN_ONLY,
    ("POST", "/signals/phrases"): answers(LOGIN, 403, 403, 403, 200),
    ("POST", "/signals/run"): MANAGERS_POST,
    ("GET", "/autoqa/playground"): MANAGERS,
    ("POST", "/autoqa/playground"): MANAGERS,  # an empty form is shown again with its messages
    # Sampling: reviewers and admins manage and run plans; leads see coverage of their teams.
    # The world's plan covers the world's team; empty POSTs fail validation (200).
    ("GET", "/sampling/"): answers(LOGIN, 403, 200, 200, 200),
    ("GET", "/sampling/queue"): MANAGERS,
    ("GET", "/sampling/hit-rate"): MANAGERS,
    ("GET", "/sampling/plans/new"): MANAGERS,
    ("POST", "/sampling/plans/new"): MANAGERS,
    ("GET", "/sampling/plans/<int:sampling_plan_id>"): MANAGERS,
    ("GET", "/sampling/plans/<int:sampling_plan_id>/edit"): MANAGERS,
    ("POST", "/sampling/plans/<int:sampling_plan_id>/edit"): MANAGERS,
    ("POST", "/sampling/plans/<int:sampling_plan_id>/run"): MANAGERS_POST,
    ("GET", "/sampling/plans/<int:sampling_plan_id>/coverage"): answers(LOGIN, 403, 200, 200, 200),
    # Jobs: the world's job was started by the world's reviewer; admins see it but only its
    # owner may cancel it.
    ("GET", "/jobs/"): SIGNED_IN,  # each user's own jobs (an admin's: everyone's)
    ("GET", "/jobs/<int:job_id>"): DRAFT_READ,
    ("GET", "/jobs/<int:job_id>/status"): DRAFT_READ,
    ("POST", "/jobs/<int:job_id>/cancel"): answers(LOGIN, 404, 404, 302, 403),
    # The world's job made no file; the owner's download is tested in tests/jobs.
    ("GET", "/jobs/<int:job_id>/download"): answers(LOGIN, 404, 404, 404, 404),
    # Notifications: the world's one is the agent's (their evaluation); anyone else's is a 404.
    ("GET", "/notifications/"): SIGNED_IN,
    ("POST", "/notifications/<int:notification_id>/read"): answers(LOGIN, 302, 404, 404, 404),
    ("POST", "/notifications/read-all"): answers(LOGIN, 302, 302, 302, 302),
    ("GET", "/notifications/preferences"): SIGNED_IN,
    ("POST", "/notifications/preferences"): answers(LOGIN, 302, 302, 302, 302),  # keeps all
    ("GET", "/notifications/settings"): ADMIN_ONLY,
    ("POST", "/notifications/settings"): answers(LOGIN, 403, 403, 403, 200),
    ("GET", "/admin/settings"): ADMIN_ONLY,
    ("POST", "/admin/settings"): answers(LOGIN, 403, 403, 403, 200),
    ("GET", "/admin/model-server"): ADMIN_ONLY,
    ("POST", "/admin/model-server"): answers(LOGIN, 403, 403, 403, 200),
    ("POST", "/admin/model-server/test"): ADMIN_ONLY_POST,  # none saved: no request leaves
    ("GET", "/admin/webhooks/"): ADMIN_ONLY,
    ("GET", "/admin/webhooks/new"): ADMIN_ONLY,
    ("POST", "/admin/webhooks/new"): answers(LOGIN, 403, 403, 403, 200),  # no address: refused
    ("GET", "/admin/webhooks/<int:endpoint_id>"): ADMIN_ONLY,
    ("POST", "/admin/webhooks/<int:endpoint_id>"): answers(LOGIN, 403, 403, 403, 200),
    ("POST", "/admin/webhooks/<int:endpoint_id>/test"): ADMIN_ONLY_POST,  # to 127.0.0.1:9
    ("POST", "/admin/webhooks/<int:endpoint_id>/secret"): answers(LOGIN, 403, 403, 403, 200),
    ("POST", "/admin/webhooks/<int:endpoint_id>/delete"): ADMIN_ONLY_POST,
    ("GET", "/admin/connectors/zendesk"): ADMIN_ONLY,
    ("POST", "/admin/connectors/zendesk"): answers(LOGIN, 403, 403, 403, 200),
    ("POST", "/admin/connectors/zendesk/pull"): ADMIN_ONLY_POST,  # none saved: no request leaves
    # Root causes: the list of the world's scorecard, kept by admins alone.
    ("GET", "/scorecards/family/<int:scorecard_id>/root-causes"): ADMIN_ONLY,
    ("POST", "/scorecards/family/<int:scorecard_id>/root-causes/rule"): ADMIN_ONLY_POST,
    ("POST", "/scorecards/family/<int:scorecard_id>/root-causes/categories"): ADMIN_ONLY_POST,
    ("POST", "/root-causes/categories/<int:category_id>/causes"): ADMIN_ONLY_POST,
    ("POST", "/root-causes/categories/<int:category_id>"): ADMIN_ONLY_POST,
    ("POST", "/root-causes/causes/<int:cause_id>"): ADMIN_ONLY_POST,
    # Privacy: the audit log, retention, erasure and a person's data (docs/privacy.md).
    ("GET", "/privacy/audit"): ADMIN_ONLY,
    ("GET", "/privacy/audit.xlsx"): ADMIN_ONLY,
    ("GET", "/privacy/erasure"): ADMIN_ONLY,
    ("POST", "/privacy/erasure"): ADMIN_ONLY,  # a lookup with no reference: the form again
    ("POST", "/privacy/erasure/confirm"): answers(LOGIN, 403, 403, 403, 400),  # nothing sent
    ("GET", "/privacy/people/<int:user_id>/export.json"): ADMIN_ONLY,
    ("GET", "/privacy/my-data.json"): SIGNED_IN,  # each user's own data
    # Single sign-on: the world has no provider switched on, so the button's link finds none;
    # the callback refuses anything that carries no state (docs/sso.md).
    ("GET", "/login/sso"): answers(404, 302, 302, 302, 302),
    ("GET", "/login/sso/callback"): answers(400, 400, 400, 400, 400),
    ("GET", "/admin/sso"): ADMIN_ONLY,
    ("POST", "/admin/sso"): answers(LOGIN, 403, 403, 403, 200),  # empty: shown again
    ("POST", "/admin/sso/mappings"): answers(LOGIN, 403, 403, 403, 200),
    ("POST", "/admin/sso/mappings/<int:mapping_id>/delete"): ADMIN_ONLY_POST,
    ("GET", "/healthz"): OPEN,
    ("GET", "/readyz"): OPEN,
    # API tokens: the world's token is the agent's; anyone else's revoke is a 404.
    ("GET", "/account/tokens"): SIGNED_IN,
    ("POST", "/account/tokens"): answers(LOGIN, 200, 200, 200, 200),  # an empty form again
    ("POST", "/account/tokens/<int:token_id>/revoke"): answers(LOGIN, 302, 404, 404, 404),
    ("GET", "/admin/tokens"): ADMIN_ONLY,
    ("POST", "/admin/tokens/<int:token_id>/revoke"): ADMIN_ONLY_POST,
    ("GET", "/api/v1/openapi.json"): OPEN,
    ("GET", "/api/v1/docs"): OPEN,
    # The JSON API is opened by a read+write token of the role's user, never by a cookie: no
    # token is a 401. An empty JSON body is refused (400) where the role may write at all.
    ("GET", "/api/v1/interactions"): TOKEN,
    ("POST", "/api/v1/interactions"): answers(401, 403, 403, 400, 400),
    ("POST", "/api/v1/interactions/bulk"): answers(401, 403, 403, 400, 400),
    ("GET", "/api/v1/interactions/<int:interaction_id>"): TOKEN,  # the agent's own
    ("GET", "/api/v1/scorecards"): TOKEN,
    ("GET", "/api/v1/scorecards/<int:version_id>"): answers(401, 404, 404, 200, 200),  # a draft
    ("GET", "/api/v1/scorecards/<int:version_id>/yaml"): answers(401, 404, 404, 200, 200),
    ("GET", "/api/v1/evaluations"): TOKEN,
    ("GET", "/api/v1/evaluations/<int:evaluation_id>"): TOKEN,
    ("GET", "/api/v1/disputes"): TOKEN_STAFF,
    ("GET", "/api/v1/disputes/<int:dispute_id>"): TOKEN_STAFF,
    ("GET", "/api/v1/results"): TOKEN_STAFF,
    ("GET", "/api/v1/results/teams/<int:team_id>"): answers(401, 404, 200, 200, 200),
    ("GET", "/api/v1/results/agents/<int:agent_id>"): TOKEN,
    ("GET", "/api/v1/users"): TOKEN_ADMIN,
    ("GET", "/api/v1/users/<int:user_id>"): TOKEN_ADMIN,
    ("GET", "/api/v1/teams"): TOKEN_ADMIN,
    ("GET", "/api/v1/teams/<int:team_id>"): TOKEN_ADMIN,
}


def _routes() -> set[tuple[str, str]]:
    app = create_app(make_config("sqlite://"))
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_and_method_is_in_the_access_table():
    routes = _routes()
    assert sorted(routes - TABLE.keys()) == [], "add these routes to the access table"
    assert sorted(TABLE.keys() - routes) == [], "these table rows name no route"


@pytest.fixture
def world(app, make_user, make_team, make_interaction, made, config_overrides):
    """A team with its lead and an agent, a target user, a draft scorecard, a user per role
    (made once per test process: tests/snapshots.py)."""
    build = partial(_world, app, make_user, make_team, make_interaction)
    return kept(app, "access-world", build, made, config_overrides)


def _world(app, make_user, make_team, make_interaction):
    lead = make_user(Role.LEAD)
    team = make_team("Billing", lead=lead)
    agent = make_user(Role.AGENT, team=team)
    target = make_user(Role.AGENT, team=team)
    reviewer = make_user(Role.REVIEWER)
    admin = make_user(Role.ADMIN)
    with app.app_context():
        draft = import_doc(load_shipped_template(SHIPPED_DIR / "chat.yaml"), None)
        db.session.commit()
        scorecard = {
            "version_id": draft.id,
            "section_id": draft.sections[0].id,
            "criterion_id": draft.ordered_criteria[0].id,
            **_root_causes(draft.scorecard_id),
        }
    return {
        "users": {
            "agent": agent,
            "lead": lead,
            "reviewer": reviewer,
            "admin": admin,
        },
        "params": {
            "team_id": team.id,
            "user_id": target.id,
            "filename": "css/app.css",
            "interaction_id": (interaction := make_interaction(agent)).id,
            **scorecard,
            **_evaluation_and_dispute(app, make_interaction(agent), reviewer, agent),
            "agent_id": agent.id,
            "reviewer_id": reviewer.id,
            "plan_id": _plan(app, agent, lead),
            "session_id": _calibration_session(app, make_interaction(agent), reviewer, admin),
            "sampling_plan_id": _sampling_plan(app, team, reviewer),
            "job_id": _job(app, reviewer),
            "review_id": _self_review(app, interaction, reviewer),
            "notification_id": _notification(app, agent),
            "endpoint_id": _webhook(app),
            "mapping_id": _sso_mapping(app),
            "token_id": _api_token(app, agent)[0],
        },
    }


def _sso_mapping(app) -> int:
    from qa_app.sso import services

    with app.app_context():
        mapping = services.add_mapping("qa-reviewers", Role.REVIEWER)
        db.session.commit()
        return mapping.id


def _root_causes(scorecard_id: int) -> dict[str, int]:
    from qa_app.rootcauses import services

    category = services.add_category(scorecard_id, "Knowledge")
    cause = services.add_cause(category, "Product policy")
    db.session.commit()
    return {"scorecard_id": scorecard_id, "category_id": category.id, "cause_id": cause.id}


def _notification(app, agent) -> int:
    """The agent's notification of their submitted evaluation (made by the session listener)."""
    import sqlalchemy as sa

    from qa_app.notifications.models import Notification

    with app.app_context():
        stmt = sa.select(Notification.id).where(Notification.recipient_id == agent.id)
        return db.session.scalars(stmt).one()


def _evaluation_and_dispute(app, interaction, reviewer, agent) -> dict[str, int]:
    """A submitted evaluation with an open dispute, made through the services."""
    from qa_app.accounts.models import User
    from qa_app.disputes import services as disputes
    from qa_app.evaluations import services
    from qa_app.interactions.models import Interaction

    with app.app_context():
        version = import_doc(
            load_shipped_template(SHIPPED_DIR / "five-key-elements.yaml"), None, publish_now=True
        )
        evaluation = services.start(
            db.session.get(Interaction, interaction.id), version, db.session.get(User, reviewer.id)
        )
        values = {c.id: services.CriterionInput(4, False, "") for c in version.ordered_criteria}
        data = services.EvaluationInput(values, "", "")
        services.save(evaluation, data, evaluation.reviewer, submit=True, lock_version=None)
        agent_row = db.session.get(User, agent.id)
        dispute = disputes.raise_dispute(evaluation, agent_row, "I disagree", [])
        db.session.commit()
        return {"evaluation_id": evaluation.id, "dispute_id": dispute.id}


def _calibration_session(app, interaction, reviewer, admin) -> int:
    """A closed calibration session on the published scorecard, made through the service."""
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    from qa_app.accounts.models import User
    from qa_app.calibration.services import SessionInput, close_session, create_session
    from qa_app.scorecards.models import ScorecardVersion, Status

    with app.app_context():
        published = sa.select(ScorecardVersion.id).where(
            ScorecardVersion.status == Status.PUBLISHED
        )
        data = SessionInput(
            name="Calibration",
            scorecard_version_id=db.session.scalar(published),
            external_ids=[interaction.external_id],
            participant_ids=[reviewer.id, admin.id],
            expert_id=None,
            deadline=datetime.now(UTC) + timedelta(days=1),
        )
        session = create_session(db.session.get(User, reviewer.id), data)
        close_session(session)
        db.session.commit()
        return session.id


def _sampling_plan(app, team, reviewer) -> int:
    """A sampling plan of the world's team on the published scorecard, made through the service."""
    import sqlalchemy as sa

    from qa_app.accounts.models import User
    from qa_app.sampling.models import Period
    from qa_app.sampling.services import PlanInput, save_plan
    from qa_app.scorecards.models import ScorecardVersion, Status

    with app.app_context():
        published = sa.select(ScorecardVersion).where(ScorecardVersion.status == Status.PUBLISHED)
        data = PlanInput(
            name="Weekly sample",
            period=Period.WEEK,
            per_agent=2,
            channel_quotas={},
            scorecard_id=db.session.scalars(published).first().scorecard_id,
            team_ids=[team.id],
            agent_ids=[],
            reviewer_ids=[reviewer.id],
            is_active=True,
            seed=1,
        )
        plan = save_plan(None, data, db.session.get(User, reviewer.id))
        db.session.commit()
        return plan.id


def _self_review(app, interaction, reviewer) -> int:
    """An open self-review of an interaction no reviewer has scored, made through the service."""
    import sqlalchemy as sa

    from qa_app.accounts.models import User
    from qa_app.interactions.models import Interaction
    from qa_app.scorecards.models import ScorecardVersion, Status
    from qa_app.self_reviews.services import request_self_review

    with app.app_context():
        published = sa.select(ScorecardVersion).where(ScorecardVersion.status == Status.PUBLISHED)
        review = request_self_review(
            db.session.get(Interaction, interaction.id),
            db.session.scalars(published).first(),
            db.session.get(User, reviewer.id),
        )
        db.session.commit()
        return review.id


def _job(app, owner) -> int:
    """A finished import job of the world's reviewer."""
    from qa_app.accounts.models import User
    from qa_app.jobs.models import JobKind, JobState
    from qa_app.jobs.services import create_job

    with app.app_context():
        job = create_job(JobKind.INTERACTION_IMPORT, db.session.get(User, owner.id), {})
        job.state = JobState.DONE
        db.session.commit()
        return job.id


def _plan(app, agent, lead) -> int:
    from datetime import date

    from qa_app.accounts.models import User
    from qa_app.plans.services import GoalInput, save_plan

    with app.app_context():
        plan = save_plan(
            None,
            db.session.get(User, agent.id),
            db.session.get(User, lead.id),
            title="Plan",
            starts_on=date(2026, 1, 1),
            due_on=date(2026, 2, 1),
            goals=[GoalInput("k", "Greeting", 4, "Practise")],
        )
        db.session.commit()
        return plan.id


def _webhook(app) -> int:
    """An endpoint on a port where nothing listens: a test event fails at once, locally."""
    from qa_app.webhooks.services import EndpointInput, create_endpoint

    with app.app_context():
        endpoint, _secret = create_endpoint(
            EndpointInput("http://127.0.0.1:9/hook", "", ["import.finished"], True)
        )
        db.session.commit()
        return endpoint.id


def _api_token(app, user, write: bool = True) -> tuple[int, str]:
    """A personal API token of the user: its id and value."""
    from qa_app.accounts.models import User
    from qa_app.api.services import create_token

    with app.app_context():
        token, value = create_token(
            db.session.get(User, user.id), "access table", can_write=write, expires_at=None
        )
        db.session.commit()
        return token.id, value


def _token_answer(app, world, method: str, url: str, role: str):
    """One role's request to the JSON API, with a read+write token of the role's user."""
    headers = {}
    if role != "anonymous":
        headers["Authorization"] = f"Bearer {_api_token(app, world['users'][role])[1]}"
    client = app.test_client()
    if method == "GET":
        return client.get(url, headers=headers)
    return client.open(url, method=method, json={}, headers=headers)


def _url(rule: str, params: dict[str, object]) -> str:
    for name, value in params.items():
        for converter in ("int:", "path:", ""):
            rule = rule.replace(f"<{converter}{name}>", str(value))
    assert "<" not in rule, f"no value for a parameter of {rule}"
    return rule


def _answer(app, world, method: str, rule: str, role: str) -> None:
    """One role's request to one route, checked against the table."""
    url = _url(rule, world["params"])
    client = app.test_client()
    if rule.startswith(API_TOKENS) and rule not in API_OPEN:
        response = _token_answer(app, world, method, url, role)
    else:
        if role != "anonymous":
            assert client.sign_in(world["users"][role].email).status_code == 302
        if method == "GET":
            response = client.get(url)
        else:
            response = client.submit(url, {}, token_from="/" if role != "anonymous" else "/login")
    response.close()
    expected = TABLE[(method, rule)][role]
    if expected == LOGIN:
        assert response.status_code == 302, (role, url)
        assert response.headers["Location"].startswith("/login"), (role, url)
    else:
        assert response.status_code == expected, (role, method, url)


# The table's answers are decided in Python over the same queries on either database, so the
# table runs on SQLite only (it was a sixth of the suite's time on both); the ownership checks
# below (guessed ids, another team's page) run on PostgreSQL too.
ON_SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


# A GET changes nothing, so the five roles can read the same world one after the other; a POST
# may change it, so each role's POST gets a world of its own.
@ON_SQLITE
@pytest.mark.parametrize(("method", "rule"), sorted(key for key in TABLE if key[0] == "GET"))
def test_read_route_answers_each_role_as_the_table_says(app, world, method, rule):
    for role in ROLES:
        _answer(app, world, method, rule, role)


# A refused POST changes nothing either: the roles a route refuses share one world.
REFUSED = {LOGIN, 400, 401, 403, 404, 405, 409}
CHANGES = sorted(key for key in TABLE if key[0] != "GET")


@ON_SQLITE
@pytest.mark.parametrize(("method", "rule"), CHANGES)
def test_refused_changes_answer_each_role_as_the_table_says(app, world, method, rule):
    for role in ROLES:
        if TABLE[(method, rule)][role] in REFUSED:
            _answer(app, world, method, rule, role)


@ON_SQLITE
@pytest.mark.parametrize(
    ("method", "rule", "role"),
    [(*key, role) for key in CHANGES for role in ROLES if TABLE[key][role] not in REFUSED],
)
def test_route_answers_each_role_as_the_table_says(app, world, method, rule, role):
    _answer(app, world, method, rule, role)


def test_lead_gets_404_for_another_teams_page(login_as, make_user, make_team):
    other_team = make_team("Other", lead=make_user(Role.LEAD))
    client = login_as(Role.LEAD)
    response = client.get(f"/teams/{other_team.id}")
    assert response.status_code == 404
    assert "Other" not in response.get_data(as_text=True)


def test_guessed_team_ids_give_404_without_data(login_as):
    client = login_as(Role.LEAD)
    for team_id in (0, 1, 2, 999_999):
        assert client.get(f"/teams/{team_id}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/interactions/{interaction_id}",
        "/api/v1/evaluations/{evaluation_id}",
        "/api/v1/results/agents/{agent_id}",
    ],
)
def test_api_tokens_of_other_agents_and_leads_get_404_without_data(app, world, make_user, path):
    """Another team's lead and another agent: 404 by the API as by the pages, guessed ids too."""
    lead = make_user(Role.LEAD)
    stranger = make_user(Role.AGENT)
    for user in (lead, stranger):
        headers = {"Authorization": f"Bearer {_api_token(app, user, write=False)[1]}"}
        client = app.test_client()
        for params in (world["params"], {k: 999_999 for k in world["params"]}):
            response = client.get(path.format(**params), headers=headers)
            assert response.status_code == 404, (user.role, path)
            assert world["users"]["agent"].email not in response.get_data(as_text=True)
