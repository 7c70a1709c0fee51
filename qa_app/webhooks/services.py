"""Endpoints (their addresses, events and signing secrets) and the deliveries made for them."""

from __future__ import annotations

import base64
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ..audit.models import AuditAction
from ..audit.services import record_event
from ..database import utcnow
from ..extensions import db
from ..sealed import seal, unseal
from ..textinput import web_address_problem
from .models import SUBSCRIBABLE, WebhookDelivery, WebhookEndpoint, WebhookEvent

SECRET_PURPOSE = b"qa-scorecard: webhook signing secret"
# The Standard Webhooks form of a secret: this prefix, then base64 of the key.
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)
TO_SEND = "qa_webhooks_ids"  # session.info: deliveries written, handed to the queue at commit


def url_problem(url: str) -> str | None:
    """Why this address cannot receive webhooks, or None; a query string is allowed."""
    hint = _("Leave the user name and password out of the address: the signature proves it is us.")
    return web_address_problem(url, hint, query_allowed=True)


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_of(endpoint: WebhookEndpoint) -> str | None:
    """The signing secret, or None when it cannot be read (SECRET_KEY changed: rotate it)."""
    return unseal(endpoint.secret_sealed, SECRET_PURPOSE)


@dataclass(frozen=True)
class EndpointInput:
    url: str
    description: str
    events: list[str]
    is_active: bool


def _audit(endpoint: WebhookEndpoint, what: str) -> None:
    detail = {"change": what, "events": sorted(endpoint.events), "active": endpoint.is_active}
    record_event(AuditAction.WEBHOOK_CHANGED, target=f"webhook {endpoint.id}", detail=detail)


def create_endpoint(data: EndpointInput) -> tuple[WebhookEndpoint, str]:
    """Store a new endpoint; returns it with its secret, shown to the admin this once."""
    secret = new_secret()
    endpoint = WebhookEndpoint(secret_sealed=seal(secret, SECRET_PURPOSE))
    _apply(endpoint, data)
    db.session.add(endpoint)
    db.session.flush()
    _audit(endpoint, "created")
    return endpoint, secret


def _apply(endpoint: WebhookEndpoint, data: EndpointInput) -> None:
    endpoint.url = data.url.strip()
    endpoint.description = data.description.strip()
    endpoint.events = [event for event in SUBSCRIBABLE if str(event) in data.events]
    endpoint.is_active = data.is_active


def update_endpoint(endpoint: WebhookEndpoint, data: EndpointInput) -> None:
    _apply(endpoint, data)
    db.session.flush()
    _audit(endpoint, "changed")


def rotate_secret(endpoint: WebhookEndpoint) -> str:
    secret = new_secret()
    endpoint.secret_sealed = seal(secret, SECRET_PURPOSE)
    db.session.flush()
    _audit(endpoint, "secret rotated")
    return secret


def delete_endpoint(endpoint: WebhookEndpoint) -> None:
    _audit(endpoint, "deleted")
    db.session.delete(endpoint)
    db.session.flush()


def _delivery(endpoint_id: int, event: WebhookEvent, body: dict[str, Any]) -> WebhookDelivery:
    message_id = f"msg_{uuid.uuid4().hex}"
    payload = {
        "id": message_id,
        "type": str(event),
        "timestamp": utcnow().isoformat(),
        "data": body,
    }
    return WebhookDelivery(
        endpoint_id=endpoint_id, message_id=message_id, event=event, payload=payload
    )


def add_deliveries(session: Session, event: WebhookEvent, body: dict[str, Any]) -> list[int]:
    """One delivery per active endpoint subscribed to the event; returns their ids."""
    endpoints = session.scalars(
        sa.select(WebhookEndpoint).where(WebhookEndpoint.is_active).order_by(WebhookEndpoint.id)
    )
    made = [_delivery(e.id, event, body) for e in endpoints if str(event) in e.events]
    session.add_all(made)
    session.flush()
    ids = [delivery.id for delivery in made]
    session.info.setdefault(TO_SEND, []).extend(ids)
    return ids


def add_test_delivery(endpoint: WebhookEndpoint) -> WebhookDelivery:
    from .payloads import test_event

    delivery = _delivery(endpoint.id, WebhookEvent.TEST, test_event())
    db.session.add(delivery)
    db.session.flush()
    db.session.info.setdefault(TO_SEND, []).append(delivery.id)
    return delivery


def recent_deliveries(endpoint: WebhookEndpoint, limit: int = 50) -> list[WebhookDelivery]:
    stmt = (
        sa.select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
