"""Report export benchmark: a ``work-orders`` report of 1,000,000 rows, built the way the
worker builds it, with its wall time and the building process's peak memory.

    .venv/bin/python bench/report_export.py                       # 1,000,000 rows, csv
    .venv/bin/python bench/report_export.py --rows 100000 --format xlsx

A scratch database (``maintrac_report_bench_<random>``, dropped at the end) is migrated
and seeded in one ``INSERT ... SELECT generate_series`` as the app role (RLS applies):
work orders with an asset, an assignee, a task code and a GL code, so the export's four
joins run. The report is requested through the service (as ``POST /v1/reports`` does)
and built in a fresh child process that runs ``maintrac.jobs.reports.run_build``, the
function the worker's task runs: start (count), stream through a server-side cursor,
write the chunks, commit. The child's peak resident set size (``ru_maxrss``, which
includes the interpreter and every imported library) is the memory figure; its CPU time
(user + system) is printed too, with the load average: on a shared machine the wall time
moves with other work, the CPU time much less (PostgreSQL's share is not in it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg

from maintrac.cli.devenv import find_or_start
from maintrac.core.reports import NewReport, ReportFormat, ReportKind
from maintrac.db.bootstrap import drop_database, ensure_roles_and_database, migrate, role_urls
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services import reports
from maintrac.services.tenants import provision_tenant

ROOT = Path(__file__).resolve().parent.parent


def _seed(app_url: str, tenant_id: uuid.UUID, rows: int) -> None:
    with psycopg.connect(app_url.replace("+psycopg", "")) as conn, conn.transaction():
        conn.execute("SELECT app_set_tenant(%s)", (tenant_id,))
        conn.execute("SET LOCAL statement_timeout = 0")  # the app role's 15 s is for requests
        user = conn.execute(
            "INSERT INTO users (tenant_id, id, display_name, role) VALUES "
            "(NULLIF(current_setting('app.current_tenant', true), '')::uuid, "
            "uuid_generate_v7(), 'Alex Fitter', 'technician') RETURNING id"
        ).fetchone()
        asset = conn.execute(
            "INSERT INTO assets (tenant_id, id, name, code) VALUES "
            "(NULLIF(current_setting('app.current_tenant', true), '')::uuid, "
            "uuid_generate_v7(), 'Feed pump P-101', 'P101') RETURNING id"
        ).fetchone()
        task = conn.execute(
            "INSERT INTO task_codes (tenant_id, id, code, name) VALUES "
            "(NULLIF(current_setting('app.current_tenant', true), '')::uuid, "
            "uuid_generate_v7(), 'MECH', 'Mechanical') RETURNING id"
        ).fetchone()
        gl = conn.execute(
            "INSERT INTO gl_codes (tenant_id, id, code, name) VALUES "
            "(NULLIF(current_setting('app.current_tenant', true), '')::uuid, "
            "uuid_generate_v7(), 'GL-100', 'Maintenance') RETURNING id"
        ).fetchone()
        if not (user and asset and task and gl):
            raise RuntimeError("seeding returned no id")
        conn.execute(
            """
            INSERT INTO work_orders (tenant_id, id, number, title, description, status,
                                     priority, asset_id, assignee_id, task_code_id, gl_code_id,
                                     due_at, estimated_hours)
            SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid,
                   uuid_generate_v7(), n,
                   'Inspect pump P-' || lpad(n::text, 7, '0') || ', "north" bay',
                   'Vibration above threshold; check bearings.',
                   (ARRAY['open', 'in_progress', 'on_hold'])[n %% 3 + 1],
                   (ARRAY['low', 'medium', 'high', 'urgent'])[n %% 4 + 1],
                   %s, CASE WHEN n %% 2 = 0 THEN %s::uuid END, %s, %s,
                   now() + n * interval '1 minute', (n %% 16) / 4.0
            FROM generate_series(1, %s) AS n
            """,
            (asset[0], user[0], task[0], gl[0], rows),
        )
    with psycopg.connect(app_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("ANALYZE work_orders")


def _child(app_url: str, tenant_id: str, report_id: str) -> int:
    """Build the report as the worker does; print the figures as JSON."""
    from maintrac.jobs.reports import run_build  # noqa: PLC0415  # only the child needs it

    # Three at once, as in the worker (whose pool is larger): the building transaction,
    # the reading one, and the short progress transactions beside them.
    database = Database(make_engine(app_url, pool_size=3))
    started = time.perf_counter()
    count = run_build(database, uuid.UUID(tenant_id), uuid.UUID(report_id), reports.BuildOptions())
    seconds = time.perf_counter() - started
    with database.tenant_transaction(uuid.UUID(tenant_id)) as session:
        built = reports.get_report(session, uuid.UUID(report_id))
    database.dispose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "rows": count,
                "seconds": seconds,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "bytes": built.byte_size,
                "peak_kib": usage.ru_maxrss,
            }
        )
    )
    return 0


def _measure(app_url: str, tenant_id: uuid.UUID, fmt: str) -> int:
    """Request one report and build it in a fresh child process; print its figures."""
    app_db = Database(make_engine(app_url, pool_size=1))
    with app_db.tenant_transaction(tenant_id) as session:
        report = reports.request_report(
            session, NewReport(ReportKind.WORK_ORDERS, ReportFormat(fmt), {}), None
        )
    app_db.dispose()

    child = subprocess.run(
        [sys.executable, __file__, "--child", app_url, str(tenant_id), str(report.id)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    if child.returncode != 0:
        print(child.stdout, child.stderr, file=sys.stderr)
        return child.returncode
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    rate = figures["rows"] / figures["seconds"]
    print(
        f"work-orders {fmt}: {figures['rows']:,} rows in {figures['seconds']:.1f} s "
        f"({rate:,.0f} rows/s), file {figures['bytes'] / 2**20:.1f} MiB, "
        f"peak memory of the building process {figures['peak_kib'] / 1024:.0f} MiB (RSS)",
        flush=True,
    )
    print(
        f"  CPU time of the building process {figures['cpu_seconds']:.1f} s (moved less than "
        "the wall time by other work on a shared machine); load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--format",
        choices=["csv", "xlsx", "both"],
        default="csv",
        help="both: csv then xlsx from the same seeded data, one after the other",
    )
    parser.add_argument(
        "--admin-url",
        default=os.environ.get(
            "ADMIN_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument(
        "--child", nargs=3, metavar=("APP_URL", "TENANT", "REPORT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:
        return _child(*args.child)

    server = find_or_start(args.admin_url, ROOT / ".data" / "bench")
    name = f"maintrac_report_bench_{uuid.uuid4().hex[:12]}"
    try:
        ensure_roles_and_database(server.admin_url, name)
        owner, app = role_urls(server.admin_url, name)
        owner_url = owner.render_as_string(hide_password=False)
        app_url = app.render_as_string(hide_password=False)
        migrate(owner_url)
        owner_db = Database(make_engine(owner_url, pool_size=1))
        try:
            tenant_id = provision_tenant(owner_db, "Report Bench Plant")
        finally:
            owner_db.dispose()
        started = time.perf_counter()
        _seed(app_url, tenant_id, args.rows)
        print(
            f"seeded {args.rows:,} work orders in {time.perf_counter() - started:.1f} s",
            flush=True,
        )

        formats = ["csv", "xlsx"] if args.format == "both" else [args.format]
        for fmt in formats:
            code = _measure(app_url, tenant_id, fmt)
            if code:
                return code
        print("targets: under 60 s and under 300 MB for 1,000,000 rows")
    finally:
        drop_database(server.admin_url, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
