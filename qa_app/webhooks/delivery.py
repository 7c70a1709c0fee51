"""Sending a delivery: claim it, sign it, POST it once, log the attempt, plan the next one.

Any number of workers may run this: a delivery is claimed with a conditional UPDATE before it is
sent, so only one of them sends it; a claim older than ``STALE`` (its worker died) is released by
the periodic pass. Redirects are not followed: a body goes only to the address the admin entered.
Signatures follow the Standard Webhooks scheme (headers webhook-id, webhook-timestamp,
webhook-signature: HMAC-SHA256 over "id.timestamp.body"), made by the ``standardwebhooks``
package so receivers can check them with the same library. See docs/webhooks.md.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timedelta

import httpx
import sqlalchemy as sa
from flask import current_app
from standardwebhooks.webhooks import Webhook

from ..database import utcnow
from ..extensions import db
from .models import DeliveryState, WebhookAttempt, WebhookDelivery
from .services import secret_of

logger = logging.getLogger(__name__)
STALE = timedelta(minutes=10)
USER_AGENT = "QA-Scorecard-Webhooks/1"


def _claim(delivery_id: int, now: datetime) -> bool:
    stmt = (
        sa.update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.state == DeliveryState.PENDING,
            WebhookDelivery.next_attempt_at <= now,
        )
        .values(state=DeliveryState.SENDING, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(stmt).rowcount == 1


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the signed body once; the answer's status code, or why there is none."""
    secret = secret_of(delivery.endpoint)
    if secret is None:
        return None, "The signing secret cannot be read (SECRET_KEY changed): rotate it."
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    sent_at = utcnow()
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(secret).sign(delivery.message_id, sent_at, body),
    }
    timeout = current_app.config["WEBHOOK_TIMEOUT_SECONDS"]
    try:
        answer = httpx.post(
            delivery.endpoint.url,
            content=body,
            headers=headers,
            timeout=timeout,
            follow_redirects=False,
        )
    except httpx.TimeoutException:
        return None, f"No answer within {timeout} s."
    except httpx.HTTPError as error:
        return None, f"Could not connect: {type(error).__name__}."
    if 300 <= answer.status_code < 400:
        return (
            answer.status_code,
            "A redirect: not followed, webhooks go only to the address entered.",
        )
    return answer.status_code, ""


def _after(delivery: WebhookDelivery, code: int | None, error: str, started: float) -> None:
    """Log the attempt, then mark the delivery delivered, due again later, or failed for good."""
    took = int((time.monotonic() - started) * 1000)
    db.session.add(
        WebhookAttempt(
            delivery_id=delivery.id, status_code=code, error=error[:300], duration_ms=took
        )
    )
    delivery.attempts += 1
    delivery.claimed_at = None
    delays: list[int] = current_app.config["WEBHOOK_RETRY_DELAYS"]
    if code is not None and 200 <= code < 300 and not error:
        delivery.state = DeliveryState.DELIVERED
    elif delivery.attempts > len(delays):
        delivery.state = DeliveryState.FAILED
    else:
        delivery.state = DeliveryState.PENDING
        delivery.next_attempt_at = utcnow() + timedelta(seconds=delays[delivery.attempts - 1])


def attempt(delivery_id: int) -> bool:
    """Send one delivery if it is due and nobody else has it; True when an attempt was made."""
    if not _claim(delivery_id, utcnow()):
        db.session.rollback()
        return False
    db.session.commit()  # the claim is visible before the (slow) request leaves
    delivery = db.session.get(WebhookDelivery, delivery_id)
    assert delivery is not None
    started = time.monotonic()
    try:
        code, error = _post(delivery)
    except Exception:  # a bug must not leave the delivery claimed for ever
        logger.exception("Webhook delivery %s failed unexpectedly", delivery_id)
        code, error = None, "Unexpected error while sending."
    _after(delivery, code, error, started)
    db.session.commit()
    return True


def release_stale() -> int:
    """Give claims of workers that died mid-send back to the queue."""
    stmt = (
        sa.update(WebhookDelivery)
        .where(
            WebhookDelivery.state == DeliveryState.SENDING,
            WebhookDelivery.claimed_at < utcnow() - STALE,
        )
        .values(state=DeliveryState.PENDING, claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(stmt).rowcount


def deliver_due(limit: int = 200) -> int:
    """The periodic pass: release stale claims, then attempt every delivery that is due."""
    release_stale()
    db.session.commit()
    due = db.session.scalars(
        sa.select(WebhookDelivery.id)
        .where(
            WebhookDelivery.state == DeliveryState.PENDING,
            WebhookDelivery.next_attempt_at <= utcnow(),
        )
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
    ).all()
    db.session.rollback()
    return sum(attempt(delivery_id) for delivery_id in due)
