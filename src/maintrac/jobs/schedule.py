"""The periodic schedule: what beat sends, and how often.

Register periodic work with ``register`` at import time of a task module listed in
``app.TASK_MODULES``; ``maintrac beat`` imports them and builds the schedule. A periodic
tenant task (``per_tenant=True``, the default) is sent once per active tenant through the
``maintrac.fan_out`` task; otherwise the task itself is sent, with ``slot``.

Two beats running at once create nothing twice, without a lock: every entry fires on
boundaries aligned to the epoch (every 60 s fires at :00 on every beat, whenever it
started), the boundary's number (``slot``) is computed when the message is sent, and the
work's task ids derive from (task, slot, tenant). The second beat's messages carry the
same ids, and a tenant task runs once per id (``job_runs``). Periodic work is also
idempotent by itself (housekeeping deletes what is expired; PM generation is unique per
plan and occurrence), so even a beat whose clock is a boundary off does no harm.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery.beat import BeatLazyFunc
from celery.schedules import schedule

from maintrac.config import Settings


@dataclass(frozen=True, slots=True)
class Periodic:
    task: str
    #: seconds between runs, read from the settings when beat starts
    every: Callable[[Settings], float]
    per_tenant: bool = True
    queue: str = "default"


PERIODIC: dict[str, Periodic] = {}


def register(
    name: str,
    task: str,
    every: float | Callable[[Settings], float],
    *,
    per_tenant: bool = True,
    queue: str = "default",
) -> None:
    """Add (or replace) the periodic entry ``name``."""
    interval = every if callable(every) else (lambda _s, seconds=float(every): seconds)
    PERIODIC[name] = Periodic(task, interval, per_tenant, queue)


def slot_of(seconds: float) -> int:
    """The number of the current ``seconds``-long slot since the epoch."""
    return math.floor(time.time() / seconds)


class Aligned(schedule):  # type: ignore[misc]  # celery ships no type hints
    """Due once per ``run_every`` boundary since the epoch, the same on every beat."""

    def is_due(self, last_run_at: datetime) -> tuple[bool, float]:
        period = self.run_every.total_seconds()
        now = time.time()
        last = self.maybe_make_aware(last_run_at).timestamp()
        next_in = period - (now % period)
        if math.floor(now / period) > math.floor(last / period):
            return True, next_in
        return False, next_in

    def remaining_estimate(self, _last_run_at: datetime) -> timedelta:
        period = self.run_every.total_seconds()
        return timedelta(seconds=period - (time.time() % period))


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """Celery's ``beat_schedule`` for everything registered."""
    entries: dict[str, dict[str, Any]] = {}
    for name, periodic in sorted(PERIODIC.items()):
        seconds = max(1.0, float(periodic.every(settings)))
        slot = BeatLazyFunc(slot_of, seconds)
        if periodic.per_tenant:
            entries[name] = {
                "task": "maintrac.fan_out",
                "schedule": Aligned(timedelta(seconds=seconds)),
                "kwargs": {"task": periodic.task, "slot": slot},
                "options": {"queue": periodic.queue},
            }
        else:
            entries[name] = {
                "task": periodic.task,
                "schedule": Aligned(timedelta(seconds=seconds)),
                "kwargs": {"slot": slot},
                "options": {"queue": periodic.queue},
            }
    return entries
