"""The unit of work being served (a request or a job), for log lines, spans and error tags.

One mutable record per unit of work, held in a context variable set by the outermost
middleware (or the job runner). It is mutable on purpose: handlers run in a worker thread
with a *copy* of the context, so what they learn (the tenant) must be written into the
shared record, not into a new context variable value that the event loop would never see.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from opentelemetry import trace


@dataclass(slots=True)
class WorkContext:
    request_id: str | None = None
    operation: str | None = None
    tenant_id: str | None = None
    task: str | None = None


_current: contextvars.ContextVar[WorkContext | None] = contextvars.ContextVar(
    "maintrac_work_context", default=None
)


def begin(work: WorkContext) -> contextvars.Token[WorkContext | None]:
    return _current.set(work)


def end(token: contextvars.Token[WorkContext | None]) -> None:
    _current.reset(token)


def current() -> WorkContext | None:
    return _current.get()


def current_request_id() -> str | None:
    work = _current.get()
    return work.request_id if work else None


def annotate(*, tenant_id: object, operation: str | None = None) -> None:
    """Record the tenant (and operation) of the unit of work on its context and its span;
    never the user."""
    value = str(tenant_id)
    work = _current.get()
    if work is not None:
        work.tenant_id = value
        if operation:
            work.operation = operation
    span = trace.get_current_span()
    if span.is_recording():
        span.set_attribute("maintrac.tenant_id", value)


def trace_ids() -> tuple[str, str] | None:
    """The current trace and span id as hex, when a span is being recorded."""
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid:
        return None
    return format(span_context.trace_id, "032x"), format(span_context.span_id, "016x")
