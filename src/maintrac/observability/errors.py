"""Error tracking with Sentry (sentry-sdk), on when ``SENTRY_DSN`` is set.

Unexpected errors are answered as a 500 problem by the API's handler, so Sentry would never
see them on its own: that handler (and the job runner) report them here, tagged with the
request id, operation, tenant id and release. Nothing personal leaves: no default PII, no
request bodies, and a last scrub of the Authorization header, cookies and any body before
an event is sent.
"""

from __future__ import annotations

import logging
from typing import Any

from maintrac.observability import context

_SENSITIVE_HEADERS = {"authorization", "cookie", "set-cookie", "proxy-authorization", "x-api-key"}
_enabled = False


def configure_sentry(dsn: str | None, *, release: str, environment: str, component: str) -> bool:
    global _enabled  # noqa: PLW0603 - one client per process
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        release=release,
        environment=environment,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        # The handlers report what they turn into problems; the integrations that would
        # wrap the ASGI app or Celery on their own would read request data we do not send.
        auto_enabling_integrations=False,
        default_integrations=True,
        traces_sample_rate=0.0,
        # Log lines are breadcrumbs, not events: events come from report(), with tags.
        integrations=[LoggingIntegration(level=logging.INFO, event_level=None)],
        before_send=scrub,  # type: ignore[arg-type]
    )
    sentry_sdk.set_tag("component", component)
    _enabled = True
    return True


def scrub(event: dict[str, Any], _hint: dict[str, Any]) -> dict[str, Any]:
    """Remove credentials and bodies from an event, whatever put them there."""
    request = event.get("request")
    if isinstance(request, dict):
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                k: v for k, v in headers.items() if k.lower() not in _SENSITIVE_HEADERS
            }
        for key in ("cookies", "data", "query_string", "env"):
            request.pop(key, None)
    event.pop("user", None)
    return event


def report(exc: BaseException) -> None:
    """Send an unexpected error with the unit of work's tags (no-op when Sentry is off)."""
    if not _enabled:
        return
    import sentry_sdk

    work = context.current()
    with sentry_sdk.new_scope() as scope:
        if work is not None:
            for tag, value in (
                ("request_id", work.request_id),
                ("operation", work.operation),
                ("tenant_id", work.tenant_id),
                ("task", work.task),
            ):
                if value:
                    scope.set_tag(tag, value)
        ids = context.trace_ids()
        if ids:
            scope.set_tag("trace_id", ids[0])
        sentry_sdk.capture_exception(exc)


def flush(timeout: float = 2.0) -> None:
    if _enabled:
        import sentry_sdk

        sentry_sdk.flush(timeout=timeout)
