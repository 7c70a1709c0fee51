"""A small OpenID provider for the tests, on 127.0.0.1 in a thread (werkzeug's server).

It publishes a discovery document and its RSA key (JWKS), answers the authorization endpoint
with a code, and the token endpoint checks the client's secret and the PKCE verifier (Authlib's
S256 function) before it signs an ID token with joserfc. Knobs let a test spoil one thing of the
next answer: the issuer, the signing key, the expiry, the nonce, or the claims.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

CLIENT_ID = "qa-scorecard"
CLIENT_SECRET = "provider-secret-for-tests"
KEY_ID = "provider-key-1"


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str


@dataclass
class FakeProvider:
    issuer: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": KEY_ID}))
    # A key the JWKS does not publish, under the same key id: a forged signature.
    forger: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": KEY_ID}))
    claims: dict[str, Any] = field(default_factory=dict)  # the user's claims in the next token
    spoil: dict[str, Any] = field(default_factory=dict)  # what to get wrong in the next token
    grants: dict[str, Grant] = field(default_factory=dict)
    issued: list[str] = field(default_factory=list)  # every ID token signed, oldest first
    pkce_checked: int = 0

    def reset(self, **claims: Any) -> None:
        self.claims, self.spoil = dict(claims), {}

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": f"sub-{self.claims.get('email')}"}
        claims |= {"aud": grant.client_id, "iat": now, "exp": now + 300, "nonce": grant.nonce}
        claims |= self.claims
        claims |= {
            k: v for k, v in self.spoil.items() if k in ("iss", "aud", "azp", "exp", "nonce")
        }
        if "exp" in self.spoil:
            claims["iat"] = claims["exp"] - 300
        key = self.forger if self.spoil.get("forge") else self.key
        token = jwt.encode({"alg": "RS256", "kid": KEY_ID}, claims, key)
        if self.spoil.get("replay") and self.issued:
            token = self.issued[-1]  # an earlier sign-in's token, with its nonce
        self.issued.append(token)
        return token


def _routes(op: FakeProvider) -> Flask:
    app = Flask("fake_openid_provider")

    @app.get("/.well-known/openid-configuration")
    def discovery() -> Any:
        return jsonify(
            issuer=op.issuer,
            authorization_endpoint=f"{op.issuer}/authorize",
            token_endpoint=f"{op.issuer}/token",
            jwks_uri=f"{op.issuer}/jwks",
            response_types_supported=["code"],
            subject_types_supported=["public"],
            id_token_signing_alg_values_supported=["RS256"],
            code_challenge_methods_supported=["S256"],
        )

    @app.get("/jwks")
    def jwks() -> Any:
        return jsonify(KeySet([op.key]).as_dict(private=False))

    @app.get("/authorize")
    def authorize() -> Any:
        args = request.args
        if args.get("client_id") != CLIENT_ID or args.get("response_type") != "code":
            abort(400)
        if args.get("code_challenge_method") != "S256" or "openid" not in args["scope"].split():
            abort(400)
        code = secrets.token_urlsafe(16)
        op.grants[code] = Grant(
            CLIENT_ID, args["redirect_uri"], args["code_challenge"], args["nonce"]
        )
        query = urlencode({"code": code, "state": args["state"]})
        if op.spoil.get("deny"):  # the person said no, or may not use this application
            query = urlencode({"error": "access_denied", "state": args["state"]})
        return redirect(f"{args['redirect_uri']}?{query}")

    @app.post("/token")
    def token() -> Any:
        auth, form = request.authorization, request.form
        if auth is None or (auth.username, auth.password) != (CLIENT_ID, CLIENT_SECRET):
            return jsonify(error="invalid_client"), 401
        grant = op.grants.pop(form.get("code", ""), None)  # a code works once
        if grant is None or form.get("redirect_uri") != grant.redirect_uri:
            return jsonify(error="invalid_grant"), 400
        if create_s256_code_challenge(form.get("code_verifier", "")) != grant.code_challenge:
            return jsonify(error="invalid_grant", error_description="PKCE"), 400
        op.pkce_checked += 1
        id_token = op.id_token(grant)
        return jsonify(access_token="at", token_type="Bearer", expires_in=300, id_token=id_token)

    return app


class RunningProvider:
    """The provider served on a free port of 127.0.0.1 until stop()."""

    def __init__(self) -> None:
        self.op = FakeProvider()
        self.server = make_server("127.0.0.1", 0, _routes(self.op), threaded=True)
        self.op.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
