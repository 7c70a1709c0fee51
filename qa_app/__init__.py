"""QA Scorecard: quality assurance scorecards for customer service teams."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import csrf, db, migrate


def _instance_secret(app: Flask) -> str:
    """A random secret kept in instance/ so local sessions survive a restart."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(config_class: type | None = None) -> Flask:
    """Build the application for a configuration class (default: from QA_ENV)."""
    if config_class is None:
        from config import config_from_env

        config_class = config_from_env()
    root = Path(__file__).resolve().parent.parent
    app = Flask(__name__, instance_path=str(root / "instance"))
    app.config.from_object(config_class)
    if app.config.get("ENV_NAME") == "production":
        from .security import check_production_config

        check_production_config(app)
    elif not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(app)
    if app.config.get("PROXY_FIX_HOPS"):  # set when behind N trusted reverse proxies
        hops = int(app.config["PROXY_FIX_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    _init_extensions(app)
    _register_blueprints(app)
    from .cli import register_cli
    from .errors import init_errors
    from .i18n import init_i18n
    from .logs import init_logging
    from .security import init_security
    from .ui import init_ui

    init_logging(app)
    init_i18n(app)
    init_ui(app)
    init_errors(app)
    init_security(app)
    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from .accounts.access import init_login
    from .database import init_database
    from .interactions.services import register_jobs
    from .jobs.tasks import init_jobs
    from .models import import_models
    from .reports.jobs import register_jobs as register_report_jobs
    from .results.jobs import register_jobs as register_rebuild_jobs
    from .results.tracking import init_tracking
    from .routing import init_routing
    from .sampling.jobs import register_jobs as register_sampling_jobs

    import_models()  # every table is known before migrations and create_all
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        render_as_batch=True,
        directory=str(Path(__file__).resolve().parent.parent / "migrations"),
    )
    init_login(app)
    csrf.init_app(app)
    init_database(app)
    init_tracking(app)
    init_routing(app)  # before the blueprints: their rules use the bounded <int:...>
    init_jobs(app)
    register_jobs()
    register_report_jobs()
    register_sampling_jobs()
    register_rebuild_jobs()


def _register_blueprints(app: Flask) -> None:
    from .accounts.views import bp as auth_bp
    from .admin.views import bp as admin_bp
    from .calibration.views import bp as calibration_bp
    from .disputes.views import bp as disputes_bp
    from .evaluations.views import bp as evaluations_bp
    from .interactions.views import bp as interactions_bp
    from .jobs.views import bp as jobs_bp
    from .main.views import bp as main_bp
    from .ops.views import bp as ops_bp
    from .plans.views import bp as plans_bp
    from .reports.views import bp as reports_bp
    from .results.views import bp as results_bp
    from .sampling.views import bp as sampling_bp
    from .scorecard_editor.views import bp as scorecard_editor_bp
    from .scorecards.views import bp as scorecards_bp

    blueprints = (
        auth_bp,
        admin_bp,
        main_bp,
        scorecards_bp,
        scorecard_editor_bp,
        interactions_bp,
        evaluations_bp,
        disputes_bp,
        results_bp,
        plans_bp,
        calibration_bp,
        reports_bp,
        sampling_bp,
        ops_bp,
        jobs_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
