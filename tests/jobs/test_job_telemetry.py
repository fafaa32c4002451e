"""Background work as operators see it: the trace of the request that asked for a job goes
through the outbox and the relay into the job's span; the job's log lines carry the task
and the trace; its outcome is counted on the worker's metrics port; a final failure reaches
Sentry tagged with task and tenant."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
from opentelemetry.sdk.trace import TracerProvider

from maintrac.db.transaction import Database
from tests.conftest import Tenant
from tests.jobs.conftest import Processes, count_titled, enqueue, free_port, wait_for
from tests.observability.receivers import http_receiver
from tests.observability.test_sentry import _events
from tests.observability.test_tracing import _spans


def test_a_job_continues_the_trace_of_the_request_that_asked_for_it(
    processes: Processes, app_db: Database, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    metrics_port = free_port()
    with http_receiver() as collector, http_receiver() as sentry:
        otel = {
            "OTEL_EXPORTER_OTLP_ENDPOINT": collector.url,
            "OTEL_BSP_SCHEDULE_DELAY": "100",
            "SENTRY_DSN": f"http://0123456789abcdef0123456789abcdef@127.0.0.1:{sentry.port}/7",
        }
        worker = processes.worker(
            "telemetry", WORKER_METRICS_PORT=str(metrics_port), JOBS_MAX_RETRIES="0", **otel
        )
        processes.start("relay", **otel)
        # The "request": a span of the test process's own, current while the job is asked for.
        tracer = TracerProvider().get_tracer("test")
        with tracer.start_as_current_span("createSomething") as request_span:
            enqueue(app_db, tenant.id, "tests.probe", title="traced job")
            enqueue(app_db, tenant.id, "tests.probe", title="doomed job", fail=True)
        trace_id = format(request_span.get_span_context().trace_id, "032x")
        wait_for(lambda: count_titled(app_db, tenant.id, "traced job") == 1, 60, "the job")
        collector.wait_for(lambda r: b"tests.probe" in r.body and b"publish" not in r.body)

        def counted() -> str | None:
            text = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).text
            ok = 'maintrac_jobs_total{outcome="succeeded",task="tests.probe"} 1.0' in text
            failed = 'maintrac_jobs_total{outcome="failed",task="tests.probe"} 1.0' in text
            timed = 'maintrac_job_duration_seconds_count{task="tests.probe"} 2.0' in text
            return text if ok and failed and timed else None

        wait_for(counted, 60, "job outcomes and durations on the worker's metrics port")
        envelopes = sentry.wait_for(lambda r: r.path.endswith("/envelope/"), timeout=60)

        def both_job_spans() -> bool:
            posts = [r for r in collector.requests if r.path == "/v1/traces"]
            return sum(s.name == "tests.probe" for s in _spans(posts)) >= 2

        # Spans leave in batches: wait for both before stopping the worker.
        wait_for(both_job_spans, 30, "both job spans")
        processes.stop_all()
        assert worker.poll() is not None
        posts = [r for r in collector.requests if r.path == "/v1/traces"]
    spans = _spans(posts)
    jobs = [s for s in spans if s.name == "tests.probe" and s.trace_id.hex() == trace_id]
    publishes = [s for s in spans if s.name == "publish tests.probe"]
    assert len(jobs) == 2, [(s.name, s.trace_id.hex()) for s in spans]
    assert {s.parent_span_id for s in jobs} <= {s.span_id for s in publishes}
    assert all(p.trace_id.hex() == trace_id for p in publishes)
    assert any(
        s.trace_id.hex() == trace_id and "db.system.name" in str(s.attributes) for s in spans
    )
    lines = [
        json.loads(line)
        for line in processes.log_text().splitlines()
        if line.startswith("{") and '"task": "tests.probe"' in line
    ]
    assert lines, processes.log_text()
    assert all(line["traceId"] == trace_id for line in lines), lines
    events = _events(envelopes)
    assert len(events) == 1, events
    tags = events[0]["tags"]
    assert tags["task"] == "tests.probe"
    assert tags["tenant_id"] == str(tenant.id)
    assert tags["component"] == "worker"
