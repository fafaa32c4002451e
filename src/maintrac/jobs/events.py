"""The fan-out of domain events to their subscribers (``maintrac.events.dispatch``).

Each event (``services.events.emit``) is one outbox message; this tenant task hands it to
every registered subscriber inside ONE tenant transaction, once per event (``job_runs``):
a subscriber records what it owes (a webhook delivery, a notice) in that transaction, and
a failure of any subscriber rolls every one back and retries the whole event, so no
subscriber sees an event twice. Subscribers must therefore be quick and not talk to the
network: they write rows and enqueue their own work through the outbox.

A batch message (``maintrac.events.dispatch_batch``, ``{"events": [...]}``: PM generation
writes its events a few hundred to a message) gets the same per event, each in a
savepoint of the one transaction: an event whose subscribers fail is rolled back alone and
sent again as a one-event message, so one failure never redoes the batch's other events.

Register with ``register_subscriber(fn)`` at import time of a module listed in
``jobs.app.TASK_MODULES``; ``fn(session, event)`` gets the event dict (with ``tenantId``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from maintrac.db.transaction import TenantSession
from maintrac.jobs.base import tenant_task
from maintrac.services import events as domain_events
from maintrac.services.events import DISPATCH_BATCH_TASK, DISPATCH_TASK, tenant_of

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


def fan_out_events(session: TenantSession, tenant_id: str, events: list[dict[str, Any]]) -> int:
    """``fan_out_event`` of each event in order, each in a savepoint: an event whose
    subscribers fail is rolled back (all its subscribers' writes) and sent again alone
    (``services.events.dispatch_alone``: the one-event task and its retries), and the
    others go on. Returns how many were sent again. An error the savepoint cannot undo
    (the connection lost) fails the whole transaction, so the batch is retried whole:
    nothing of it committed."""
    failed = 0
    for event in events:
        try:
            with session.begin_nested():
                fan_out_event(session, tenant_id, event)
        except Exception:
            failed += 1
            log.warning(
                "event %s %s failed in its batch; sent again alone",
                event.get("type"),
                event.get("id"),
                exc_info=True,
            )
            domain_events.dispatch_alone(session, event)
    return failed


@tenant_task(DISPATCH_BATCH_TASK)
def dispatch_batch(session: TenantSession, *, events: list[dict[str, Any]]) -> None:
    """Hand each of ``events`` to every subscriber, one savepoint per event."""
    log.debug("%d events to %d subscribers", len(events), len(SUBSCRIBERS))
    fan_out_events(session, str(tenant_of(session)), events)
