"""E-mail notice tasks: sending one notice, and the daily overdue digest.

``maintrac.notices.send`` runs two short tenant transactions around the SMTP conversation
(never one open transaction while talking to the network): ``prepare`` commits
``sending``, then the mail goes out, then the outcome is committed. Retries of temporary
failures go through the outbox with a delay (``services.notices.record_failure``), so a
broker restart loses none; the Celery-level retry covers only the database being
unreachable. Rules and what a crash can still do: ``maintrac.services.notices``.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from maintrac.config import Settings, get_settings
from maintrac.db.transaction import TenantSession
from maintrac.jobs.app import ROUTES, celery_app
from maintrac.jobs.base import TenantTask, database, tenant_task
from maintrac.jobs.events import register_subscriber
from maintrac.jobs.schedule import register
from maintrac.services import mail, notices

log = logging.getLogger("maintrac.notices")

ROUTES[notices.SEND_TASK] = "default"
DIGEST_TASK = "maintrac.notices.digest"
T = TypeVar("T")


@register_subscriber
def notices_for_event(session: TenantSession, event: dict[str, Any]) -> None:
    """Record (and enqueue) the notices a domain event gives, in the fan-out's
    transaction: quick, no network."""
    notices.on_event(session, event)


def mail_settings(settings: Settings) -> notices.MailSettings:
    return notices.MailSettings(
        mail_from=settings.mail_from,
        app_base_url=settings.app_base_url,
        max_attempts=settings.notices_max_attempts,
        retry_backoff=settings.notices_retry_backoff_seconds,
        retry_backoff_max=settings.notices_retry_backoff_max_seconds,
    )


@celery_app.task(  # type: ignore[untyped-decorator]
    name=notices.SEND_TASK,
    base=TenantTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(mail.MailError,),
    max_retries=get_settings().jobs_max_retries,
    retry_backoff=get_settings().jobs_retry_backoff,
    retry_backoff_max=get_settings().jobs_retry_backoff_max,
    retry_jitter=True,
)
def send_notice(tenant_id: str, notification_id: str) -> str:
    """Send one notice (idempotent by its record's status); returns the status."""
    settings = get_settings()
    config = mail_settings(settings)
    tenant, record = uuid.UUID(tenant_id), uuid.UUID(notification_id)
    db = database()
    with db.tenant_transaction(tenant) as session:
        outgoing = notices.prepare(session, record, config, datetime.now(UTC))
    if outgoing is None:
        return "nothing to send"
    try:
        if settings.smtp_url is None:
            raise mail.PermanentFailure("SMTP_URL is not set")
        target = mail.parse_smtp_url(settings.smtp_url.get_secret_value())
        mail.send(target, outgoing.message, timeout=settings.smtp_timeout_seconds)
    except (mail.MailError, ValueError) as error:
        temporary, reason = isinstance(error, mail.TemporaryFailure), str(error)
        status = _record(
            tenant,
            lambda s: notices.record_failure(
                s, record, reason, temporary=temporary, settings=config
            ),
        )
        log.warning("notice %s not sent (%s): %s", record, status, error)
        return str(status)
    _record(tenant, lambda s: notices.record_sent(s, record))
    return "sent"


def _record(tenant: uuid.UUID, write: Callable[[TenantSession], T]) -> T:
    """Commit an outcome, trying a few times: after the server took the mail, giving up
    here would leave ``sending`` (then ``failed``, outcome unknown) for a mail that went."""
    for attempt in range(5):
        try:
            with database().tenant_transaction(tenant) as session:
                return write(session)
        except Exception:
            if attempt == 4:
                raise
            log.exception("recording a notice outcome failed; trying again")
            time.sleep(2**attempt)
    raise AssertionError("unreachable")


@tenant_task(DIGEST_TASK)
def overdue_digest(session: TenantSession, *, slot: int | None = None) -> None:
    """Queue today's digests once the tenant's local hour is reached (idempotent per day)."""
    del slot
    queued = notices.queue_digests(session, datetime.now(UTC), get_settings().notices_digest_hour)
    if queued:
        log.info("queued %d overdue digests", len(queued))


register(
    "notices-digest",
    DIGEST_TASK,
    lambda settings: float(settings.notices_digest_check_seconds),
)
