"""Security headers on every answer, and the production start-up checks."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
WEAK_SECRETS = {
    "",
    "dev",
    "secret",
    "changeme",
    "change-me",
    "testing-secret-key-not-for-production",
}


def check_production_config(app: Flask) -> None:
    """Refuse to start in production with debug on or without a real secret key."""
    if app.debug:
        raise RuntimeError("Production refuses to start with debug on (unset FLASK_DEBUG).")
    secret = app.config.get("SECRET_KEY") or ""
    if secret in WEAK_SECRETS or len(secret) < 32:
        raise RuntimeError(
            "Production needs SECRET_KEY set to a random value of at least 32 characters, "
            'e.g. python -c "import secrets; print(secrets.token_hex(32))".'
        )


def add_security_headers(response: Response) -> Response:
    """Set the headers every response carries, downloads and error pages included."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint != "static":
        # Pages show people's scores: never keep them in a shared or browser cache.
        headers.setdefault("Cache-Control", "no-store")
    return response


def init_security(app: Flask) -> None:
    if app.config.get("HSTS"):

        @app.after_request
        def _hsts(response: Response) -> Response:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
            return response

    app.after_request(add_security_headers)
