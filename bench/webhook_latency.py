"""Webhook delivery latency: from the commit of a change to the signed POST's arrival.

Real pieces, on one machine: a scratch database (real bootstrap and migrations), a private
``redis-server``, ``maintrac relay`` and ``maintrac worker`` subprocesses, and an HTTP
receiver in this process. An endpoint subscribes to ``work_order.created``; then, one at
a time, a work order is created through the service in a tenant transaction; the clock
starts when that transaction has committed and stops when the receiver has the request
(the path: outbox row -> relay (NOTIFY) -> fan-out task -> delivery row + outbox row ->
relay -> delivery task -> HTTP). Prints median, p90 and worst over ``--events`` (100).

    .venv/bin/python bench/webhook_latency.py            # about 30 s
    .venv/bin/python bench/webhook_latency.py --events 300
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from maintrac.cli.devenv import find_or_start
from maintrac.config import Settings
from maintrac.core.work_orders import NewWorkOrder
from maintrac.db.bootstrap import drop_database, ensure_roles_and_database, migrate, role_urls
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services import webhooks, work_orders
from maintrac.services.tenants import provision_tenant

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Arrivals:
    def __init__(self) -> None:
        self.by_title: dict[str, float] = {}
        self.cond = threading.Condition()

    def wait(self, title: str, timeout: float) -> float | None:
        with self.cond:
            self.cond.wait_for(lambda: title in self.by_title, timeout)
            return self.by_title.get(title)


def _receiver(arrivals: _Arrivals) -> ThreadingHTTPServer:
    import json  # noqa: PLC0415 - only the receiver parses

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            now = time.time()
            title = json.loads(body)["data"]["workOrder"]["title"]
            with arrivals.cond:
                arrivals.by_title[title] = now
                arrivals.cond.notify_all()
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", _free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0915 - one scenario, top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument(
        "--admin-url",
        default=os.environ.get(
            "ADMIN_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args(argv)
    redis_binary = shutil.which("redis-server")
    if redis_binary is None:
        print("redis-server is required", file=sys.stderr)
        return 2
    server = find_or_start(args.admin_url, ROOT / ".data" / "bench")
    name = f"maintrac_webhook_bench_{uuid.uuid4().hex[:12]}"
    workdir = Path(tempfile.mkdtemp(prefix="maintrac-webhook-bench-"))
    processes: list[subprocess.Popen[bytes]] = []
    latencies: list[float] = []
    try:
        ensure_roles_and_database(server.admin_url, name)
        owner, app = role_urls(server.admin_url, name)
        owner_url = owner.render_as_string(hide_password=False)
        app_url = app.render_as_string(hide_password=False)
        migrate(owner_url)
        owner_db = Database(make_engine(owner_url, pool_size=1))
        try:
            tenant_id = provision_tenant(owner_db, "Webhook Bench Plant")
        finally:
            owner_db.dispose()

        redis_port = _free_port()
        processes.append(
            subprocess.Popen(
                [
                    redis_binary,
                    "--port",
                    str(redis_port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(workdir),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        env = {
            **os.environ,
            "ENVIRONMENT": "test",
            "DATABASE_URL": app_url,
            "MIGRATION_DATABASE_URL": owner_url,
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "JWT_SECRET": "webhook-bench-" + uuid.uuid4().hex,
            "WEBHOOKS_ALLOW_PRIVATE": "true",
            "DATABASE_POOL_SIZE": "2",
            "LOG_LEVEL": "WARNING",
            "MAINTRAC_DATA_DIR": str(workdir / "data"),
        }
        for command in (
            ["relay"],
            ["worker", "--concurrency", "2", "--without-gossip", "--without-mingle"],
        ):
            log = (workdir / f"{command[0]}.log").open("wb")
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "maintrac.cli", *command],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )

        arrivals = _Arrivals()
        receiver = _receiver(arrivals)
        url = f"http://127.0.0.1:{receiver.server_address[1]}/hooks"
        database = Database(make_engine(app_url, pool_size=2))
        settings = Settings(webhooks_allow_private=True)
        policy = webhooks.Policy.from_settings(settings)
        with database.tenant_transaction(tenant_id) as session:
            webhooks.create_endpoint(session, url, ["work_order.created"], True, None, policy)

        def create(title: str) -> float:
            with database.tenant_transaction(tenant_id) as session:
                work_orders.create_work_order(session, NewWorkOrder(title=title), None)
            return time.time()  # committed

        # Warm-up: the worker and relay have started and loaded their code.
        warm = create("warm-up")
        if arrivals.wait("warm-up", 120) is None:
            print("the warm-up event never arrived; logs in", workdir, file=sys.stderr)
            return 1
        del warm
        for i in range(args.events):
            title = f"event {i}"
            committed = create(title)
            arrived = arrivals.wait(title, 60)
            if arrived is None:
                print(f"{title} never arrived", file=sys.stderr)
                return 1
            latencies.append((arrived - committed) * 1000)
        receiver.shutdown()
        database.dispose()
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except (ProcessLookupError, PermissionError):
                    process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        drop_database(server.admin_url, name)
        shutil.rmtree(workdir, ignore_errors=True)

    ordered = sorted(latencies)
    p90 = ordered[max(0, int(len(ordered) * 0.9) - 1)]
    print()
    print(
        f"Webhook delivery, commit -> arrival, {len(latencies)} events one at a time "
        "(relay + 1 worker, concurrency 2, local receiver):"
    )
    print(f"  median {statistics.median(latencies):7.1f} ms")
    print(f"  p90    {p90:7.1f} ms")
    print(f"  worst  {ordered[-1]:7.1f} ms")
    print(f"  best   {ordered[0]:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
