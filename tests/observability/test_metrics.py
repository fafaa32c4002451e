"""/metrics: what it counts, who may read it, and a real Prometheus scraping it."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from maintrac.api.app import create_app
from maintrac.config import Settings
from maintrac.services import outbox
from maintrac.services.runtime import Runtime
from tests.conftest import ROOT, DatabaseUrls, Tenant
from tests.observability.server import free_port, serve

ARTIFACTS = ROOT / "tests" / "artifacts"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in the text exposition format (0 when absent)."""
    want = [f'{k}="{v}"' for k, v in labels.items()]
    total = 0.0
    for line in text.splitlines():
        if line.startswith((name + "{", name + " ")) and all(w in line for w in want):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_requests_are_counted_by_operation_and_status(
    http: httpx.Client, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    before = http.get("/metrics").text
    for _ in range(3):
        assert tenant.get("/v1/work-orders?limit=1").status_code == 200
    assert tenant.get(f"/v1/work-orders/{tenant.id}").status_code == 404
    after = http.get("/metrics")
    assert after.status_code == 200
    assert after.headers["content-type"].startswith("text/plain")
    text = after.text
    ok = {"operation": "listWorkOrders", "method": "GET", "status": "200"}
    missing = {"operation": "getWorkOrder", "method": "GET", "status": "404"}
    name = "maintrac_http_requests_total"
    assert _sample(text, name, **ok) - _sample(before, name, **ok) == 3
    assert _sample(text, name, **missing) - _sample(before, name, **missing) == 1
    assert (
        _sample(text, "maintrac_http_request_duration_seconds_count", operation="listWorkOrders")
        >= 3
    )
    # Paths outside the contract never become labels of their own.
    http.get("/no/such/path/12345")
    # In no label (a sample's value, such as a ``_created`` timestamp, may hold any digits).
    labels = re.findall(r"\{[^}]*\}", http.get("/metrics").text)
    assert labels
    assert not [found for found in labels if "12345" in found or "/no/such" in found]
    assert "maintrac_db_pool_connections_in_use" in text
    assert "maintrac_build_info{" in text


def _get(
    app: Starlette, path: str, *, client: str = "127.0.0.1", bearer: str | None = None
) -> httpx.Response:
    """One request straight into the ASGI app, from ``client``'s address."""

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=(client, 40000))
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
            return await http.get(path, headers=headers)

    return asyncio.run(call())


def test_the_outbox_backlog_is_read_at_scrape_time(
    http: httpx.Client, runtime: Runtime, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    with runtime.database.tenant_transaction(tenant.id) as session:
        outbox.enqueue(session, "tests.never-relayed", {"n": 1})
    text = http.get("/metrics").text
    assert _sample(text, "maintrac_outbox_backlog") >= 1  # no relay runs in this test
    assert "\nmaintrac_outbox_oldest_age_seconds " in text


def test_metrics_need_the_token_when_one_is_set(settings: Settings, runtime: Runtime) -> None:
    app: Starlette = create_app(
        settings.model_copy(update={"metrics_token": SecretStr("scrape-secret-1")}), runtime
    )
    refused = _get(app, "/metrics")
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert _get(app, "/metrics", bearer="wrong").status_code == 401
    allowed = _get(app, "/metrics", bearer="scrape-secret-1", client="203.0.113.9")
    assert allowed.status_code == 200
    assert "maintrac_http_requests_total" in allowed.text


def test_without_a_token_only_loopback_clients_are_served(app: Starlette) -> None:
    refused = _get(app, "/metrics", client="203.0.113.9")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert _get(app, "/metrics", client="127.0.0.1").status_code == 200
    assert _get(app, "/metrics", client="::1").status_code == 200


def test_several_worker_processes_add_up_on_one_port(
    database_urls: DatabaseUrls, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    headers = tenant.headers()
    with serve(database_urls, workers=2) as served, httpx.Client(base_url=served.url) as http:
        for _ in range(40):
            # A new connection each time, so that both processes answer some.
            response = httpx.get(f"{served.url}/v1/work-orders?limit=1", headers=headers)
            assert response.status_code == 200
        for _ in range(5):
            text = http.get("/metrics").text
            count = _sample(
                text, "maintrac_http_requests_total", operation="listWorkOrders", status="200"
            )
            assert count == 40, text  # whichever process answers the scrape


def _prometheus() -> str:
    found = shutil.which("prometheus")
    if found is None:
        reason = "Debian's prometheus is not installed (scripts/ci/install-prometheus.sh)"
        if _in_ci():
            pytest.fail(f"{reason}; CI must run the Prometheus test")
        pytest.skip(reason)
    return found


def test_a_real_prometheus_scrapes_the_api_and_answers_a_query(
    live_url: str, make_tenant: Callable[..., Tenant]
) -> None:
    binary = _prometheus()
    tenant = make_tenant()
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="maintrac-prometheus-"))
    target = live_url.removeprefix("http://")
    (workdir / "prometheus.yml").write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        "rule_files:\n  - " + str(ROOT / "ops" / "prometheus" / "alerts.yml") + "\n"
        "scrape_configs:\n  - job_name: maintrac\n    metrics_path: /metrics\n"
        f"    static_configs:\n      - targets: ['{target}']\n"
    )
    process = subprocess.Popen(
        [
            binary,
            f"--config.file={workdir / 'prometheus.yml'}",
            f"--storage.tsdb.path={workdir / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "prometheus.log").open("wb"),
    )
    api = f"http://127.0.0.1:{port}"
    try:
        for _ in range(5):
            assert tenant.get("/v1/work-orders?limit=2").status_code == 200
        query = 'sum(maintrac_http_requests_total{operation="listWorkOrders",status="200"})'
        value = 0.0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                answer = httpx.get(f"{api}/api/v1/query", params={"query": query}, timeout=5)
                result = answer.json()["data"]["result"]
                if result:
                    value = float(result[0]["value"][1])
                    if value >= 5:
                        break
            except (httpx.HTTPError, KeyError, ValueError):
                pass
            time.sleep(0.5)
        assert value >= 5, (workdir / "prometheus.log").read_text()[-2000:]
        targets = httpx.get(f"{api}/api/v1/targets", timeout=5).json()["data"]["activeTargets"]
        assert targets[0]["health"] == "up", targets
        rules = httpx.get(f"{api}/api/v1/rules", timeout=5).json()["data"]["groups"]
        assert {r["name"] for g in rules for r in g["rules"]} >= {
            "MaintracHigh5xxRate",
            "MaintracSlowP99",
        }
        _screenshot(f"{api}/graph?g0.expr={query}&g0.tab=0&g0.range_input=5m")
    finally:
        process.terminate()
        process.wait(timeout=15)
        shutil.rmtree(workdir, ignore_errors=True)


def _screenshot(url: str) -> None:
    """What the metrics look like in Prometheus, for people (tests/artifacts/, not checked)."""
    from tests.docs.chromium import Chromium, find_chromium  # noqa: PLC0415 - optional

    executable = find_chromium()
    if executable is None:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    with Chromium(executable, width=1400, height=900) as browser:
        browser.goto(url)
        time.sleep(2)
        browser.screenshot(ARTIFACTS / "prometheus-metrics.png")
