"""OpenTelemetry traces, configured by the standard ``OTEL_*`` variables; off when unset.

Tracing turns on when an OTLP endpoint is configured (``OTEL_EXPORTER_OTLP_ENDPOINT`` or
``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) or ``OTEL_TRACES_EXPORTER`` names an exporter, and
``OTEL_SDK_DISABLED`` is not true. Spans go out over OTLP/HTTP (protobuf) in batches. What
a span may carry is decided here and in the request middleware: the operationId, method,
status, tenant id; never a header, a token, a query string or a body.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

_configured = False

TRACER_NAME = "maintrac"


def enabled_by_environment() -> bool:
    if os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return False
    exporter = os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter == "none":
        return False
    return bool(
        exporter
        or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def configure_tracing(service_name: str, release: str) -> bool:
    """Install the SDK tracer provider once per process; True when tracing is on."""
    global _configured  # noqa: PLW0603 - one provider per process, installed once
    if _configured:
        return True
    if not enabled_by_environment():
        return False
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create(
        {
            "service.name": os.environ.get("OTEL_SERVICE_NAME", service_name),
            "service.version": release,
        }
    )
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    _configured = True
    return True


def enabled() -> bool:
    return _configured


def shutdown() -> None:
    """Flush what is buffered (at process exit)."""
    provider = trace.get_tracer_provider()
    flush = getattr(provider, "shutdown", None)
    if callable(flush):
        flush()


_tracer: tuple[trace.TracerProvider, trace.Tracer] | None = None


def tracer() -> trace.Tracer:
    """The project's tracer, made once per provider: the SDK's ``get_tracer`` builds a new
    tracer and instrumentation scope on every call, which was 2% of a traced request's
    CPU at three calls per request (``bench/profile_layers.py --tracing``)."""
    global _tracer  # noqa: PLW0603 - a cache of the global provider's tracer
    provider = trace.get_tracer_provider()
    if _tracer is None or _tracer[0] is not provider:
        _tracer = (provider, provider.get_tracer(TRACER_NAME))
    return _tracer[1]


def instrument_engine(engine: Any) -> None:
    """Each SQL statement as a client span of the unit of work that ran it.

    The span carries the statement's text as written (bind parameters, never their
    values) and the database name. Written on SQLAlchemy's cursor events rather than with
    opentelemetry-instrumentation-sqlalchemy, which refuses SQLAlchemy 2.1 and pulls in
    the asyncio extra.
    """
    if not _configured:
        return
    from sqlalchemy import event

    spans_key = "maintrac_sql_spans"
    database = engine.url.database

    def before(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "SQL"
        span = tracer().start_span(
            f"{verb} {database}",
            kind=SpanKind.CLIENT,
            attributes={
                "db.system.name": "postgresql",
                "db.namespace": database or "",
                "db.query.text": statement,
            },
        )
        conn.info.setdefault(spans_key, []).append(span)

    def after(conn: Any, *_args: Any) -> None:
        spans = conn.info.get(spans_key)
        if spans:
            spans.pop().end()

    def failed(exception_context: Any) -> None:
        conn = exception_context.connection
        spans = conn.info.get(spans_key) if conn is not None else None
        if spans:
            span = spans.pop()
            span.set_status(
                Status(StatusCode.ERROR, type(exception_context.original_exception).__name__)
            )
            span.end()

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    event.listen(engine, "handle_error", failed)


def instrument_redis() -> None:
    if not _configured or importlib.util.find_spec("redis") is None:
        return
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    instrumentor = RedisInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument()


def instrument_celery() -> None:
    """Publish and run spans for Celery tasks, the trace context carried in task headers."""
    if not _configured:
        return
    from opentelemetry.instrumentation.celery import CeleryInstrumentor

    instrumentor = CeleryInstrumentor()  # type: ignore[no-untyped-call]
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument()


def current_carrier() -> dict[str, str]:
    """The current trace context as W3C headers (``traceparent``), to store beside work
    that runs later (an outbox row) and resume there; empty when no span is current."""
    carrier: dict[str, str] = {}
    if trace.get_current_span().get_span_context().is_valid:
        propagate.inject(carrier)
    return carrier


def inject_span(span: trace.Span, carrier: dict[str, str]) -> None:
    """Write ``span``'s context into ``carrier`` as W3C headers."""
    propagate.inject(carrier, context=trace.set_span_in_context(span))


def extract(carrier: Mapping[str, str] | None) -> otel_context.Context:
    return propagate.extract(dict(carrier or {}))
