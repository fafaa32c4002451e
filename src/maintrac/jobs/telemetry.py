"""What operators see of background work: each task run as a unit of work with its own
log context, span, metrics and error report.

Celery's signals bracket every task run in the worker process that runs it:
``task_prerun`` opens the unit of work (task name, task id as the log line's id, tenant),
and a CONSUMER span whose parent is the trace context the relay put in the message headers
(the request that caused the job, carried through the outbox); ``task_success`` /
``task_retry`` / ``task_failure`` count the outcome (and report a final failure to Sentry);
``task_postrun`` observes the duration and closes the span and the unit of work. Tracing
and Sentry are set up in each pool process after the fork (their exporter threads do not
survive one).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from celery.signals import (
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    task_success,
    worker_process_init,
)
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from maintrac.config import get_settings
from maintrac.observability import context, errors, metrics, tracing

#: Message header names that carry the trace context (W3C Trace Context).
TRACE_HEADERS = ("traceparent", "tracestate")


@dataclass
class _Run:
    started: float
    work_token: Any
    span: trace.Span
    context_token: object


_runs: dict[str, _Run] = {}


def setup_process(component: str = "worker") -> None:
    """Tracing and Sentry for this process, from the environment (both off when unset)."""
    settings = get_settings()
    release = settings.effective_release()
    tracing.configure_tracing(f"maintrac-{component}", release)
    errors.configure_sentry(
        settings.sentry_dsn,
        release=release,
        environment=settings.environment,
        component=component,
    )
    metrics.BUILD.labels(release).set(1)


@worker_process_init.connect  # type: ignore[untyped-decorator]
def _after_fork(**_: Any) -> None:
    setup_process("worker")


def _headers(task: Any) -> dict[str, str]:
    request = getattr(task, "request", None)
    found: dict[str, str] = {}
    extra = getattr(request, "headers", None) or {}
    for name in TRACE_HEADERS:
        value = getattr(request, name, None) or extra.get(name)
        if isinstance(value, str):
            found[name] = value
    return found


@task_prerun.connect  # type: ignore[untyped-decorator]
def _started(task_id: str, task: Any, kwargs: dict[str, Any] | None = None, **_: Any) -> None:
    tenant = (kwargs or {}).get("tenant_id")
    work_token = context.begin(
        context.WorkContext(request_id=task_id, task=task.name, tenant_id=tenant)
    )
    span = tracing.tracer().start_span(
        task.name,
        context=tracing.extract(_headers(task)),
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "celery",
            "messaging.message.id": task_id,
            **({"maintrac.tenant_id": str(tenant)} if tenant else {}),
        },
    )
    context_token = otel_context.attach(trace.set_span_in_context(span))
    _runs[task_id] = _Run(time.perf_counter(), work_token, span, context_token)


@task_success.connect  # type: ignore[untyped-decorator]
def _succeeded(sender: Any = None, **_: Any) -> None:
    metrics.JOBS.labels(getattr(sender, "name", "unknown"), "succeeded").inc()


@task_retry.connect  # type: ignore[untyped-decorator]
def _retried(sender: Any = None, **_: Any) -> None:
    metrics.JOBS.labels(getattr(sender, "name", "unknown"), "retried").inc()


@task_failure.connect  # type: ignore[untyped-decorator]
def _failed(
    sender: Any = None, task_id: str | None = None, exception: BaseException | None = None, **_: Any
) -> None:
    metrics.JOBS.labels(getattr(sender, "name", "unknown"), "failed").inc()
    run = _runs.get(task_id or "")
    if run is not None and exception is not None:
        run.span.record_exception(exception)
        run.span.set_status(Status(StatusCode.ERROR, type(exception).__name__))
    if exception is not None:
        errors.report(exception)


@task_postrun.connect  # type: ignore[untyped-decorator]
def _finished(task_id: str, task: Any, **_: Any) -> None:
    run = _runs.pop(task_id, None)
    if run is None:
        return
    metrics.JOB_DURATION.labels(task.name).observe(time.perf_counter() - run.started)
    otel_context.detach(run.context_token)  # type: ignore[arg-type]
    run.span.end()
    context.end(run.work_token)


def publish_headers(carrier: dict[str, str] | None, task: str) -> tuple[dict[str, str], Any]:
    """For the relay: a PRODUCER span continuing the trace stored with an outbox row, and
    the headers that carry it to the worker. The caller ends the span after publishing."""
    span = tracing.tracer().start_span(
        f"publish {task}", context=tracing.extract(carrier), kind=SpanKind.PRODUCER
    )
    headers: dict[str, str] = {}
    tracing.inject_span(span, headers)
    return headers, span
