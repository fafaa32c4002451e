"""Offline sync with the real client: WatermelonDB's ``synchronize()`` (LokiJS adapter,
Node) on several devices against the live server, plus a web user on the REST API.

This module seeds a tenant (a work order W assigned to U, in progress, with a description;
a meter; users V and X), mints the tokens, and runs ``node --test`` on
tests/watermelon/scenario.test.mjs, whose three tests are:

1. devices A and B and the web user edit W while A and B are offline, then A, B, A, B
   sync: W must be complete (A's valid change first; B's on_hold refused, complete being
   terminal), assigned to V (the server's assignment wins over B's), described by B (last
   write by the devices' clocks); both devices end with the server's exact record; A's log
   entry and B's reading reach everyone; the conflict log names B's refused status and
   overridden assignment;
2. last write wins on a description follows when the devices wrote, not who pushed last;
3. a work order made offline, an edited (append-only) log entry and a deletion reach
   every device.

Then it checks the first scenario's outcome on the server through the REST API.

It needs Node.js 20+ and ``npm ci`` in tests/watermelon (``scripts/ci/install-watermelon.sh``,
which CI runs). Without them it is skipped, except in CI (CI=true), where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, Tenant

HERE = ROOT / "tests" / "watermelon"
INSTALLED = HERE / "node_modules" / "@nozbe" / "watermelondb" / "package.json"
TECHNICIAN = [
    "assets:read",
    "pm:read",
    "readings:write",
    "reference_data:read",
    "sync:use",
    "users:read",
    "work_orders:read",
    "work_orders:write",
]


def _need(condition: bool, reason: str) -> None:
    """Skip without the Node side, except in CI (CI=true), where its absence is a failure."""
    if condition:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason)
    pytest.skip(reason)


def _user_id(tenant: Tenant, token: str) -> str:
    response = tenant.http.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


def _page(tenant: Tenant, path: str) -> list[dict[str, Any]]:
    response = tenant.get(path)
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def test_watermelon_two_devices_and_web_user_converge(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    node = shutil.which("node")
    _need(node is not None, "Node.js 20+ is not installed: run scripts/ci/install-watermelon.sh")
    _need(INSTALLED.exists(), "run scripts/ci/install-watermelon.sh")
    assert node is not None
    # Asked for only now, so that a skip does not start the database and the server.
    live_url: str = request.getfixturevalue("live_url")
    tenant: Tenant = request.getfixturevalue("tenant")

    token_a = tenant.token(TECHNICIAN, role="technician", subject="e2e-technician-a", ttl=900)
    token_b = tenant.token(TECHNICIAN, role="technician", subject="e2e-technician-b", ttl=900)
    user_u = _user_id(tenant, token_a)  # device A belongs to U, W's assignee
    _user_id(tenant, token_b)
    user_v = str(tenant.create_user(displayName="Vera Planner")["id"])
    user_x = str(tenant.create_user(displayName="Xavier Fitter")["id"])
    asset = tenant.create("/v1/assets", {"name": "Feed pump P-101"})
    meter = tenant.create("/v1/meters", {"assetId": asset["id"], "name": "Run hours", "unit": "h"})
    work_order = tenant.create_work_order(
        title="Realign feed pump P-101",
        description="Pump vibrates; check the coupling.",
        assigneeId=user_u,
        assetId=asset["id"],
    )
    started = tenant.patch(f"/v1/work-orders/{work_order['id']}", json={"status": "in_progress"})
    assert started.status_code == 200, started.text

    result_file = tmp_path / "result.json"
    env = {
        **os.environ,
        "MAINTRAC_URL": live_url,
        "MAINTRAC_TOKEN_A": token_a,
        "MAINTRAC_TOKEN_B": token_b,
        "MAINTRAC_TOKEN_WEB": tenant.token(ttl=900),
        "MAINTRAC_SCENARIO": json.dumps(
            {
                "workOrderId": work_order["id"],
                "meterId": meter["id"],
                "userU": user_u,
                "userV": user_v,
                "userX": user_x,
            }
        ),
        "MAINTRAC_RESULT_FILE": str(result_file),
        "NO_COLOR": "1",
    }
    run = subprocess.run(
        [node, "--test", "--test-reporter=spec", "scenario.test.mjs"],
        cwd=HERE,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, f"node --test failed:\n{run.stdout}{run.stderr}"
    assert any(line.strip().endswith("fail 0") for line in run.stdout.splitlines()), run.stdout
    created = json.loads(result_file.read_text())

    # The server's own view, through the REST API.
    final = tenant.get(f"/v1/work-orders/{work_order['id']}").json()
    assert (final["status"], final["assigneeId"], final["description"]) == (
        "complete",
        user_v,
        "B's note",
    )
    assert final["completedAt"] is not None
    entries = _page(tenant, f"/v1/work-orders/{work_order['id']}/log-entries")
    assert [(e["id"], e["kind"], e["minutes"]) for e in entries] == [
        (created["logEntryId"], "labor", 45)
    ]
    readings = _page(tenant, f"/v1/meters/{meter['id']}/readings")
    assert [(r["id"], float(r["value"])) for r in readings] == [(created["readingId"], 1234.5)]
    conflicts = _page(tenant, f"/v1/sync-conflicts?recordId={work_order['id']}")
    logged = {(c["field"], c["clientValue"], c["serverValue"], c["resolution"]) for c in conflicts}
    assert ("status", "on_hold", "complete", "rejected_terminal_status") in logged, conflicts
    assert ("assignee_id", user_x, user_v, "server_wins") in logged, conflicts
    assert {c["deviceId"] for c in conflicts} == {"e2e-device-B"}, conflicts
