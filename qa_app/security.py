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

SECRET_MIN_LENGTH = 32
SECRET_MIN_DISTINCT = 6


def check_production_config(app: Flask) -> None:
    """Refuse to start in production with debug on or without a real secret key."""
    if app.debug:
        raise RuntimeError("Production refuses to start with debug on (unset FLASK_DEBUG).")
    secret = app.config.get("SECRET_KEY") or ""
    if not is_random_enough(secret):
        raise RuntimeError(
            f"Production needs SECRET_KEY set to a random value of at least {SECRET_MIN_LENGTH} "
            f"characters, with at least {SECRET_MIN_DISTINCT} different ones, "
            'e.g. python -c "import secrets; print(secrets.token_hex(32))".'
        )


def is_random_enough(secret: str) -> bool:
    """A rough entropy check: long enough, several different characters, no repeated unit.

    A random hex key of 32 characters has, in practice, 8 or more different digits; k * 64
    has one, and ab * 32 or a word typed over and over repeats itself.
    """
    repeats_a_unit = secret in (secret + secret)[1:-1]
    return (
        secret not in WEAK_SECRETS
        and len(secret) >= SECRET_MIN_LENGTH
        and len(set(secret)) >= SECRET_MIN_DISTINCT
        and not repeats_a_unit
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
    if request.endpoint != "static" and not response.cache_control.private:
        # Pages show people's scores: never keep them in a shared or browser cache. Only a
        # response marked private (a chart with its ETag) may stay in the reader's own browser.
        headers["Cache-Control"] = "no-store"
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
