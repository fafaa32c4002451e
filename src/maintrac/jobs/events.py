"""The fan-out of domain events to their subscribers (``maintrac.events.dispatch``).

Each event (``services.events.emit``) is one outbox message; this tenant task hands it to
every registered subscriber inside ONE tenant transaction, once per event (``job_runs``):
a subscriber records what it owes (a webhook delivery, a notice) in that transaction, and
a failure of any subscriber rolls every one back and retries the whole event, so no
subscriber sees an event twice. Subscribers must therefore be quick and not talk to the
network: they write rows and enqueue their own work through the outbox.

Register with ``register_subscriber(fn)`` at import time of a module listed in
``jobs.app.TASK_MODULES``; ``fn(session, event)`` gets the event dict (with ``tenantId``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from maintrac.db.transaction import TenantSession
from maintrac.jobs.base import tenant_task
from maintrac.services.events import DISPATCH_TASK, tenant_of

log = logging.getLogger("maintrac.events")

Subscriber = Callable[[TenantSession, dict[str, Any]], None]

SUBSCRIBERS: list[Subscriber] = []


def register_subscriber(fn: Subscriber) -> Subscriber:
    """Add ``fn`` (once: registering it again does nothing); usable as a decorator."""
    if fn not in SUBSCRIBERS:
        SUBSCRIBERS.append(fn)
    return fn


def fan_out_event(session: TenantSession, tenant_id: str, event: dict[str, Any]) -> None:
    full = {**event, "tenantId": tenant_id}
    for subscriber in list(SUBSCRIBERS):
        subscriber(session, full)


@tenant_task(DISPATCH_TASK)
def dispatch(session: TenantSession, *, event: dict[str, Any]) -> None:
    """Hand ``event`` to every subscriber (in registration order)."""
    log.debug("event %s %s to %d subscribers", event.get("type"), event.get("id"), len(SUBSCRIBERS))
    fan_out_event(session, str(tenant_of(session)), event)
