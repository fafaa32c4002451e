"""Webhook delivery by the worker (rules in ``maintrac.services.webhooks``).

The event fan-out's subscriber records one delivery per subscribed endpoint and enqueues
its first attempt. ``maintrac.webhooks.deliver`` runs one attempt in three steps: a short
transaction claims it and schedules the next attempt; the signed POST is sent with no
transaction open (up to ``WEBHOOKS_TIMEOUT_SECONDS``); a second short transaction records
the result. The task id (the outbox message id) names the attempt: a redelivered message
finds its attempt already claimed and sends nothing.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from maintrac.config import get_settings
from maintrac.db.transaction import TenantSession
from maintrac.jobs.app import ROUTES, celery_app
from maintrac.jobs.base import TenantTask, database
from maintrac.jobs.events import register_subscriber
from maintrac.services import webhooks as service

log = logging.getLogger("maintrac.webhooks")

ROUTES[service.DELIVER_TASK] = "webhooks"


@register_subscriber
def owe_deliveries(session: TenantSession, event: dict[str, Any]) -> None:
    service.on_event(session, event)


@celery_app.task(  # type: ignore[untyped-decorator]
    name=service.DELIVER_TASK,
    bind=True,
    base=TenantTask,
    acks_late=True,
    reject_on_worker_lost=True,
    # Database errors before sending: retried quickly (the attempt is still unclaimed).
    autoretry_for=(Exception,),
    max_retries=5,
    retry_backoff=2,
    retry_jitter=True,
)
def deliver(self: Any, tenant_id: str, delivery_id: str) -> str:
    policy = service.Policy.from_settings(get_settings())
    tenant = uuid.UUID(tenant_id)
    attempt_id = uuid.UUID(str(self.request.id))
    with database().tenant_transaction(tenant) as session:
        planned = service.begin_attempt(session, uuid.UUID(delivery_id), attempt_id, policy)
    if planned is None:
        return "nothing to send"
    attempt = service.send(planned, policy)
    with database().tenant_transaction(tenant) as session:
        disabled = service.finish_attempt(session, planned, attempt, policy)
    if attempt.error is not None:
        log.info("webhook delivery %s failed: %s", delivery_id, attempt.error)
    if disabled:
        log.warning("webhook endpoint %s disabled after continuous failures", planned.endpoint_id)
    return "sent" if attempt.error is None else "failed"
