"""The outermost middleware: request id, access log, metrics and the request's span.

The id comes from an incoming ``X-Request-Id`` (when it is a sane token) or is a new
UUIDv7; it is echoed in the response header and attached to every log line of the
request, so a report quoting it can be found in the logs. The same place counts the
request in Prometheus (by operationId, the contract's name for it, or ``other``) and,
when tracing is on, opens its server span: renamed to the operationId once routing has
found it, with the status and tenant id as attributes and nothing else of the request.
"""

from __future__ import annotations

import logging
import os
import random
import re
import time
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from maintrac.observability import context, errors, metrics, tracing

_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
access_log = logging.getLogger("maintrac.access")

current_request_id = context.current_request_id

#: Random bits of request ids: a generator of this process's own, not ``os.urandom``. A
#: request id only has to be unique, not secret, and a system call on the event loop hands
#: the GIL to a busy worker thread for up to a switch interval (5 ms) on every request.
_bits = random.Random()  # noqa: S311  # ids, not secrets
os.register_at_fork(after_in_child=_bits.seed)


def new_request_id() -> str:
    """A UUIDv7 (RFC 9562: 48-bit Unix milliseconds, version, 74 random bits), as text."""
    value = (time.time_ns() // 1_000_000) << 80 | 0x7 << 76 | _bits.getrandbits(76)
    # Bits 62-63 of the 76 random ones become the variant (0b10).
    value = value & ~(0x3 << 62) | 0x2 << 62
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


#: Routes outside the contract, named for metrics and spans (bounded label values).
_OPS_ROUTES = {"/healthz": "healthz", "/readyz": "readyz", "/metrics": "metrics"}


def operation_of(scope: Scope) -> str:
    """The operationId Connexion routed to, else a fixed name: never the raw path, whose
    ids would make every request a new time series."""
    routing = (scope.get("extensions") or {}).get("connexion_routing") or {}
    operation = routing.get("operation_id")
    if operation:
        return str(operation)
    path = str(scope.get("path", ""))
    if path in _OPS_ROUTES:
        return _OPS_ROUTES[path]
    if path.startswith(("/v1/docs", "/v1/openapi.")):
        return "docs"
    if path.startswith("/problems"):
        return "problems"
    return "other"


_ACCESS_CALLER = (__file__, 0, "RequestContextMiddleware.__call__")


def _log_access(extra: dict[str, Any]) -> None:
    """``access_log.info("request", extra=extra)`` without ``Logger.findCaller``, which
    walks the stack on every request to find what is known here: who logs it."""
    filename, line, function = _ACCESS_CALLER
    record = access_log.makeRecord(
        access_log.name, logging.INFO, filename, line, "request", (), None, function, extra
    )
    access_log.handle(record)


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SANE.match(incoming) else new_request_id()
        work = context.WorkContext(request_id=request_id)
        token = context.begin(work)
        started = time.perf_counter()
        status: dict[str, Any] = {"code": 500}
        method = str(scope.get("method", ""))
        # Connexion routes on a shallow copy of the scope: a shared "extensions" dict is
        # where the operationId it finds becomes visible out here.
        scope.setdefault("extensions", {})

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"
                ]
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        span_cm = None
        if tracing.enabled():
            carrier = {
                k.decode("latin-1"): v.decode("latin-1")
                for k, v in headers.items()
                if k in (b"traceparent", b"tracestate")
            }
            span_cm = tracing.tracer().start_as_current_span(
                f"HTTP {method}",
                context=tracing.extract(carrier),
                kind=SpanKind.SERVER,
                record_exception=False,
                set_status_on_exception=False,
            )
            span_cm.__enter__()
        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            # Unexpected: the outermost handler answers 500 after this context is gone, so
            # the error is reported here, where the request's tags are still known.
            errors.report(exc)
            raise
        finally:
            operation = operation_of(scope)
            work.operation = operation
            duration = time.perf_counter() - started
            metrics.observe_request(operation, method, status["code"], duration)
            if span_cm is not None:
                span = trace.get_current_span()
                span.update_name(operation)
                span.set_attribute("http.request.method", method)
                span.set_attribute("http.response.status_code", status["code"])
                span.set_attribute("maintrac.request_id", request_id)
                if status["code"] >= 500:
                    span.set_status(Status(StatusCode.ERROR))
            if access_log.isEnabledFor(logging.INFO):
                extra = {
                    "method": method,
                    "path": scope.get("path"),
                    "operation": operation,
                    "status": status["code"],
                    "duration_ms": round(duration * 1000, 2),
                }
                if work.tenant_id:
                    extra["tenantId"] = work.tenant_id
                _log_access(extra)
            if span_cm is not None:
                span_cm.__exit__(None, None, None)
            context.end(token)
