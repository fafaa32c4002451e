"""Benchmark: offline sync (WatermelonDB protocol) for a technician of a 10,000-work-order
tenant: the first full pull, a push of 500 changes and the pull after it, and an empty
incremental pull (figures, never a test).

What it does, end to end, on loopback only:

1. creates a scratch database (``maintrac_sync_bench_<random>``) with the real bootstrap
   and migrations, and provisions one tenant;
2. starts the API exactly like ``maintrac serve`` does (uvicorn, one worker,
   ``ENVIRONMENT=production``, ``VALIDATE_RESPONSES=false``, a random ``JWT_SECRET``, JSON
   logs to a file), see ``list_throughput._server``;
3. creates the technician (first use of its token), an asset and a meter through the API,
   then bulk-inserts ``--work-orders`` work orders (open, in progress, on hold; assigned to
   the technician) in one SQL statement as the app role, through RLS
   (``SELECT app_set_tenant(...)``);
4. measures, as the technician (``sync:use``), with httpx over loopback:
   a. the first pull (``lastPulledAt: null``) ``--repeat`` times: wall time, response bytes
      (as sent, and gzip-compressed at level 6, which a gzip-enabled proxy would send),
      records; the median is printed;
   b. one push of 500 changes, as WatermelonDB sends them (full raw records): 250 updated
      work orders (open -> in_progress, new description), 150 new work log entries, 100 new
      meter readings, device-made UUIDv7 ids; then the incremental pull that follows it;
   c. an incremental pull with no changes since, ``--repeat`` times;
5. prints the figures, stops the server and drops the database (also on failure/Ctrl-C).

Each pull also reports the CPU it cost the API process (all its threads) and the
database's backends, read from ``/proc/<pid>/task/*/schedstat``: on a shared machine wall
time follows the load, CPU time much less. ``--baseline DIR`` serves another checkout too
(its ``src/`` first on ``PYTHONPATH``) on the same database, and runs each of its pulls
right after the project's (a, the pull after the push, c): before and after, under the
same load.

Run: ``.venv/bin/python bench/sync_bench.py`` (about 20 s). The database server is
``ADMIN_DATABASE_URL`` (default postgres@127.0.0.1:5432) or an embedded cluster in
``.data/bench`` when none is reachable.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
from list_throughput import _server  # the same `maintrac serve` subprocess
from sqlalchemy import make_url

from maintrac.api.security import DEFAULT_ROLE_PERMISSIONS, mint_token
from maintrac.cli.devenv import find_or_start
from maintrac.core.ids import new_id
from maintrac.db.bootstrap import drop_database, ensure_roles_and_database, migrate, role_urls
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services.tenants import provision_tenant

ROOT = Path(__file__).resolve().parents[1]
UPDATED_WORK_ORDERS = 250
NEW_LOG_ENTRIES = 150
NEW_READINGS = 100


@dataclass(frozen=True)
class Call:
    seconds: float
    request_bytes: int
    wire_bytes: int  # the response body as it crossed the socket
    raw_bytes: int  # decoded (the same unless the server compressed it)
    gzip_bytes: int  # the decoded body gzip-compressed at level 6
    encoding: str
    records: int
    body: dict[str, Any]
    server_cpu: float  # seconds of CPU of the API process, every thread
    database_cpu: float  # seconds of CPU of the database's backends


@dataclass(frozen=True)
class Served:
    """One API process under test and its technician's client."""

    label: str
    pid: int
    client: httpx.Client
    backends: list[int]  # the database's backend pids, refreshed by _post


def _schedstat(pid: int) -> float:
    """Seconds of CPU that process ``pid`` (every thread) has run; 0 once it is gone."""
    total = 0
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1e9


def _pid_serving(base: str) -> int:
    """The process of the ``maintrac serve`` listening on ``base``'s port."""
    port = base.rsplit(":", 1)[1]
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in args and b"--port" in args and port.encode() in args:
            return int(cmdline.parent.name)
    raise RuntimeError(f"no process serves {base}")


def _count(changes: dict[str, dict[str, list[Any]]]) -> int:
    return sum(len(t["created"]) + len(t["updated"]) + len(t["deleted"]) for t in changes.values())


def _post(served: Served, path: str, body: dict[str, Any], admin: psycopg.Connection) -> Call:
    # The backends are listed before the clock starts (a pool opens them lazily).
    served.backends[:] = [
        r[0]
        for r in admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
    ]
    server_before = _schedstat(served.pid)
    database_before = sum(_schedstat(p) for p in served.backends)
    started = time.perf_counter()
    response = served.client.post(path, json=body)
    content = response.content  # the whole body is read before the clock stops
    seconds = time.perf_counter() - started
    server_cpu = _schedstat(served.pid) - server_before
    database_cpu = sum(_schedstat(p) for p in served.backends) - database_before
    if response.status_code != 200:
        raise RuntimeError(f"{path} -> {response.status_code}: {response.text[:2000]}")
    parsed = response.json()
    records = _count(parsed["changes"]) if "changes" in parsed else 0
    return Call(
        seconds,
        len(response.request.content),
        response.num_bytes_downloaded,
        len(content),
        len(gzip.compress(content, 6)),
        response.headers.get("content-encoding", "identity"),
        records,
        parsed,
        server_cpu,
        database_cpu,
    )


def _bulk_work_orders(
    app_url: str, tenant_id: uuid.UUID, assignee: str, asset: str, n: int
) -> None:
    """``n`` work orders in one INSERT as the app role (RLS applies), and the tenant's
    work order counter, so numbers continue after them."""
    with psycopg.connect(app_url.replace("+psycopg", "")) as conn, conn.transaction():
        conn.execute("SELECT app_set_tenant(%s)", (tenant_id,))
        conn.execute(
            """
            INSERT INTO work_orders (tenant_id, id, number, title, description, status,
                                     priority, asset_id, assignee_id, due_at)
            SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid,
                   uuid_generate_v7(), n,
                   'Inspect pump P-' || lpad(n::text, 5, '0'),
                   'Vibration above threshold; check bearings, alignment and coupling.',
                   (ARRAY['open', 'in_progress', 'on_hold'])[n %% 3 + 1],
                   (ARRAY['low', 'medium', 'high', 'urgent'])[n %% 4 + 1],
                   %s::uuid, %s::uuid, now() + n * interval '1 hour'
            FROM generate_series(1, %s) AS n
            """,
            (asset, assignee, n),
        )
        conn.execute(
            "INSERT INTO tenant_counters (tenant_id, name, value) VALUES "
            "(NULLIF(current_setting('app.current_tenant', true), '')::uuid, 'work_orders', %s)",
            (n,),
        )


def _push_changes(pulled: dict[str, Any], meter_id: str, now_ms: int) -> dict[str, Any]:
    """500 changes as WatermelonDB pushes them: full raw records, device-made UUIDv7 ids."""
    opened = [
        r
        for r in pulled["changes"]["work_orders"]["created"]
        + pulled["changes"]["work_orders"]["updated"]
        if r["status"] == "open"
    ][:UPDATED_WORK_ORDERS]
    if len(opened) < UPDATED_WORK_ORDERS:
        raise RuntimeError(f"only {len(opened)} open work orders to update")
    updated = [
        {
            **r,
            "status": "in_progress",
            "description": f"Started on site ({i}).",
            "updated_at": now_ms,
        }
        for i, r in enumerate(opened)
    ]
    entries = [
        {
            "id": str(new_id()),
            "work_order_id": opened[i % len(opened)]["id"],
            "kind": "labor",
            "author_id": None,
            "logged_at": now_ms,
            "minutes": 15 + i % 60,
            "material_name": None,
            "quantity": None,
            "unit": None,
            "unit_cost": None,
            "note": "Checked alignment.",
            "corrects_id": None,
            "created_at": now_ms,
        }
        for i in range(NEW_LOG_ENTRIES)
    ]
    readings = [
        {
            "id": str(new_id()),
            "meter_id": meter_id,
            "value": 1000.0 + i,
            "taken_at": now_ms - (NEW_READINGS - i) * 1000,
            "taken_by": None,
            "work_order_id": opened[i]["id"],
            "note": None,
            "created_at": now_ms,
        }
        for i in range(NEW_READINGS)
    ]

    def table(created: list[Any], changed: list[Any]) -> dict[str, list[Any]]:
        return {"created": created, "updated": changed, "deleted": []}

    return {
        "work_orders": table([], updated),
        "work_log_entries": table(entries, []),
        "asset_readings": table(readings, []),
    }


def _kib(n: int) -> str:
    return f"{n / 1024:,.1f} KiB"


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-orders", type=int, default=10_000, help="seeded in one tenant")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each pull (median)")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get(
            "ADMIN_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="also serve this checkout (e.g. ../main), each of its pulls after the project's",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0915 (one scenario, top to bottom)
    args = _parse_args(argv)
    server = find_or_start(args.admin_url, ROOT / ".data" / "bench")
    name = f"maintrac_sync_bench_{uuid.uuid4().hex[:12]}"
    workdir = Path(tempfile.mkdtemp(prefix="maintrac-sync-bench-"))
    try:
        ensure_roles_and_database(server.admin_url, name)
        owner, app = role_urls(server.admin_url, name)
        owner_url = owner.render_as_string(hide_password=False)
        app_url = app.render_as_string(hide_password=False)
        migrate(owner_url)
        owner_db = Database(make_engine(owner_url, pool_size=1))
        try:
            tenant_id = provision_tenant(owner_db, "Sync Bench Plant")
        finally:
            owner_db.dispose()

        secret = secrets.token_urlsafe(48)

        def token(role: str, subject: str) -> str:
            return mint_token(
                secret,
                subject=subject,
                tenant_id=tenant_id,
                role=role,
                permissions=DEFAULT_ROLE_PERMISSIONS[role],
                ttl_seconds=3600,
            )

        tech_token = token("technician", "bench-technician")
        with contextlib.ExitStack() as stack:
            labels = ["project"] + (["baseline"] if args.baseline else [])
            served: list[Served] = []
            for label in labels:
                extra = (
                    {"PYTHONPATH": f"{args.baseline / 'src'}:{args.baseline / 'generated'}"}
                    if label == "baseline"
                    else None
                )
                base = stack.enter_context(
                    _server(
                        app_url,
                        secret,
                        validate=False,
                        log=workdir / f"{label}.log",
                        extra_env=extra,
                        # On a loaded machine the imports alone can take half a minute.
                        ready_seconds=120,
                    )
                )
                client = stack.enter_context(
                    httpx.Client(
                        base_url=base,
                        headers={"Authorization": f"Bearer {tech_token}"},
                        timeout=120,
                    )
                )
                served.append(Served(label, _pid_serving(base), client, []))
            project = served[0]
            tech = project.client
            admin = stack.enter_context(
                httpx.Client(
                    base_url=str(tech.base_url),
                    headers={"Authorization": f"Bearer {token('admin', 'bench-admin')}"},
                    timeout=120,
                )
            )
            db_admin = stack.enter_context(
                psycopg.connect(
                    make_url(server.admin_url)
                    .set(drivername="postgresql", database=name)
                    .render_as_string(hide_password=False),
                    autocommit=True,
                )
            )
            technician = tech.get("/v1/users/me").raise_for_status().json()["id"]
            asset = admin.post("/v1/assets", json={"name": "Feed pump P-101"})
            asset_id = asset.raise_for_status().json()["id"]
            meter = admin.post(
                "/v1/meters", json={"assetId": asset_id, "name": "Run hours", "unit": "h"}
            )
            meter_id = meter.raise_for_status().json()["id"]
            started = time.perf_counter()
            _bulk_work_orders(app_url, tenant_id, technician, asset_id, args.work_orders)
            print(
                f"seeded {args.work_orders:,} work orders in {time.perf_counter() - started:.1f}s"
            )

            def pull(s: Served, since: int | None) -> Call:
                return _post(
                    s, "/v1/sync/pull", {"lastPulledAt": since, "schemaVersion": 1}, db_admin
                )

            for s in served:
                # Warm-up (connection pools, first-use imports): a small call and a pull.
                s.client.get("/v1/work-orders?limit=1").raise_for_status()
                pull(s, None)

            first: dict[str, list[Call]] = {s.label: [] for s in served}
            for _ in range(args.repeat):
                for s in served:
                    first[s.label].append(pull(s, None))
            last_pulled_at = first["project"][-1].body["timestamp"]

            changes = _push_changes(first["project"][-1].body, meter_id, int(time.time() * 1000))
            pushed = _post(
                project,
                "/v1/sync/push",
                {"changes": changes, "lastPulledAt": last_pulled_at, "deviceId": "bench"},
                db_admin,
            )
            accepted = sum(len(ids) for ids in pushed.body["accepted"].values())
            refused = sum(len(ids) for ids in pushed.body["experimentalRejectedIds"].values())
            overridden = sum(len(ids) for ids in pushed.body["overridden"].values())
            after_push = {s.label: pull(s, last_pulled_at) for s in served}
            quiet_since = after_push["project"].body["timestamp"]
            empty: dict[str, list[Call]] = {s.label: [] for s in served}
            for _ in range(args.repeat):
                for s in served:
                    empty[s.label].append(pull(s, quiet_since))
    finally:
        drop_database(server.admin_url, name)
        shutil.rmtree(workdir, ignore_errors=True)

    def median(calls: list[Call], attribute: str) -> float:
        return float(statistics.median(getattr(c, attribute) for c in calls))

    def cpu(calls: list[Call]) -> str:
        return (
            f"CPU median {median(calls, 'server_cpu') * 1000:,.1f} ms API + "
            f"{median(calls, 'database_cpu') * 1000:,.1f} ms PostgreSQL"
        )

    def runs(calls: list[Call], digits: int) -> str:
        return (
            f"median {median(calls, 'seconds') * 1000:,.{digits}f} ms   runs "
            + ", ".join(f"{c.seconds * 1000:,.{digits}f}" for c in calls)
            + " ms"
        )

    width = max(len(s.label) for s in served)
    print()
    print(
        f"Sync as a technician; {args.work_orders:,} work orders in one tenant; uvicorn 1 worker,"
    )
    print(f"ENVIRONMENT=production, VALIDATE_RESPONSES=false; {os.cpu_count()} CPUs shared")
    print(
        f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    if args.baseline:
        print(f"baseline: {args.baseline.resolve()} (each of its pulls right after the project's)")
    print()
    print(f"a. first pull (lastPulledAt null), {args.repeat} runs:")
    for label, calls in first.items():
        print(f"   {label:<{width}}  wall time {runs(calls, 0)}")
        print(f"   {'':<{width}}  {cpu(calls)}")
    calls = first["project"]
    print(f"   records      {calls[-1].records:,}")
    print(
        f"   payload      {_kib(int(median(calls, 'raw_bytes')))} JSON; "
        f"{_kib(int(median(calls, 'wire_bytes')))} on the wire "
        f"(Content-Encoding: {calls[-1].encoding}); "
        f"{_kib(int(median(calls, 'gzip_bytes')))} if gzip-compressed at level 6 "
        f"({median(calls, 'raw_bytes') / median(calls, 'gzip_bytes'):.1f}x smaller)"
    )
    print()
    print(
        f"b. push of {_count(changes)} changes ({UPDATED_WORK_ORDERS} work orders updated, "
        f"{NEW_LOG_ENTRIES} log entries, {NEW_READINGS} readings created), by the project:"
    )
    print(
        f"   push         {pushed.seconds * 1000:,.0f} ms "
        f"({pushed.seconds * 1000 / _count(changes):.1f} ms per change); "
        f"request {_kib(pushed.request_bytes)}"
    )
    print(f"                accepted {accepted}, rejected {refused}, overridden {overridden}")
    for label, call in after_push.items():
        print(
            f"   next pull    {label:<{width}}  {call.seconds * 1000:,.0f} ms, "
            f"{call.records:,} records, {_kib(call.raw_bytes)} ({_kib(call.gzip_bytes)} gzip); "
            f"{cpu([call])}"
        )
    print()
    print(f"c. incremental pull with no changes, {args.repeat} runs:")
    for label, calls in empty.items():
        print(f"   {label:<{width}}  wall time {runs(calls, 1)}")
        print(f"   {'':<{width}}  {cpu(calls)}")
    calls = empty["project"]
    print(f"   records      {calls[-1].records}; payload {calls[-1].raw_bytes:,} bytes JSON")
    return 0


if __name__ == "__main__":
    sys.exit(main())
