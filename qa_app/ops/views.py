"""/healthz (the process answers) and /readyz (it can serve: database and queue reachable)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from . import services

bp = Blueprint("ops", __name__)


def _answer(body: dict[str, object], status: int) -> tuple[Response, int]:
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"  # a cached "ok" would hide an outage
    return response, status


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Liveness: answers without touching the database or the session."""
    return _answer({"status": "ok"}, 200)


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Readiness: 503 naming what failed, so a load balancer stops sending traffic here."""
    failed = services.failed_checks()
    if failed:
        return _answer({"status": "unavailable", "failed": failed}, 503)
    return _answer({"status": "ok"}, 200)
