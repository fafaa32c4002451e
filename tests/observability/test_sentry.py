"""An unexpected error reaches Sentry (a local receiver standing in for its ingest) as an
envelope tagged with request id, operation, tenant id and release, with no credentials."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import text

from maintrac.db.transaction import Database
from tests.conftest import DatabaseUrls, Tenant
from tests.observability.receivers import Received, http_receiver
from tests.observability.server import serve


def _events(envelopes: list[Received]) -> list[dict[str, Any]]:
    events = []
    for envelope in envelopes:
        lines = envelope.body.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


def test_unexpected_error_arrives_tagged_and_without_the_token(
    database_urls: DatabaseUrls, owner_db: Database, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    token = tenant.token()
    with http_receiver() as sentry:
        dsn = f"http://0123456789abcdef0123456789abcdef@127.0.0.1:{sentry.port}/42"
        with serve(database_urls, SENTRY_DSN=dsn, RELEASE="maintrac@test-1") as served:
            # A grant lost by a bad deploy: the server's fault, not the caller's, so a 500.
            with owner_db.engine.begin() as conn:
                conn.execute(text("REVOKE SELECT ON gl_codes FROM maintrac_app"))
            try:
                response = httpx.get(
                    f"{served.url}/v1/gl-codes",
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Cookie": "session=cookie-value-that-must-not-leak",
                        "X-Request-Id": "req-sentry-check-1",
                    },
                    timeout=10,
                )
            finally:
                with owner_db.engine.begin() as conn:
                    conn.execute(text("GRANT SELECT ON gl_codes TO maintrac_app"))
            assert response.status_code == 500, response.text
            assert response.json()["code"] == "internal_error"
            envelopes = sentry.wait_for(lambda r: r.path.endswith("/envelope/"))
    raw = b"".join(e.body for e in envelopes) + b"".join(
        json.dumps(e.headers).encode() for e in envelopes
    )
    assert token.encode() not in raw
    assert b"cookie-value-that-must-not-leak" not in raw
    events = _events(envelopes)
    assert len(events) == 1, events  # one report per error, not one per log line too
    event = events[0]
    tags = event["tags"]
    assert tags["request_id"] == "req-sentry-check-1"
    assert tags["operation"] == "listGlCodes"
    assert tags["tenant_id"] == str(tenant.id)
    assert tags["component"] == "api"
    assert event["release"] == "maintrac@test-1"
    assert event["environment"] == "test"
    assert "InsufficientPrivilege" in json.dumps(event["exception"])
