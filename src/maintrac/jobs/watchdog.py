"""The worker's watchdog: a worker that stopped consuming exits, for ``maintrac worker`` to
restart it.

Why: after a Redis incident (a freeze that made an acknowledgement time out, a reconnect)
a Celery 5.7 / kombu 5.7 worker on the Redis transport can stay up, connected and idle
while its queues fill (celery/celery#8030, #8091, #10302; still open). The relay has
marked those outbox rows published, so nothing else notices: the jobs wait until someone
restarts the worker. The fault drill lost 740 of 1,467 jobs that way.

What: a thread started on ``worker_ready`` in the worker's main process checks every
``WORKER_WATCHDOG_INTERVAL`` seconds, with its own short-timeout Redis client, the queues
this worker was started on (their kombu list keys, priority-suffixed ones included) and
kombu's unacked index. The worker is *stalled* when, on two checks in a row:

* it has a free slot (no request active or reserved in this process), and
* it received no message for ``WORKER_STALL_SECONDS``, and
* messages wait in one of its queues, or an unacked message is past the visibility
  timeout (kombu should have restored it), or its broker connection is gone.

Then it logs one ERROR line (queue depths, seconds since the last message), counts
``maintrac_worker_stalls_total``, asks for a warm shutdown (SIGTERM to itself) and, if
the process is still there after ``SHUTDOWN_GRACE`` seconds, ends it with ``os._exit``.
Either way the exit status is ``STALL_EXIT_CODE``, which ``maintrac worker`` (the
supervisor, ``cli/supervisor.py``) answers with a restart. Jobs are idempotent and
acknowledged late, so a restart loses nothing: a new process takes the waiting messages.

A Redis that does not answer is not a stall (nothing can be consumed then): the check is
skipped until it answers again, and the idle clock keeps running.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import redis
from celery.signals import task_received, worker_ready, worker_shutting_down
from celery.worker import state

from maintrac.config import get_settings
from maintrac.observability import metrics

log = logging.getLogger("maintrac.jobs.watchdog")

#: The exit status of a worker that the watchdog stopped (EX_TEMPFAIL): "restart me".
STALL_EXIT_CODE = 75
#: Seconds a warm shutdown may take before the watchdog ends the process itself.
SHUTDOWN_GRACE = 15.0

#: kombu's Redis transport: a queue is a list, one more per priority step (``q\x06\x163``).
_PRIORITY_SEP = "\x06\x16"
_PRIORITY_STEPS = (0, 3, 6, 9)
_UNACKED_INDEX = "unacked_index"


def queue_keys(queue: str) -> list[str]:
    return [queue if step == 0 else f"{queue}{_PRIORITY_SEP}{step}" for step in _PRIORITY_STEPS]


@dataclass(frozen=True)
class BrokerView:
    """What Redis holds for this worker's queues at one check."""

    depths: dict[str, int]
    overdue_unacked: int

    @property
    def waiting(self) -> int:
        return sum(self.depths.values())


def look(client: redis.Redis, queues: Iterable[str], visibility_timeout: float) -> BrokerView:
    """The queues' depths (every priority list) and the unacked messages older than the
    visibility timeout, in one round trip. Raises ``redis.RedisError`` when Redis does not
    answer within the client's timeouts."""
    names = list(queues)
    pipe = client.pipeline(transaction=False)
    for queue in names:
        for key in queue_keys(queue):
            pipe.llen(key)
    pipe.zcount(_UNACKED_INDEX, "-inf", time.time() - visibility_timeout)
    answers = pipe.execute()
    steps = len(_PRIORITY_STEPS)
    depths = {q: int(sum(answers[i * steps : (i + 1) * steps])) for i, q in enumerate(names)}
    return BrokerView(depths, int(answers[-1]))


def stall_reason(
    view: BrokerView,
    *,
    idle_seconds: float,
    busy: bool,
    connected: bool,
    stall_seconds: float,
) -> str | None:
    """Why this worker counts as stalled at one check, or None. ``busy``: a request active
    or reserved (a long task holds the slot; that is not a stall)."""
    if busy or idle_seconds < stall_seconds:
        return None
    if not connected:
        return "broker connection lost"
    if view.waiting:
        return "messages wait in its queues"
    if view.overdue_unacked:
        return "unacked messages are past the visibility timeout"
    return None


class Watchdog:
    """One per worker process; ``check`` is the decision, ``run`` the loop around it."""

    def __init__(
        self,
        consumer: Any,
        queues: list[str],
        client: redis.Redis,
        *,
        stall_seconds: float,
        interval: float,
        visibility_timeout: float,
    ) -> None:
        self.consumer = consumer
        self.queues = queues
        self.client = client
        self.stall_seconds = stall_seconds
        self.interval = interval
        self.visibility_timeout = visibility_timeout
        self.last_activity = time.monotonic()
        self.suspect: str | None = None
        self.stopping = threading.Event()
        self.stalled = False

    def received(self) -> None:
        self.last_activity = time.monotonic()

    def _busy(self) -> bool:
        return bool(state.active_requests) or bool(state.reserved_requests)

    def _connected(self) -> bool:
        connection = getattr(self.consumer, "connection", None)
        return connection is not None and bool(getattr(connection, "connected", True))

    def check(self) -> tuple[str, BrokerView, float] | None:
        """One check; a stall only when two checks in a row find one (a message published
        just now and not yet taken is not a stall)."""
        now = time.monotonic()
        busy = self._busy()
        if busy:
            self.last_activity = now
        try:
            view = look(self.client, self.queues, self.visibility_timeout)
        except redis.RedisError:
            self.suspect = None
            return None
        idle = now - self.last_activity
        reason = stall_reason(
            view,
            idle_seconds=idle,
            busy=busy,
            connected=self._connected(),
            stall_seconds=self.stall_seconds,
        )
        confirmed = reason is not None and self.suspect == reason
        self.suspect = reason
        return (reason, view, idle) if confirmed and reason is not None else None

    def run(self) -> None:
        while not self.stopping.wait(self.interval):
            found = self.check()
            if found is None:
                continue
            reason, view, idle = found
            self.stalled = True
            log.error(
                "worker stalled: %s; queue depths %s, overdue unacked %d, no message for %.0f s;"
                " exiting with status %d to be restarted",
                reason,
                view.depths,
                view.overdue_unacked,
                idle,
                STALL_EXIT_CODE,
                extra={
                    "queue_depths": view.depths,
                    "overdue_unacked": view.overdue_unacked,
                    "idle_seconds": round(idle, 1),
                },
            )
            metrics.WORKER_STALLS.inc()
            _exit_for_restart()
            return


def _exit_for_restart() -> None:
    """A warm shutdown (no task is running: the worker is idle), then ``os._exit`` after the
    grace period in case the shutdown hangs on the broker connection."""
    os.kill(os.getpid(), signal.SIGTERM)
    timer = threading.Timer(SHUTDOWN_GRACE, os._exit, args=(STALL_EXIT_CODE,))
    timer.daemon = True
    timer.start()


#: This process's watchdog, once the worker is ready (one slot, not a global rebind).
_current: list[Watchdog] = []


def stalled() -> bool:
    """Whether this process's watchdog stopped the worker (its exit status is then
    ``STALL_EXIT_CODE``)."""
    return any(w.stalled for w in _current)


@worker_ready.connect  # type: ignore[untyped-decorator]
def _start(sender: Any = None, **_: Any) -> None:
    settings = get_settings()
    if not settings.worker_stall_seconds or sender is None:
        return
    queues = sorted(q.name for q in sender.task_consumer.queues)
    client = redis.Redis.from_url(
        settings.redis_url, socket_connect_timeout=2, socket_timeout=2, health_check_interval=0
    )
    watchdog = Watchdog(
        sender,
        queues,
        client,
        stall_seconds=settings.worker_stall_seconds,
        interval=settings.worker_watchdog_interval,
        visibility_timeout=settings.jobs_visibility_timeout,
    )
    _current[:] = [watchdog]
    threading.Thread(target=watchdog.run, name="maintrac-watchdog", daemon=True).start()
    log.info(
        "watchdog on: queues %s, stall after %.0f s without a message",
        ",".join(queues),
        settings.worker_stall_seconds,
    )


@task_received.connect  # type: ignore[untyped-decorator]
def _received(**_: Any) -> None:
    for watchdog in _current:
        watchdog.received()


@worker_shutting_down.connect  # type: ignore[untyped-decorator]
def _stop(**_: Any) -> None:
    for watchdog in _current:
        watchdog.stopping.set()
