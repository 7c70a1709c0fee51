"""QA Scorecard: quality assurance scorecards for customer service teams."""

from __future__ import annotations

import secrets
from importlib import import_module
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
    _secure(app)
    _init_extensions(app)
    _register_blueprints(app)
    from .api.v1 import init_api
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
    init_api(app)  # its blueprints answer their own errors as problem+json
    init_security(app)
    register_cli(app)
    return app


def _secure(app: Flask) -> None:
    """Production refuses unsafe settings; elsewhere a missing secret is kept in instance/."""
    if app.config.get("ENV_NAME") == "production":
        from .security import check_production_config

        check_production_config(app)
    elif not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(app)
    if app.config.get("PROXY_FIX_HOPS"):  # set when behind N trusted reverse proxies
        hops = int(app.config["PROXY_FIX_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def _init_extensions(app: Flask) -> None:
    from .accounts.access import init_login
    from .database import init_database
    from .evaluations.copies import init_copies
    from .evaluations.evaluated import init_evaluated_flag
    from .jobs.tasks import init_jobs
    from .models import import_models
    from .results.chart_cache import init_chart_cache
    from .results.marks import init_marks
    from .results.tracking import init_tracking
    from .routing import init_routing

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
    init_marks(app)  # what changed, for the kept page parts: docs/performance.md
    init_chart_cache(app)  # drawn charts kept by what they show: docs/performance.md
    init_evaluated_flag(app)  # the interaction list's "evaluated" flag, kept on every flush
    init_copies(app)  # each evaluation's copies of its interaction's agent, time and channel
    init_routing(app)  # before the blueprints: their rules use the bounded <int:...>
    init_jobs(app)
    from .notifications.tasks import init_notifications

    init_notifications(app)  # after the queue: its emails and reminders are tasks on it
    from .webhooks.tasks import init_webhooks

    init_webhooks(app)  # after the queue: each delivery is a task on it
    from .privacy.tasks import init_privacy

    init_privacy(app)  # the daily retention run, on the same queue
    from .connectors.tasks import init_connectors

    init_connectors(app)  # the scheduled helpdesk pull is a periodic task on the queue
    from .results.warming import init_warming

    init_warming(app)  # result pages rendered ahead after a write, a task on the queue
    for name in JOB_SLICES:  # each slice says how its kinds of background work run
        import_module(f"{__package__}.{name}.jobs").register_jobs()


# The slices with background work: each has a jobs.py whose register_jobs() adds its job kinds.
# The order is the order of the import hooks: signals read the auto results, so come after.
JOB_SLICES = ("interactions", "reports", "sampling", "results", "autoqa", "signals", "connectors")


# One blueprint per slice, each in the slice's views.py, registered in this order.
BLUEPRINT_SLICES = (
    "accounts",
    "admin",
    "sso",
    "main",
    "scorecards",
    "scorecard_editor",
    "rootcauses",
    "interactions",
    "autoqa",
    "evaluations",
    "self_reviews",
    "disputes",
    "reviews",
    "signals",
    "trust",
    "results",
    "plans",
    "calibration",
    "reports",
    "sampling",
    "ops",
    "jobs",
    "notifications",
    "webhooks",
    "privacy",
    "connectors",
    "api",
    "styleguide",
)


def _register_blueprints(app: Flask) -> None:
    for slice_name in BLUEPRINT_SLICES:
        app.register_blueprint(import_module(f"{__name__}.{slice_name}.views").bp)
