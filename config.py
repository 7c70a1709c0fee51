"""Configuration classes: development (default), testing and production."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# Werkzeug's default scrypt cost is N=2**15; our security bar is N >= 2**16.
STRONG_PASSWORD_HASH = "scrypt:65536:8:1"  # noqa: S105 (a method name, not a secret)


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'qa_scorecard.db'}"
    # Heroku-style URLs and plain "postgresql://" get the psycopg 3 driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    PASSWORD_HASH_METHOD = STRONG_PASSWORD_HASH
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = 0
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    LOGIN_FAIL_WINDOW_SECONDS = 15 * 60
    # One address's failures on one account, then the account's from anywhere: docs/security.md.
    LOGIN_FAIL_LIMIT_PER_ACCOUNT_ADDRESS = 5
    LOGIN_FAIL_LIMIT_PER_ACCOUNT = 50
    LOGIN_FAIL_LIMIT_PER_ADDRESS = 20
    SQLITE_BUSY_TIMEOUT_MS = 5000
    # PostgreSQL cancels a request's statement after this long (0: never); under gunicorn's 60 s.
    STATEMENT_TIMEOUT_MS = int(os.environ.get("STATEMENT_TIMEOUT_MS", "30000"))
    HSTS = False
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))
    DEMO_LOGINS_FILE = str(INSTANCE_DIR / "demo-logins.txt")
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "console")  # "json": one object per line
    # Background jobs (docs/jobs.md): Redis when REDIS_URL is set, else a SQLite file.
    REDIS_URL = os.environ.get("REDIS_URL", "").strip()
    JOBS_IMMEDIATE = False  # True runs each job inside the request that starts it
    # Several installations may share one Redis server, each under a queue name of its own.
    JOBS_QUEUE_NAME = os.environ.get("JOBS_QUEUE_NAME", "qa-scorecard")
    JOBS_QUEUE_FILE = os.environ.get("JOBS_QUEUE_FILE", str(INSTANCE_DIR / "jobs-queue.db"))
    JOB_FILES_DIR = os.environ.get("JOB_FILES_DIR", str(INSTANCE_DIR / "job-files"))
    JOB_HEARTBEAT_TIMEOUT_SECONDS = int(os.environ.get("JOB_HEARTBEAT_TIMEOUT_SECONDS", "300"))
    # How long an idle worker waits at most between looks at a SQLite queue (Redis wakes it).
    JOBS_POLL_SECONDS = float(os.environ.get("JOBS_POLL_SECONDS", "1"))
    # Uploads larger than this are imported by the worker; smaller ones within the request.
    IMPORT_JOB_THRESHOLD_BYTES = int(os.environ.get("IMPORT_JOB_THRESHOLD_BYTES", str(2 << 20)))
    # Excel reports over more evaluations than this are written by the worker (docs/jobs.md).
    REPORT_JOB_THRESHOLD_EVALUATIONS = int(
        os.environ.get("REPORT_JOB_THRESHOLD_EVALUATIONS", "20000")
    )
    # A job's file (a written report) is deleted this many hours after it was written.
    JOB_FILE_RETENTION_HOURS = int(os.environ.get("JOB_FILE_RETENTION_HOURS", "24"))
    # Drawn charts (docs/performance.md): in Redis when REDIS_URL is set, else files in CACHE_DIR.
    CACHE_DIR = os.environ.get("CHART_CACHE_DIR", str(INSTANCE_DIR / "chart-cache"))
    CACHE_DEFAULT_TIMEOUT = int(os.environ.get("CHART_CACHE_SECONDS", str(24 * 3600)))
    CACHE_THRESHOLD = int(os.environ.get("CHART_CACHE_MAX_FILES", "2000"))  # files, not Redis
    # The worker renders changed result pages ahead for their readers this long after a write
    # (0: never; docs/performance.md, "Rendered ahead").
    RESULTS_WARM_SECONDS = float(os.environ.get("RESULTS_WARM_SECONDS", "1"))
    # The JSON API (docs/api.md): items in one bulk create, and the rate limits (Flask-Limiter
    # syntax) per token and per client address; their counters live in Redis when REDIS_URL is set.
    API_BULK_MAX_ITEMS = int(os.environ.get("API_BULK_MAX_ITEMS", "5000"))
    API_RATE_LIMIT_PER_TOKEN = os.environ.get("API_RATE_LIMIT_PER_TOKEN", "600/minute")
    API_RATE_LIMIT_PER_ADDRESS = os.environ.get("API_RATE_LIMIT_PER_ADDRESS", "1200/minute")
    # Notifications (docs/notifications.md): email over SMTP, off while MAIL_SERVER is empty.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://localhost:5000")  # links in emails
    MAIL_BACKEND = "smtp"
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "").strip()
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "30"))
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "qa-scorecard@localhost")
    MAIL_RETRIES = int(os.environ.get("MAIL_RETRIES", "3"))  # the queue tries a failed email again
    MAIL_RETRY_DELAY_SECONDS = int(os.environ.get("MAIL_RETRY_DELAY_SECONDS", "300"))
    NOTIFICATIONS_DIGEST_HOUR = int(os.environ.get("NOTIFICATIONS_DIGEST_HOUR", "7"))  # UTC
    # The hour (UTC) of the daily retention run on old transcripts (docs/privacy.md).
    RETENTION_HOUR = int(os.environ.get("RETENTION_HOUR", "3"))


class DevelopmentConfig(Config):
    """Local use: `make run`. A random secret is generated per instance when none is given."""

    DEBUG = False


class TestingConfig(Config):
    """The test suite: fast hashes, no CSRF exemption (tests send real tokens)."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    # A cheap scrypt keeps the suite fast; the production cost is tested separately.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # noqa: S105
    SQLITE_BUSY_TIMEOUT_MS = 2000
    JOBS_IMMEDIATE = True
    CACHE_TYPE = "SimpleCache"  # each test's app has a chart cache of its own, in memory
    RESULTS_WARM_SECONDS = 0.0  # jobs run in the request: nothing is rendered ahead


class ProductionConfig(Config):
    """Production: secure cookies and HSTS; refuses to start without a real key or with debug."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """Pick the configuration class named by QA_ENV (default development)."""
    name = os.environ.get("QA_ENV", "development").lower()
    if name not in CONFIGS:
        raise RuntimeError(f"QA_ENV must be one of {', '.join(CONFIGS)}; got {name!r}")
    return CONFIGS[name]
