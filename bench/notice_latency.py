"""Benchmark: how long an e-mail notice takes from the commit that caused it to its
arrival at an SMTP server, median and worst over ``--notices`` (default 100). Figures,
never a test.

End to end, on loopback only:

1. a scratch database (``maintrac_notice_bench_<random>``) with the real bootstrap and
   migrations, one tenant, an admin and ``--assignees`` people with e-mail addresses;
2. a private ``redis-server`` on a free port, an aiosmtpd SMTP server in this process
   that stamps each mail's arrival (end of DATA), and the real ``maintrac relay`` and
   ``maintrac worker`` (``--concurrency``) as subprocesses, as in production;
3. ``--notices`` times, every ``--interval`` seconds: one transaction as the app role
   creates a work order and assigns it (``services.work_orders``, which emits the domain
   event into the outbox); the moment ``COMMIT`` returns is the start;
4. the path measured: NOTIFY wakes the relay -> Redis -> the worker's event fan-out
   (records the notice, enqueues the send) -> relay -> Redis -> the send task (renders,
   commits ``sending``, talks SMTP, commits ``sent``) -> arrival. Prints median, p95 and
   worst, then stops everything and drops the database (also on failure or Ctrl-C).

Run: ``.venv/bin/python bench/notice_latency.py`` (about a minute).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from maintrac.cli.devenv import find_or_start
from maintrac.core.users import NewUser
from maintrac.core.work_orders import NewWorkOrder
from maintrac.db.bootstrap import drop_database, ensure_roles_and_database, migrate, role_urls
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services import users as users_service
from maintrac.services import work_orders
from maintrac.services.tenants import provision_tenant

ROOT = Path(__file__).resolve().parents[1]
NUMBER = re.compile(r"#(\d+)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Arrivals:
    def __init__(self) -> None:
        self.at: dict[int, list[float]] = {}
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        del server, session
        arrived = time.time()
        content = envelope.content.decode(errors="replace")
        subject = next((line for line in content.splitlines() if line.startswith("Subject:")), "")
        found = NUMBER.search(subject)
        if found:
            with self.lock:
                self.at.setdefault(int(found.group(1)), []).append(arrived)
        return "250 OK"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notices", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between commits")
    parser.add_argument("--assignees", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--timeout", type=float, default=120.0, help="wait for the last mail")
    args = parser.parse_args()

    admin = os.environ.get(
        "ADMIN_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    server = find_or_start(admin, ROOT / ".data" / "bench")
    name = f"maintrac_notice_bench_{uuid.uuid4().hex[:10]}"
    ensure_roles_and_database(server.admin_url, name)
    owner, app = role_urls(server.admin_url, name)
    owner_url = owner.render_as_string(hide_password=False)
    app_url = app.render_as_string(hide_password=False)
    work = Path(tempfile.mkdtemp(prefix="notice-bench-"))
    children: list[subprocess.Popen[bytes]] = []
    smtp = Controller(Arrivals(), hostname="127.0.0.1", port=_free_port())
    arrivals: Arrivals = smtp.handler
    app_db: Database | None = None
    try:
        migrate(owner_url)
        owner_db = Database(make_engine(owner_url, pool_size=1))
        tenant_id = provision_tenant(owner_db, "Bench Plant", "Europe/Berlin")
        owner_db.dispose()
        app_db = Database(make_engine(app_url, pool_size=2))
        with app_db.tenant_transaction(tenant_id) as session:
            actor = users_service.create_user(
                session, NewUser(display_name="Bench Admin", role="admin")
            ).id
            people = [
                users_service.create_user(
                    session,
                    NewUser(display_name=f"Fitter {i}", email=f"fitter{i}@bench.test"),
                ).id
                for i in range(args.assignees)
            ]

        redis_port = _free_port()
        smtp.start()
        env = {
            **os.environ,
            "ENVIRONMENT": "production",
            "JWT_SECRET": uuid.uuid4().hex * 2,
            "DATABASE_URL": app_url,
            "MIGRATION_DATABASE_URL": owner_url,
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "SMTP_URL": f"smtp://127.0.0.1:{smtp.port}?starttls=off",
            "MAIL_FROM": "MainTrac Bench <notices@bench.test>",
            "LOG_LEVEL": "WARNING",
            "MAINTRAC_DATA_DIR": str(work / "data"),
        }
        children += _start_processes(work, env, redis_port, args.concurrency)
        return _measure(app_db, tenant_id, actor, people, arrivals, args, work)
    finally:
        for child in reversed(children):
            if child.poll() is None:
                try:
                    os.killpg(child.pid, 15)
                except (ProcessLookupError, PermissionError):
                    child.terminate()
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        if smtp.loop.is_running():
            smtp.stop()
        if app_db is not None:
            app_db.dispose()
        drop_database(server.admin_url, name)
        shutil.rmtree(work, ignore_errors=True)


def _start_processes(
    work: Path, env: dict[str, str], redis_port: int, concurrency: int
) -> list[subprocess.Popen[bytes]]:
    """A private redis-server, then the real relay and worker."""
    redis_binary = shutil.which("redis-server")
    if redis_binary is None:
        raise SystemExit("redis-server is required (Debian: apt-get install redis-server)")
    started = [
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
                str(work),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    ]
    for command in (
        ["relay"],
        ["worker", "--concurrency", str(concurrency), "--without-gossip", "--without-mingle"],
    ):
        log = (work / f"{command[0]}.log").open("wb")
        started.append(
            subprocess.Popen(
                [sys.executable, "-m", "maintrac.cli", *command],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return started


def _measure(  # noqa: PLR0917 - one call site
    app_db: Database,
    tenant_id: uuid.UUID,
    actor: uuid.UUID,
    people: list[uuid.UUID],
    arrivals: Arrivals,
    args: argparse.Namespace,
    work: Path,
) -> int:
    # Warm up: the first notice pays for worker start-up, not for the path measured.
    committed = _assign(app_db, tenant_id, actor, people[0], "warm-up")
    if not _wait(arrivals, [committed[0]], 90):
        print(f"no warm-up mail within 90 s; see {work}")
        return 1
    commits: dict[int, float] = {}
    for i in range(args.notices):
        number, at = _assign(app_db, tenant_id, actor, people[i % len(people)], f"bench {i}")
        commits[number] = at
        time.sleep(args.interval)
    complete = _wait(arrivals, list(commits), args.timeout)
    latencies = sorted(
        (arrivals.at[n][0] - at) * 1000 for n, at in commits.items() if n in arrivals.at
    )
    duplicates = sum(len(arrivals.at.get(n, [])) - 1 for n in commits if n in arrivals.at)
    print(
        f"notices: {len(commits)} committed, {len(latencies)} arrived, "
        f"{duplicates} duplicates{'' if complete else ' (timed out waiting)'}"
    )
    print(
        f"commit -> arrival (ms), one commit every {args.interval} s, worker concurrency "
        f"{args.concurrency}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs:"
    )
    if latencies:
        p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
        print(
            f"  median {statistics.median(latencies):.0f}   p95 {p95:.0f}   "
            f"worst {latencies[-1]:.0f}   best {latencies[0]:.0f}"
        )
        _stages(app_db, tenant_id, commits)
    return 0 if complete else 1


def _assign(
    db: Database, tenant_id: uuid.UUID, actor: uuid.UUID, person: uuid.UUID, title: str
) -> tuple[int, float]:
    """Create and assign one work order in one transaction; (its number, commit time)."""
    with db.tenant_transaction(tenant_id) as session:
        order = work_orders.create_work_order(session, NewWorkOrder(title=title), actor)
        work_orders.update_work_order(session, order.id, {"assignee_id": person}, actor)
    return order.number, time.time()


def _stages(db: Database, tenant_id: uuid.UUID, commits: dict[int, float]) -> None:
    """Where the time goes: commit -> notice recorded by the event fan-out (its
    transaction's start) -> ``sending`` committed -> ``sent``, medians in ms."""
    from sqlalchemy import text  # noqa: PLC0415 - only for this breakdown

    with db.tenant_transaction(tenant_id) as session:
        rows = session.execute(
            text(
                "SELECT w.number, extract(epoch FROM n.created_at) AS recorded, "
                "extract(epoch FROM n.sending_at) AS sending, "
                "extract(epoch FROM n.sent_at) AS sent FROM notifications n "
                "JOIN work_orders w ON w.tenant_id = n.tenant_id AND w.id = n.work_order_id"
            )
        ).all()
    stages: dict[str, list[float]] = {"recorded": [], "sending": [], "sent": []}
    for row in rows:
        at = commits.get(int(row.number))
        if at is None or row.sent is None:
            continue
        for stage, values in stages.items():
            values.append((float(getattr(row, stage)) - at) * 1000)
    if stages["sent"]:
        print(
            "  stages (median ms after commit): event fanned out and notice recorded "
            f"{statistics.median(stages['recorded']):.0f}, sending committed "
            f"{statistics.median(stages['sending']):.0f}, sent recorded "
            f"{statistics.median(stages['sent']):.0f}"
        )


def _wait(arrivals: Arrivals, numbers: list[int], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with arrivals.lock:
            if all(n in arrivals.at for n in numbers):
                return True
        time.sleep(0.05)
    return False


if __name__ == "__main__":
    sys.exit(main())
