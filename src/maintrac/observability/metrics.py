"""Prometheus metrics of the API and the workers.

With several processes serving one port (``maintrac serve --workers N``, Celery's prefork
pool), prometheus-client's multiprocess mode is used: each process writes its samples to
files in ``PROMETHEUS_MULTIPROC_DIR`` and a scrape aggregates them. The variable must be set
before this module is first imported; ``maintrac serve`` and ``maintrac worker`` set it when
they start several processes and it is unset.
"""

from __future__ import annotations

import os
import weakref
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.registry import REGISTRY

# Latency buckets for an API whose list pages answer in milliseconds and whose sync pulls
# and exports may take seconds.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter(
    "maintrac_http_requests_total",
    "HTTP requests answered, by operationId (or route outside the contract) and status.",
    ["operation", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "maintrac_http_request_duration_seconds",
    "Time from the request's arrival to the end of its response, by operationId.",
    ["operation"],
    buckets=_LATENCY_BUCKETS,
)
DB_POOL_IN_USE = Gauge(
    "maintrac_db_pool_connections_in_use",
    "Database connections checked out of the pool.",
    multiprocess_mode="livesum",
)
DB_POOL_IDLE = Gauge(
    "maintrac_db_pool_connections_idle",
    "Open database connections waiting in the pool.",
    multiprocess_mode="livesum",
)
DB_POOL_WAITING = Gauge(
    "maintrac_db_pool_checkouts_waiting",
    "Units of work waiting for a database connection from the pool.",
    multiprocess_mode="livesum",
)
JOBS = Counter(
    "maintrac_jobs_total",
    "Background jobs finished, by task and outcome (succeeded, failed, retried).",
    ["task", "outcome"],
)
JOB_DURATION = Histogram(
    "maintrac_job_duration_seconds",
    "Run time of background jobs, by task.",
    ["task"],
    buckets=(*_LATENCY_BUCKETS, 60.0, 300.0),
)
OUTBOX_BACKLOG = Gauge(
    "maintrac_outbox_backlog",
    "Outbox rows committed but not yet published to the broker.",
    multiprocess_mode="mostrecent",
)
OUTBOX_OLDEST_AGE = Gauge(
    "maintrac_outbox_oldest_age_seconds",
    "Age of the oldest unpublished outbox row (0 when none waits).",
    multiprocess_mode="mostrecent",
)
QUEUE_DEPTH = Gauge(
    "maintrac_queue_depth",
    "Messages waiting in each broker queue.",
    ["queue"],
    multiprocess_mode="mostrecent",
)
OUTBOX_REPUBLISHED = Counter(
    "maintrac_outbox_republished_total",
    "Outbox messages published again because the broker lost them before their job ran.",
    ["task"],
)
OUTBOX_REPUBLISH_EXHAUSTED = Counter(
    "maintrac_outbox_republish_exhausted_total",
    "Outbox messages lost by the broker more often than OUTBOX_REPUBLISH_MAX_ATTEMPTS and "
    "given up (each recorded in job_failures).",
    ["task"],
)
DELIVERIES = Counter(
    "maintrac_deliveries_total",
    "E-mail notices and webhook deliveries attempted, by channel and outcome.",
    ["channel", "outcome"],
)
WORKER_STALLS = Counter(
    "maintrac_worker_stalls_total",
    "Workers stopped by their watchdog: messages waited, a slot was free, no task came.",
)
RATE_LIMITER_FAIL_OPEN = Counter(
    "maintrac_rate_limiter_fail_open_total",
    "Requests let through unchecked because the rate limiter's store was unreachable.",
)
BUILD = Gauge(
    "maintrac_build_info",
    "The running release (value 1).",
    ["release"],
    multiprocess_mode="max",
)


def multiprocess_enabled() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def exposition() -> tuple[bytes, str]:
    """The current samples in the Prometheus text format, and its content type."""
    if multiprocess_enabled():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def serve_http(port: int, host: str = "127.0.0.1") -> None:
    """Serve the samples on their own port from a thread (a worker has no HTTP server)."""
    from prometheus_client import start_http_server

    if multiprocess_enabled():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        start_http_server(port, addr=host, registry=registry)
    else:
        start_http_server(port, addr=host)


def observe_request(operation: str, method: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(operation, method, str(status)).inc()
    HTTP_LATENCY.labels(operation).observe(seconds)


def mark_process_dead(pid: int) -> None:
    """Drop a finished worker process's live gauges (gunicorn/celery child exit hook)."""
    if multiprocess_enabled():
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


#: The pools whose events already feed the gauges (an app built twice on one runtime, as
#: tests do, must not count a blocked caller twice).
_ATTACHED: weakref.WeakSet[Any] = weakref.WeakSet()


class PoolMetrics:
    """SQLAlchemy pool events -> gauges. ``attach(engine)``: once per engine (again: a
    no-op)."""

    def attach(self, engine: Any) -> None:
        from sqlalchemy import event

        pool = engine.pool
        if pool in _ATTACHED:
            return
        _ATTACHED.add(pool)

        def refresh(*_args: Any) -> None:
            DB_POOL_IN_USE.set(pool.checkedout())
            DB_POOL_IDLE.set(pool.checkedin())

        for name in ("checkout", "checkin", "connect", "close", "invalidate"):
            event.listen(pool, name, refresh)
        refresh()
        # QueuePool has no public count of waiters: count the callers inside its checkout
        # (instant when a connection is free, so a scrape sees only the ones blocked).
        get = pool._do_get

        def metered_get() -> Any:
            DB_POOL_WAITING.inc()
            try:
                return get()
            finally:
                DB_POOL_WAITING.dec()

        pool._do_get = metered_get
