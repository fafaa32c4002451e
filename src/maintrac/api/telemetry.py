"""The API process's observability: set up once per app, and the ``/metrics`` endpoint.

``/metrics`` is served on the API's own port (one port to run, scraped like any target) and
protected: with ``METRICS_TOKEN`` set it needs ``Authorization: Bearer <METRICS_TOKEN>``;
without one, only clients on loopback are answered (Prometheus beside the process, or a
sidecar), everyone else gets a 403 problem. It is outside the contract on purpose, like
``/healthz``: integrators have no use for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import logging

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from maintrac.api.problems import starlette_problem
from maintrac.config import Settings
from maintrac.observability import errors, metrics, tracing
from maintrac.services import outbox
from maintrac.services.runtime import Runtime

logger = logging.getLogger(__name__)


def setup(settings: Settings, runtime: Runtime) -> None:
    release = settings.effective_release()
    metrics.BUILD.labels(release).set(1)
    metrics.PoolMetrics().attach(runtime.database.engine)
    if tracing.configure_tracing("maintrac-api", release):
        tracing.instrument_engine(runtime.database.engine)
        tracing.instrument_redis()
    errors.configure_sentry(
        settings.sentry_dsn, release=release, environment=settings.environment, component="api"
    )


def _loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _sample_backlog(runtime: Runtime) -> None:
    """The outbox gauges, read at scrape time (one cheap owner-run query): whichever API
    process is scraped reports the same cluster-wide numbers."""
    try:
        with runtime.database.system_transaction() as session:
            pending, oldest = outbox.backlog(session)
    except Exception:  # a scrape must not fail with the database: the gauges keep their value
        logger.warning("could not read the outbox backlog for /metrics", exc_info=True)
        return
    metrics.OUTBOX_BACKLOG.set(pending)
    metrics.OUTBOX_OLDEST_AGE.set(oldest)


def metrics_endpoint(settings: Settings, runtime: Runtime):  # type: ignore[no-untyped-def]
    expected = settings.metrics_token.get_secret_value() if settings.metrics_token else None

    async def serve_metrics(request: Request) -> Response:
        if expected is not None:
            sent = request.headers.get("authorization", "")
            if not hmac.compare_digest(sent.encode(), f"Bearer {expected}".encode()):
                return starlette_problem(
                    "unauthenticated",
                    "Send 'Authorization: Bearer <METRICS_TOKEN>' to read the metrics.",
                    request.url.path,
                    {"WWW-Authenticate": 'Bearer realm="metrics"'},
                )
        elif not _loopback(request):
            return starlette_problem(
                "permission_denied",
                "Metrics are served to loopback clients only unless METRICS_TOKEN is set.",
                request.url.path,
            )
        with contextlib.suppress(TimeoutError):  # a frozen database must not hang a scrape
            await asyncio.wait_for(anyio.to_thread.run_sync(_sample_backlog, runtime), 2.0)
        body, content_type = metrics.exposition()
        return Response(body, media_type=content_type)

    return serve_metrics
