"""E-mail notices: from a domain event to a mail in someone's inbox, at most once.

Who is told about what is in ``maintrac.core.notices``. The flow:

1. **Recording** (``on_event``, the subscriber of ``maintrac.events.dispatch``; and
   ``queue_digests``, the periodic digest): inside the worker's tenant transaction, one
   ``notifications`` row per (event, recipient), unique, so an event seen twice records
   nothing twice. A recipient who gets nothing (own action, preference off, deactivated,
   no address) gets a ``skipped`` row saying why. Each ``queued`` row enqueues
   ``maintrac.notices.send`` through the outbox, so the send starts after that commit.
2. **Sending** (``prepare`` -> SMTP -> ``record_*``, in ``maintrac.jobs.notices``):
   ``prepare`` locks the row, checks it is still owed (the recipient may have been
   deactivated or turned the kind off since), renders the mail and commits ``sending``
   *before* the SMTP conversation; the outcome is recorded in a second transaction:
   ``sent``; a temporary failure back to ``queued`` with the error and a new outbox
   message delayed by the backoff (durable: nothing waits in the broker), until
   ``NOTICES_MAX_ATTEMPTS``; a permanent failure ``failed``.
3. **A worker that died mid-send.** The redelivered task finds ``sending``: it cannot know
   whether the server took the mail. While the lease (``sending_lease``) runs it looks
   again later (the first worker may still be talking to the server); after it, the row
   is marked ``failed`` ("outcome unknown") and NOT sent again: at most one copy.

What remains possible (documented in the README): a worker killed after committing
``sending`` but before the server accepted the mail loses that notice (it is ``failed``,
visible, never silently dropped); a connection that drops after the server accepted the
final ``.`` but before its reply reached us is a temporary failure and is sent again, so
the recipient may get two copies, both with the same ``Message-ID`` (mail clients
that de-duplicate by it show one).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from maintrac.core.notices import (
    EVENT_KINDS,
    FINAL,
    Kind,
    Notification,
    Person,
    Status,
    TenantFacts,
    WorkOrderFacts,
    digest_day,
    digest_event_id,
    event_recipients,
    header_text,
    local_time,
    retry_delay,
)
from maintrac.db import notices as repo
from maintrac.db.transaction import TenantSession
from maintrac.services import outbox

log = logging.getLogger("maintrac.notices")

SEND_TASK = "maintrac.notices.send"

#: How long a ``sending`` row belongs to the worker that wrote it; past this, a worker
#: finding it concludes the first one died mid-send. Several SMTP timeouts long.
SENDING_LEASE = timedelta(minutes=5)

#: At most this many work orders are listed in one digest (the link to the list shows all).
DIGEST_LIMIT = 50


@dataclass(frozen=True, slots=True)
class MailSettings:
    mail_from: str
    app_base_url: str
    max_attempts: int = 8
    retry_backoff: float = 30.0
    retry_backoff_max: float = 3600.0
    sending_lease: timedelta = SENDING_LEASE


def _uuid(value: object) -> uuid.UUID | None:
    if value is None or value == "":
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


# ---------------------------------------------------------------------------- recording


def on_event(session: TenantSession, event: Mapping[str, Any]) -> list[uuid.UUID]:
    """Record the notices ``event`` gives and enqueue their sending; returns the ids of
    the records to send. Events of other types give none."""
    kind = EVENT_KINDS.get(str(event.get("type")))
    event_id = _uuid(event.get("id"))
    data = event.get("data") or {}
    work_order = data.get("workOrder") or {}
    work_order_id = _uuid(work_order.get("id"))
    if kind is None or event_id is None or work_order_id is None:
        return []
    if event.get("type") == "work_order.created" and (
        not work_order.get("assigneeId") or work_order.get("pmPlanId")
    ):
        return []
    actor_id = _uuid(event.get("actorId"))
    creator_id = (
        repo.creator_of(session, work_order_id) if kind is Kind.WORK_ORDER_STATUS_CHANGED else None
    )
    assignee_id = _uuid(work_order.get("assigneeId"))
    candidates = [p for p in (assignee_id, creator_id) if p is not None]
    recipients = event_recipients(
        kind, assignee_id=assignee_id, creator_id=creator_id, actor_id=actor_id
    )
    payload = {
        "actorId": None if actor_id is None else str(actor_id),
        "changes": data.get("changes") or {},
        "occurredAt": event.get("occurredAt"),
    }
    people = repo.people(session, candidates)
    queued: list[uuid.UUID] = []
    for person_id in recipients:
        person = people.get(person_id)
        refusal = "recipient not found" if person is None else person.refusal(kind)
        record = repo.insert(
            session,
            event_id=event_id,
            kind=kind,
            recipient_id=person_id,
            work_order_id=work_order_id,
            payload=payload,
            status=Status.QUEUED if refusal is None else Status.SKIPPED,
            last_error=refusal,
        )
        if record is not None and refusal is None:
            outbox.enqueue(session, SEND_TASK, {"notification_id": str(record)})
            queued.append(record)
    return queued


def queue_digests(session: TenantSession, now: datetime, hour: int) -> list[uuid.UUID]:
    """Record today's overdue digest for each assignee with overdue work, once per local
    day (the event id derives from tenant, day and person), from ``hour`` in the tenant's
    time zone. Returns the ids newly queued."""
    tenant = repo.tenant(session)
    day = digest_day(now, tenant.time_zone, hour)
    if day is None:
        return []
    overdue = repo.overdue_by_assignee(session, now, limit_each=DIGEST_LIMIT)
    people = repo.people(session, list(overdue))
    queued: list[uuid.UUID] = []
    for person_id, items in overdue.items():
        person = people.get(person_id)
        refusal = "recipient not found" if person is None else person.refusal(Kind.OVERDUE_DIGEST)
        record = repo.insert(
            session,
            event_id=digest_event_id(tenant.id, day, person_id),
            kind=Kind.OVERDUE_DIGEST,
            recipient_id=person_id,
            work_order_id=None,
            payload={"day": day.isoformat(), "workOrderIds": [str(i.id) for i in items]},
            status=Status.QUEUED if refusal is None else Status.SKIPPED,
            last_error=refusal,
        )
        if record is not None and refusal is None:
            outbox.enqueue(session, SEND_TASK, {"notification_id": str(record)})
            queued.append(record)
    return queued


def notifications_for_event(session: TenantSession, event_id: uuid.UUID) -> list[Notification]:
    return repo.for_event(session, event_id)


def get_notification(session: TenantSession, notification_id: uuid.UUID) -> Notification | None:
    return repo.get(session, notification_id)


# ---------------------------------------------------------------------------- sending


@dataclass(frozen=True, slots=True)
class Outgoing:
    notification: Notification
    message: EmailMessage


def prepare(
    session: TenantSession, notification_id: uuid.UUID, settings: MailSettings, now: datetime
) -> Outgoing | None:
    """The mail to send now for the record, with ``sending`` recorded in this transaction;
    None when nothing is to be sent (already done, no longer wanted, or another worker
    is on it)."""
    notification = repo.get(session, notification_id, lock=True)
    if notification is None or notification.status in FINAL:
        return None
    if notification.status is Status.SENDING:
        started = notification.sending_at or notification.created_at
        if now - started < settings.sending_lease:
            # Another delivery may still be talking to the server: look again after it.
            outbox.enqueue(
                session,
                SEND_TASK,
                {"notification_id": str(notification_id)},
                delay=settings.sending_lease,
            )
            return None
        repo.mark(
            session,
            notification_id,
            Status.FAILED,
            error="outcome unknown: the worker stopped while sending; not sent again "
            "to avoid a second copy",
            attempted=False,
        )
        log.warning("notice %s: outcome unknown after a worker stopped mid-send", notification_id)
        return None
    person = repo.people(session, [notification.recipient_id]).get(notification.recipient_id)
    refusal = "recipient not found" if person is None else person.refusal(notification.kind)
    if refusal is not None or person is None:
        repo.mark(session, notification_id, Status.SKIPPED, error=refusal, attempted=False)
        return None
    tenant = repo.tenant(session)
    message = _compose(session, notification, person, tenant, settings, now)
    if message is None:
        repo.mark(
            session, notification_id, Status.SKIPPED, error="work order gone", attempted=False
        )
        return None
    repo.mark_sending(session, notification_id, str(message["Message-ID"]))
    return Outgoing(notification, message)


def record_sent(session: TenantSession, notification_id: uuid.UUID) -> None:
    repo.mark(session, notification_id, Status.SENT)


def record_failure(
    session: TenantSession,
    notification_id: uuid.UUID,
    error: str,
    *,
    temporary: bool,
    settings: MailSettings,
) -> Status:
    """Record a failed try. A temporary one is tried again after the backoff (through the
    outbox) until ``max_attempts``; returns the status now recorded."""
    notification = repo.get(session, notification_id, lock=True)
    if notification is None:
        return Status.FAILED
    attempts = notification.attempts + 1
    if temporary and attempts < settings.max_attempts:
        repo.mark(session, notification_id, Status.QUEUED, error=error)
        outbox.enqueue(
            session,
            SEND_TASK,
            {"notification_id": str(notification_id)},
            delay=retry_delay(attempts, settings.retry_backoff, settings.retry_backoff_max),
        )
        return Status.QUEUED
    if temporary:
        error = f"gave up after {attempts} tries: {error}"
    repo.mark(session, notification_id, Status.FAILED, error=error)
    return Status.FAILED


# ---------------------------------------------------------------------------- the mail


@lru_cache(maxsize=1)
def _templates() -> Environment:
    # HTML templates escape every value (a title is the user's text); text ones do not.
    return Environment(
        loader=PackageLoader("maintrac", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def work_order_link(settings: MailSettings, work_order_id: uuid.UUID) -> str:
    return f"{settings.app_base_url.rstrip('/')}/work-orders/{work_order_id}"


def _compose(  # noqa: PLR0917 - one private call site, every argument needed
    session: TenantSession,
    notification: Notification,
    person: Person,
    tenant: TenantFacts,
    settings: MailSettings,
    now: datetime,
) -> EmailMessage | None:
    context: dict[str, Any] = {"tenant": tenant, "recipient": person}
    actor_id = _uuid(notification.payload.get("actorId"))
    if actor_id is not None:
        actor = repo.people(session, [actor_id]).get(actor_id)
        context["actor"] = None if actor is None else actor.display_name
    else:
        context["actor"] = None
    if notification.kind is Kind.OVERDUE_DIGEST:
        listed = notification.payload.get("workOrderIds")
        ids = [_uuid(i) for i in listed] if isinstance(listed, list) else []
        facts = [f for f in (repo.work_order(session, i) for i in ids if i) if f is not None]
        if not facts:
            return None
        context["items"] = [
            {
                "wo": f,
                "due": local_time(f.due_at, tenant.time_zone),
                "link": work_order_link(settings, f.id),
            }
            for f in facts
        ]
        context["day"] = notification.payload.get("day")
        count = len(facts)
        subject = f"[{tenant.name}] {count} overdue work order{'s' if count != 1 else ''}"
    else:
        if notification.work_order_id is None:
            return None
        wo = repo.work_order(session, notification.work_order_id)
        if wo is None:
            return None
        context["wo"] = wo
        context["due"] = local_time(wo.due_at, tenant.time_zone)
        context["link"] = work_order_link(settings, wo.id)
        subject = _subject(notification, tenant, wo, context)
    subject = header_text(subject, 250)
    context["subject"] = subject
    name = notification.kind.value
    text = _templates().get_template(f"notices/{name}.txt.j2").render(context)
    html = _templates().get_template(f"notices/{name}.html.j2").render(context)

    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = _sender(settings.mail_from)
    message["To"] = Address(header_text(person.display_name, 100), addr_spec=str(person.email))
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(notification, settings.mail_from)
    message["Auto-Submitted"] = "auto-generated"
    message["X-MainTrac-Notice"] = notification.kind.value
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def _subject(
    notification: Notification, tenant: TenantFacts, wo: WorkOrderFacts, context: dict[str, Any]
) -> str:
    if notification.kind is Kind.WORK_ORDER_ASSIGNED:
        return f"[{tenant.name}] Work order #{wo.number} assigned to you: {wo.title}"
    if notification.kind is Kind.WORK_ORDER_STATUS_CHANGED:
        changes = notification.payload.get("changes")
        change = changes.get("status") if isinstance(changes, dict) else None
        change = change if isinstance(change, dict) else {}
        context["from_status"] = change.get("from") or "?"
        context["to_status"] = change.get("to") or wo.status
        return f"[{tenant.name}] Work order #{wo.number} is now {context['to_status']}: {wo.title}"
    return f"[{tenant.name}] New PM work order #{wo.number}: {wo.title}"


def _sender(mail_from: str) -> Address:
    [(name, address)] = getaddresses([mail_from]) or [("", mail_from)]
    return Address(header_text(name, 100), addr_spec=address)


def message_id(notification: Notification, mail_from: str) -> str:
    """Stable per record: a copy sent again carries the same id."""
    domain = mail_from.rsplit("@", 1)[-1].strip(" >") or "maintrac.invalid"
    return f"<notice.{notification.id}@{domain}>"
