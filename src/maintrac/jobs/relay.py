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

Every ``OUTBOX_REPUBLISH_INTERVAL_SECONDS`` it also sweeps for messages the broker lost
(``sweep``): Redis here keeps nothing on disk, so a message published to it, or taken by a
worker and handed back to a Redis that then died, is gone when Redis restarts. A published
message not checked for ``OUTBOX_REPUBLISH_AFTER_SECONDS`` whose job has no run or final
failure recorded, and that is in no broker queue nor in the broker's unacknowledged set
(running, or waiting for a retry countdown; an entry there older than a task can hold it
counts as lost: its worker lost the connection), is made pending again and published with the
same task id, at most ``OUTBOX_REPUBLISH_MAX_ATTEMPTS`` times. The sweep runs here, not
as a beat task: beat schedules through the broker that lost the message, and two beats
fire twice; the relay's state is the outbox rows themselves (a restarted relay sweeps at
once), and two relays split the due rows with ``SKIP LOCKED``.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from celery import Celery
from kombu.exceptions import OperationalError as BrokerError

from maintrac.config import Settings
from maintrac.db.transaction import Database
from maintrac.jobs.app import QUEUES, celery_app
from maintrac.jobs.telemetry import publish_headers
from maintrac.observability import metrics
from maintrac.services import outbox
from maintrac.services.outbox import Listener, PendingMessage

log = logging.getLogger("maintrac.relay")

MAX_BACKOFF = 30.0
#: Batches of one sweep at most (the rest waits for the next one; publishing goes first).
MAX_SWEEP_BATCHES = 10
#: Messages the sweep reads from the broker at most. Beyond that (a backlog of that size)
#: it does not look: every unsure message counts as held and is checked again later.
BROKER_SCAN_LIMIT = 200_000
_SCAN_PAGE = 1000


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
    queue_sample_seconds: float = 15.0
    republish_after_seconds: float = 300.0
    republish_interval_seconds: float = 30.0
    republish_max_attempts: int = 5
    republish_batch_size: int = 1000
    #: An unacknowledged message older than this has no live holder (see from_settings).
    unacked_hold_seconds: float = 2 * 3600 + 600
    _next_sample: float = 0.0
    _next_sweep: float = 0.0

    @classmethod
    def from_settings(cls, database: Database, settings: Settings) -> Relay:
        return cls(
            database,
            batch_size=settings.outbox_batch_size,
            poll_seconds=settings.outbox_poll_seconds,
            queue_sample_seconds=settings.relay_queue_sample_seconds,
            republish_after_seconds=settings.outbox_republish_after_seconds,
            republish_interval_seconds=settings.outbox_republish_interval_seconds,
            republish_max_attempts=settings.outbox_republish_max_attempts,
            republish_batch_size=settings.outbox_republish_batch_size,
            # A worker holds a message unacknowledged while it waits for a slot (behind at
            # most one task), runs it (at most JOBS_TIME_LIMIT) or waits for a retry
            # countdown (at most JOBS_RETRY_BACKOFF_MAX). Older, the holder is gone (a
            # worker lost its connection): kombu would hand it out again only after the
            # visibility timeout (6 h), so the sweep treats it as lost.
            unacked_hold_seconds=min(
                float(settings.jobs_visibility_timeout),
                2.0 * settings.jobs_time_limit + settings.jobs_retry_backoff_max,
            ),
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
                    args = dict(message.args)
                    carrier = args.pop(outbox.TRACE_KEY, None)
                    headers, span = publish_headers(carrier, message.task)
                    try:
                        self.publisher.send_task(
                            message.task,
                            kwargs={**args, "tenant_id": str(message.tenant_id)},
                            task_id=str(message.id),
                            headers=headers,
                            retry=False,
                        )
                    finally:
                        span.end()
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

    def sweep(self) -> int:
        """One republish sweep over the due published messages, in bounded batches (each
        its own transaction); returns how many were made pending again (the next ``drain``
        publishes them)."""
        republished = 0
        # The broker is read once a sweep, by the first batch that needs it: a full read is
        # a scan of every queue, and the due messages are minutes old, so a second
        # reading seconds later would not tell more.
        broker: _BrokerView | None = None
        for _ in range(MAX_SWEEP_BATCHES):
            with self.database.system_transaction() as session:
                due = outbox.sweep_claim(
                    session, self.republish_after_seconds, self.republish_batch_size
                )
                unsure = {m.id for m in due if not m.ran}
                if unsure and broker is None:
                    broker = _BrokerView(self._read_broker())
                held = broker.holds(unsure) if broker is not None else set()
                settled = outbox.sweep_settle(session, due, held, self.republish_max_attempts)
            for message in settled:
                if message.outcome == "republished":
                    republished += 1
                    metrics.OUTBOX_REPUBLISHED.labels(message.task).inc()
                    log.warning(
                        "outbox message %s (%s, tenant %s) was lost by the broker before its "
                        "job ran; republishing it (%d of at most %d)",
                        message.id,
                        message.task,
                        message.tenant_id,
                        message.republishes,
                        self.republish_max_attempts,
                    )
                elif message.outcome == "abandoned":
                    metrics.OUTBOX_REPUBLISH_EXHAUSTED.labels(message.task).inc()
                    log.error(
                        "outbox message %s (%s, tenant %s) was lost by the broker again after "
                        "%d republish(es); given up, recorded in job_failures",
                        message.id,
                        message.task,
                        message.tenant_id,
                        message.republishes,
                    )
            if len(due) < self.republish_batch_size:
                break
        return republished

    def _read_broker(self) -> set[str] | None:
        """The task ids the broker holds (``_broker_task_ids``), or None when it cannot say
        (down, or a backlog beyond ``BROKER_SCAN_LIMIT``)."""
        try:
            return self._broker_task_ids()
        except Exception as exc:  # noqa: BLE001 - the broker is down: nothing is lost by waiting
            log.warning("republish sweep: could not read the broker (%s); checking later", exc)
            return None

    def _broker_task_ids(self) -> set[str] | None:
        """Task ids of every message in the broker (kombu's Redis layout: a list per queue
        and priority, and the ``unacked`` hash with its ``unacked_index`` of delivery
        times) that is waiting or has a live holder; None when there are too many to
        read."""
        with self.publisher.connection_for_read() as connection:
            channel: Any = connection.default_channel
            client = channel.client
            # kombu's own key names: one list per queue and priority step.
            keys = [channel._q_for_pri(q, p) for q in QUEUES for p in channel.priority_steps]
            sizes = [int(client.llen(key)) for key in keys]
            total = sum(sizes) + int(client.hlen(channel.unacked_key))
            if total > BROKER_SCAN_LIMIT:
                log.warning(
                    "republish sweep: the broker holds %d messages, more than it reads (%d); "
                    "checking later",
                    total,
                    BROKER_SCAN_LIMIT,
                )
                return None
            ids: set[str] = set()
            # Queues first, then the unacknowledged set: a message moves from a queue to
            # that set, so read in this order it is seen in one or the other. Pages of a
            # list only shift towards the end as messages are pushed: none is skipped.
            for key, size in zip(keys, sizes, strict=True):
                for start in range(0, size, _SCAN_PAGE):
                    ids.update(_task_ids(client.lrange(key, start, start + _SCAN_PAGE - 1)))
            # Only deliveries recent enough to have a live holder (kombu's index scores
            # them by delivery time); an older one is an orphan, not "held".
            live = client.zrangebyscore(
                channel.unacked_index_key, time.time() - self.unacked_hold_seconds, "+inf"
            )
            for start in range(0, len(live), _SCAN_PAGE):
                values = client.hmget(channel.unacked_key, live[start : start + _SCAN_PAGE])
                ids.update(_task_ids((v for v in values if v is not None), wrapped=True))
        return ids

    def _sweep_if_due(self) -> int:
        now = time.monotonic()
        if now < self._next_sweep:
            return 0
        self._next_sweep = now + self.republish_interval_seconds
        return self.sweep()

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
                self._sample_queues()
                try:
                    if self._sweep_if_due():
                        continue  # publish what the sweep made pending at once
                except Exception:  # the database may be down: the next sweep tries again
                    log.exception("republish sweep failed; retrying at the next interval")
                self._sleep(listener)
        finally:
            listener.close()

    def _sample_queues(self) -> None:
        """``maintrac_queue_depth``: messages waiting in each broker queue (every
        ``RELAY_QUEUE_SAMPLE_SECONDS``; a broker that does not answer leaves the gauges as they
        were)."""
        now = time.monotonic()
        if now < self._next_sample:
            return
        self._next_sample = now + self.queue_sample_seconds
        try:
            with self.publisher.connection_for_read() as connection:
                channel = connection.default_channel
                for queue in QUEUES:
                    depth = channel.client.llen(queue)
                    metrics.QUEUE_DEPTH.labels(queue).set(depth)
        except Exception:  # the broker is down: the relay's own loop says so
            log.debug("could not sample queue depths", exc_info=True)

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


@dataclass(frozen=True, slots=True)
class _BrokerView:
    """One reading of the broker by a sweep: ``found`` is every task id it holds, waiting
    in a queue or delivered to a live worker and not acknowledged yet (running, or a
    retry waiting for its countdown); None when the broker could not say, and then every
    message counts as held."""

    found: set[str] | None

    def holds(self, wanted: set[uuid.UUID]) -> set[uuid.UUID]:
        if self.found is None:
            return set(wanted)
        return {m for m in wanted if str(m) in self.found}


def _task_ids(raw_messages: Iterable[bytes], *, wrapped: bool = False) -> Iterable[str]:
    """The Celery task ids of raw kombu messages (``wrapped``: ``[message, exchange,
    routing_key]`` as in the unacknowledged set); anything else is skipped."""
    for raw in raw_messages:
        try:
            message = orjson.loads(raw)
            if wrapped:
                message = message[0]
            yield str(message["headers"]["id"])
        except (orjson.JSONDecodeError, LookupError, TypeError):
            continue
