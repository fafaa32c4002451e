"""The outbox relay (``maintrac relay``): publishes committed outbox rows to the broker.

Loop: claim a batch of pending rows (``FOR UPDATE SKIP LOCKED``, so several relays share
the work), publish each to Celery with the row's id as the task id, mark the ones the
broker accepted as published, commit. A rolled-back request left no row, so nothing is
sent for it. When the broker is down the transaction rolls back and every row stays
pending: the relay waits (backing off up to ``MAX_BACKOFF``) and tries again, so nothing
is lost. A relay that dies after publishing and before committing leaves rows that are
published again later: the task id is the same, and a tenant task runs once per id.

Between batches it sleeps until a commit NOTIFYs the outbox channel, or
``OUTBOX_POLL_SECONDS`` pass (the fallback when a notification was missed).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from celery import Celery
from kombu.exceptions import OperationalError as BrokerError

from maintrac.config import Settings
from maintrac.db.transaction import Database
from maintrac.jobs.app import celery_app
from maintrac.services import outbox
from maintrac.services.outbox import Listener, PendingMessage

log = logging.getLogger("maintrac.relay")

MAX_BACKOFF = 30.0


class BrokerUnavailable(Exception):
    """The broker refused or did not answer; the batch was left pending."""


@dataclass
class Relay:
    database: Database
    #: the app that publishes (the process's ``celery_app`` unless given)
    publisher: Celery = field(default_factory=lambda: celery_app)
    batch_size: int = 100
    poll_seconds: float = 5.0
    stopping: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def from_settings(cls, database: Database, settings: Settings) -> Relay:
        return cls(
            database,
            batch_size=settings.outbox_batch_size,
            poll_seconds=settings.outbox_poll_seconds,
        )

    def relay_once(self) -> int:
        """Publish one batch; returns how many were published.

        Raises BrokerUnavailable (after rolling back: all stay pending) when the broker
        cannot take a message.
        """
        celery_app.loader.import_default_modules()
        with self.database.system_transaction() as session:
            messages = outbox.claim(session, self.batch_size)
            published: list[PendingMessage] = []
            try:
                for message in messages:
                    task = celery_app.tasks.get(message.task)
                    if task is None:
                        outbox.mark_failed(session, message, f"unknown task {message.task!r}")
                        log.error("outbox message %s names an unknown task", message.id)
                        continue
                    self.publisher.send_task(
                        message.task,
                        kwargs={**message.args, "tenant_id": str(message.tenant_id)},
                        task_id=str(message.id),
                        retry=False,
                    )
                    published.append(message)
            except (BrokerError, OSError) as exc:
                if not published:
                    raise BrokerUnavailable(str(exc)) from exc
                # Keep what the broker did accept: those rows are done.
                log.warning("broker failed after %d messages: %s", len(published), exc)
            outbox.mark_published(session, published)
        return len(published)

    def drain(self) -> int:
        """Publish until no pending row is left (or the broker fails)."""
        total = 0
        while True:
            count = self.relay_once()
            total += count
            if count < self.batch_size:
                return total

    def run_forever(self) -> None:
        listener = Listener(self.database.engine)
        backoff = 1.0
        log.info("relay started")
        try:
            while not self.stopping.is_set():
                try:
                    published = self.drain()
                    backoff = 1.0
                    if published:
                        log.info("published %d outbox messages", published)
                except BrokerUnavailable as exc:
                    log.warning("broker unavailable, outbox rows wait: %s", exc)
                    self.stopping.wait(backoff)
                    backoff = min(MAX_BACKOFF, backoff * 2)
                    continue
                except Exception:  # the database may be down: wait and try again
                    log.exception("relay batch failed; retrying")
                    self.stopping.wait(backoff)
                    backoff = min(MAX_BACKOFF, backoff * 2)
                    continue
                self._sleep(listener)
        finally:
            listener.close()

    def _sleep(self, listener: Listener) -> None:
        """Until a NOTIFY, the poll interval, or stop(): whichever comes first (in slices
        of a second, so stopping never waits for a whole poll interval)."""
        deadline = time.monotonic() + self.poll_seconds
        while not self.stopping.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or listener.wait(min(1.0, remaining)):
                return

    def stop(self) -> None:
        self.stopping.set()
