"""/readyz names each dependency: the database is required (503 with Retry-After when it
does not answer), Redis is not (degraded, 200: jobs wait in the outbox, reads bypass the
cache)."""

from __future__ import annotations

from pathlib import Path

from maintrac.api.app import create_app
from maintrac.config import Settings
from maintrac.services.runtime import Runtime
from tests.jobs.conftest import RedisServer, free_port
from tests.observability.test_metrics import _get


def test_ready_with_every_dependency_up(
    settings: Settings, runtime: Runtime, tmp_path: Path
) -> None:
    server = RedisServer(free_port(), tmp_path)
    server.start()
    try:
        app = create_app(settings.model_copy(update={"redis_url": server.url}), runtime)
        response = _get(app, "/readyz")
    finally:
        server.stop()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"]["status"] == "up"
    assert body["checks"]["redis"]["status"] == "up"


def test_redis_down_is_degraded_not_down(settings: Settings, runtime: Runtime) -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    app = create_app(settings.model_copy(update={"redis_url": dead}), runtime)
    response = _get(app, "/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["status"] == "up"
    assert body["checks"]["redis"]["status"] == "down"
    assert body["checks"]["redis"]["error"]


def test_database_down_is_503_with_retry_after_and_the_checks(
    settings: Settings, runtime: Runtime
) -> None:
    unreachable = settings.model_copy(
        update={"database_url": f"postgresql+psycopg://maintrac_app@127.0.0.1:{free_port()}/x"}
    )
    app = create_app(unreachable)
    response = _get(app, "/readyz")
    assert response.status_code == 503
    assert response.headers["retry-after"]
    body = response.json()
    assert body["code"] == "service_unavailable"
    assert body["checks"]["database"]["status"] == "down"
