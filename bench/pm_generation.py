"""Benchmark: PM generation of 100,000 due plans over 100 tenants by one worker (figures,
never a test; the target is under 60 s).

What it does, on loopback only:

1. creates a scratch database (``maintrac_pm_bench_<random>``) with the real bootstrap and
   migrations, and provisions ``--tenants`` tenants;
2. seeds ``--plans`` plans spread evenly over them, all due now, as the app role through
   RLS (one INSERT per tenant): 70 % monthly fixed calendar (a quarter of them behind by
   three months, so the catch-up policy skips), 20 % floating, 10 % meter plans whose
   meter has passed the threshold; each plan names one of the tenant's 10 assets;
3. runs one worker's loop, single-threaded, as the app role: the periodic task's body
   (``tenants_with_due_plans``, then for each tenant ``generate_due`` in its own tenant
   transaction, again while it reports more);
4. checks that every plan has exactly one work order and prints the figures, then drops
   the database (also on failure/Ctrl-C). ``--breakdown`` adds where the wall time went:
   each kind of statement (time waiting for PostgreSQL, by verb and table) and the rest
   (Python), with the CPU time of this process and of its PostgreSQL backend (read from
   ``/proc`` when the server is local): on a shared machine the wall time moves with the
   load, while the CPU seconds say how much work there is (the worker and its backend
   take turns, so on an idle machine the wall time is about their sum).

Run: ``.venv/bin/python bench/pm_generation.py`` (minutes on a loaded machine). The server is
``ADMIN_DATABASE_URL`` (default postgres@127.0.0.1:5432) or an embedded cluster in
``.data/bench`` when none is reachable.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from sqlalchemy import Engine, event, text

from maintrac.cli.devenv import find_or_start
from maintrac.db.bootstrap import drop_database, ensure_roles_and_database, migrate, role_urls
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services import pm_generation
from maintrac.services.tenants import provision_tenant

ROOT = Path(__file__).resolve().parents[1]

SEED = """
WITH assets AS (
    INSERT INTO assets (tenant_id, id, name)
    SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid,
           uuid_generate_v7(), 'Pump P-' || a
    FROM generate_series(1, 10) AS a
    RETURNING id
), meter AS (
    INSERT INTO meters (tenant_id, id, asset_id, name, unit, kind,
                        last_reading_value, last_reading_at)
    SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid,
           uuid_generate_v7(), (SELECT id FROM assets LIMIT 1), 'Run hours', 'h',
           'cumulative', 1200, now() - interval '1 hour'
    RETURNING id, asset_id
), numbered AS (
    SELECT id, row_number() OVER () - 1 AS k FROM assets
)
INSERT INTO pm_plans (tenant_id, id, name, asset_id, wo_title, wo_description, priority,
                      estimated_hours, trigger_type, interval_count, interval_unit, anchor_at,
                      meter_id, meter_interval, meter_anchor, next_due_at, next_due_meter)
SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid, uuid_generate_v7(),
       'Plan ' || n,
       CASE WHEN n %% 10 = 0 THEN (SELECT asset_id FROM meter)
            ELSE (SELECT id FROM numbered WHERE k = n %% 10) END,
       'Inspect pump ' || n, 'Bearings, alignment, coupling.', 'medium', 1.5,
       CASE WHEN n %% 10 = 0 THEN 'meter'
            WHEN n %% 10 IN (1, 2) THEN 'calendar_floating'
            ELSE 'calendar_fixed' END,
       CASE WHEN n %% 10 = 0 THEN NULL ELSE CASE WHEN n %% 10 IN (1, 2) THEN 14 ELSE 1 END END,
       CASE WHEN n %% 10 = 0 THEN NULL WHEN n %% 10 IN (1, 2) THEN 'day' ELSE 'month' END,
       CASE WHEN n %% 10 = 0 THEN NULL
            WHEN n %% 4 = 3 THEN %(now)s - interval '3 months 1 hour'
            ELSE %(now)s - interval '1 hour' END,
       CASE WHEN n %% 10 = 0 THEN (SELECT id FROM meter) END,
       CASE WHEN n %% 10 = 0 THEN 500 END,
       CASE WHEN n %% 10 = 0 THEN 1000 END,
       CASE WHEN n %% 10 = 0 THEN NULL
            WHEN n %% 4 = 3 THEN %(now)s - interval '3 months 1 hour'
            ELSE %(now)s - interval '1 hour' END,
       CASE WHEN n %% 10 = 0 THEN 1000 END
FROM generate_series(1, %(plans)s) AS n
"""


def _seed(app_url: str, tenants: list[uuid.UUID], plans: int, now: datetime) -> None:
    per_tenant = plans // len(tenants)
    with psycopg.connect(app_url.replace("+psycopg", "")) as conn:
        for tenant_id in tenants:
            with conn.transaction():
                conn.execute("SELECT app_set_tenant(%s)", (tenant_id,))
                conn.execute(SEED, {"now": now, "plans": per_tenant})
        conn.execute("ANALYZE")


def _generate_in_process(
    db: Database, now: datetime, breakdown: _Breakdown | None = None
) -> tuple[int, int, int, int]:
    """One worker's loop, single-threaded: returns (created, skipped, transactions,
    tenants)."""
    created = skipped = transactions = 0
    body_done = 0.0
    with db.system_transaction() as system:
        tenants = pm_generation.tenants_with_due_plans(system, now)
    for tenant_id in tenants:
        more = True
        while more:
            with db.tenant_transaction(tenant_id) as session:
                result = pm_generation.generate_due(session, now)
                body_done = time.perf_counter()
            if breakdown is not None:  # the end of the block commits (not a cursor call)
                breakdown.seconds["COMMIT"] += time.perf_counter() - body_done
                breakdown.counts["COMMIT"] += 1
            created += result.created
            skipped += result.skipped
            transactions += 1
            more = result.more
    return created, skipped, transactions, len(tenants)


class _Breakdown:
    """Time spent in each kind of statement (verb and table) on one engine."""

    _KIND = re.compile(r"^\s*(?:(INSERT INTO|UPDATE|DELETE FROM)|SELECT\b.*?\bFROM)\s+(\w+)", re.S)
    _WRITES = re.compile(r"\bINSERT INTO (\w+)")

    def __init__(self, engine: Engine) -> None:
        self.seconds: dict[str, float] = collections.defaultdict(float)
        self.counts: collections.Counter[str] = collections.Counter()
        self._started = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *_args: object) -> None:
        self._started = time.perf_counter()

    def _after(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        match = self._KIND.match(statement)
        verb = (match.group(1) or "SELECT").split()[0] if match else ""
        kind = f"{verb} {match.group(2)}" if match else " ".join(statement.split())[:30]
        if statement.lstrip().startswith("WITH"):  # data-modifying CTEs: the tables written
            kind = "INSERT " + "+".join(dict.fromkeys(self._WRITES.findall(statement)))
        self.seconds[kind] += time.perf_counter() - self._started
        self.counts[kind] += 1

    def report(self, wall: float, cpu: float, backend_cpu: float | None) -> None:
        sql = sum(self.seconds.values())
        server = "unknown" if backend_cpu is None else f"{backend_cpu:.1f} s"
        print(f"  breakdown (wall {wall:.1f} s; CPU: worker {cpu:.1f} s, its backend {server})")
        for kind, seconds in sorted(self.seconds.items(), key=lambda item: -item[1]):
            print(f"    SQL {kind:<32} {seconds:6.1f} s  ({self.counts[kind]:,} statements)")
        print(f"    SQL total {'':<26} {sql:6.1f} s")
        print(f"    the rest (Python, and waiting for a core) {wall - sql:6.1f} s")


def _backend_cpu(db: Database) -> float | None:
    """CPU seconds the session's PostgreSQL backend has used so far (None unless the
    server runs on this machine and ``/proc`` shows it)."""
    with db.system_transaction() as session:
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _check(app_url: str, tenants: list[uuid.UUID]) -> tuple[int, int]:
    """(work orders, plans with other than exactly one work order), counted as the app
    role through each tenant."""
    with psycopg.connect(app_url.replace("+psycopg", "")) as conn:
        total = wrong = 0
        for tenant_id in tenants:
            with conn.transaction():
                conn.execute("SELECT app_set_tenant(%s)", (tenant_id,))
                row = conn.execute(
                    """
                    SELECT count(*), count(*) FILTER (WHERE c <> 1) FROM (
                      SELECT p.id, count(w.id) AS c FROM pm_plans p
                      LEFT JOIN work_orders w ON w.tenant_id = p.tenant_id
                                             AND w.pm_plan_id = p.id
                      GROUP BY p.id) AS per_plan
                    """
                ).fetchone() or (0, 0)
                wos = (conn.execute("SELECT count(*) FROM work_orders").fetchone() or (0,))[0]
                total += wos
                wrong += row[1]
        return total, wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=100)
    parser.add_argument("--plans", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--breakdown", action="store_true", help="time per kind of statement, and the rest"
    )
    args = parser.parse_args()

    admin = os.environ.get(
        "ADMIN_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    server = find_or_start(admin, ROOT / ".data" / "bench")
    name = f"maintrac_pm_bench_{uuid.uuid4().hex[:8]}"
    ensure_roles_and_database(server.admin_url, name)
    try:
        owner, app = role_urls(server.admin_url, name)
        owner_url = owner.render_as_string(hide_password=False)
        app_url = app.render_as_string(hide_password=False)
        migrate(owner_url)
        owner_db = Database(make_engine(owner_url, pool_size=1))
        tenants = [
            provision_tenant(owner_db, f"Plant {i}", "Europe/Berlin") for i in range(args.tenants)
        ]
        owner_db.dispose()
        now = datetime.now(UTC)
        started = time.perf_counter()
        _seed(app_url, tenants, args.plans, now)
        seeded = time.perf_counter() - started

        engine = make_engine(app_url, pool_size=1)
        breakdown = _Breakdown(engine) if args.breakdown else None
        db = Database(engine)
        backend = _backend_cpu(db) if breakdown is not None else None
        started, cpu = time.perf_counter(), time.process_time()
        created, skipped, transactions, due_tenants = _generate_in_process(db, now, breakdown)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        if backend is not None:
            after = _backend_cpu(db)  # the same connection: the pool holds one
            backend = None if after is None else after - backend
        db.dispose()
        total, wrong = _check(app_url, tenants)

        plans = args.plans // args.tenants * args.tenants
        print(
            f"PM generation, one worker (in-process loop of the tick task), {plans:,} due "
            f"plans over {args.tenants} tenants (seeded in {seeded:.1f} s)"
        )
        print(f"  tenants found due            {due_tenants}")
        print(f"  transactions                 {transactions}")
        print(f"  work orders created          {created:,}  (in the database: {total:,})")
        print(f"  occurrences skipped          {skipped:,}  (catch-up policy)")
        print(f"  plans without exactly one WO {wrong}")
        print(
            f"  wall time                    {seconds:.1f} s  ({created / seconds:,.0f} work "
            f"orders/s; target: {plans:,} in < 60 s)"
        )
        print(f"  load average                 {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if breakdown is not None:
            breakdown.report(seconds, cpu, backend)
        return 0 if wrong == 0 and total == plans else 1
    finally:
        if not args.keep:
            drop_database(server.admin_url, name)


if __name__ == "__main__":
    sys.exit(main())
