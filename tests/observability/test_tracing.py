"""Traces over OTLP/HTTP to a local receiver: one server span per request named by its
operationId, with the tenant and status and nothing personal, the request's SQL as its
children, the caller's trace context continued, and the trace id in the request's log lines."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from tests.conftest import DatabaseUrls, Tenant
from tests.observability.receivers import Received, http_receiver
from tests.observability.server import serve

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def _spans(posts: list[Received]) -> list[Span]:
    spans = []
    for post in posts:
        request = ExportTraceServiceRequest()
        request.ParseFromString(post.body)
        for resource in request.resource_spans:
            for scope in resource.scope_spans:
                spans.extend(scope.spans)
    return spans


def _attributes(span: Span) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kv in span.attributes:
        value = kv.value
        out[kv.key] = getattr(value, value.WhichOneof("value"))
    return out


def test_request_span_sql_children_and_log_correlation(
    database_urls: DatabaseUrls, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    token = tenant.token()
    tenant.create_work_order(title="Traced pump check")
    with http_receiver() as collector:
        with serve(
            database_urls,
            OTEL_EXPORTER_OTLP_ENDPOINT=collector.url,
            OTEL_BSP_SCHEDULE_DELAY="100",
            OTEL_SERVICE_NAME="maintrac-test",
        ) as served:
            response = httpx.get(
                f"{served.url}/v1/work-orders?limit=5",
                headers={
                    "Authorization": f"Bearer {token}",
                    "traceparent": f"00-{CALLER_TRACE}-00f067aa0ba902b7-01",
                },
                timeout=10,
            )
            assert response.status_code == 200, response.text
            collector.wait_for(lambda r: r.path == "/v1/traces" and b"listWorkOrders" in r.body)
            log_lines = served.log_lines()
        # The server span ends last; its children may have gone out in an earlier batch.
        posts = [r for r in collector.requests if r.path == "/v1/traces"]
        everything = b"".join(p.body for p in collector.requests)
    spans = _spans(posts)
    server = next(s for s in spans if s.name == "listWorkOrders")
    assert server.trace_id.hex() == CALLER_TRACE  # the caller's trace is continued
    assert server.kind == Span.SpanKind.SPAN_KIND_SERVER
    attributes = _attributes(server)
    assert attributes["maintrac.tenant_id"] == str(tenant.id)
    assert attributes["http.response.status_code"] == 200
    assert attributes["http.request.method"] == "GET"
    children = [s for s in spans if s.parent_span_id == server.span_id]
    assert children, [s.name for s in spans]
    sql = [s for s in spans if s.trace_id == server.trace_id and "db.system" in str(s.attributes)]
    assert sql, [s.name for s in spans]
    # Nothing of the caller's identity or credentials is in any span.
    assert token.encode() not in everything
    assert b"Bearer" not in everything
    assert tenant.subject.encode() not in everything
    access = [
        json.loads(line)
        for line in log_lines
        if line.startswith("{") and '"operation": "listWorkOrders"' in line
    ]
    assert access, log_lines
    assert access[0]["traceId"] == CALLER_TRACE
    assert access[0]["requestId"]
