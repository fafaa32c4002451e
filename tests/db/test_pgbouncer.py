"""The app behind PgBouncer in transaction mode, unchanged but for ``pgbouncer=True``.

A module-scoped PgBouncer (the real ``pgbouncer`` binary, ``pool_mode = transaction``,
``default_pool_size = 1``) sits in front of the session's test database, so every
transaction of every client connection runs on the same single server connection. On it:

* the tenant set by ``app_set_tenant`` (``set_config(..., true)``) ends with its
  transaction: interleaved and concurrent transactions of two tenants, and transactions
  with no tenant, never see another tenant's rows (and they provably shared one backend);
* a control shows the harness would notice a leak: a *session-level* setting does leak;
* the whole app, served by uvicorn through the bouncer, keeps two tenants apart under
  concurrent create/list/get/patch traffic;
* without ``pgbouncer=True`` psycopg's automatic prepared statements break (PgBouncer 1.18
  does not track them), and with it the same workload passes on the same server connection.

Three database aliases point at the same test database so that each demonstration gets its
own server connection (PgBouncer pools per alias and user): ``main`` for the isolation tests,
``control`` for the deliberate session-level leak and ``prepared`` for the broken prepared
statements, so neither leaves state on the connection the other tests use.

Skipped when ``pgbouncer`` is not installed; CI installs it (Debian: ``apt-get install
pgbouncer``).
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import sqlalchemy as sa
import uvicorn
from sqlalchemy import make_url, text

from maintrac.api.app import create_app
from maintrac.config import Settings
from maintrac.core.errors import UnknownTenant
from maintrac.core.work_orders import NewWorkOrder
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services.tenants import provision_tenant
from maintrac.services.work_orders import create_work_order
from tests.conftest import DatabaseUrls, Tenant

#: One server connection per (alias, user): every client shares it.
POOL_SIZE = 1
APP_USER = "maintrac_app"
ALIASES = ("main", "control", "prepared")
#: psycopg prepares a query once it has been executed this many times on a connection.
PSYCOPG_PREPARE_THRESHOLD = 5


@dataclass(frozen=True)
class Bouncer:
    port: int
    database: str
    log: Path

    def url(self, alias: str = "main") -> str:
        return f"postgresql+psycopg://{APP_USER}@127.0.0.1:{self.port}/{self.alias(alias)}"

    def alias(self, alias: str) -> str:
        return self.database if alias == "main" else f"{self.database}_{alias}"


def _pgbouncer_binary() -> str | None:
    found = shutil.which("pgbouncer")
    if found:
        return found
    # /usr/sbin is not on every user's PATH.
    for candidate in ("/usr/sbin/pgbouncer", "/usr/local/sbin/pgbouncer"):
        if Path(candidate).is_file():
            return candidate
    return None


def _unprivileged_user() -> str:
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    pytest.fail("running as root, but there is no 'postgres' or 'nobody' user to run pgbouncer")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _write_config(directory: Path, database_urls: DatabaseUrls, port: int) -> Path:
    server = make_url(database_urls.app)
    host, server_port, name = server.host or "127.0.0.1", server.port or 5432, database_urls.name
    target = f"host={host} port={server_port} dbname={name}"
    databases = "\n".join(
        f"{name if alias == 'main' else f'{name}_{alias}'} = {target}" for alias in ALIASES
    )
    # auth_type = trust still requires the user to be listed in auth_file.
    (directory / "userlist.txt").write_text(f'"{APP_USER}" ""\n')
    ini = directory / "pgbouncer.ini"
    ini.write_text(
        f"""\
[databases]
{databases}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {directory / "userlist.txt"}
pool_mode = transaction
default_pool_size = {POOL_SIZE}
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 200
query_wait_timeout = 60
; psycopg sends only application_name (which PgBouncer tracks itself); these two are
; dropped in case a libpq environment (PGOPTIONS) or another driver sends them.
ignore_startup_parameters = extra_float_digits,options
"""
    )
    return ini


def _wait_until_accepting(process: subprocess.Popen[bytes], bouncer: Bouncer) -> None:
    plain = bouncer.url().replace("+psycopg", "")
    deadline = time.monotonic() + 20
    while True:
        if process.poll() is not None:
            pytest.fail(f"pgbouncer exited with {process.returncode}:\n{bouncer.log.read_text()}")
        try:
            with psycopg.connect(plain, connect_timeout=2) as conn:
                conn.execute("SELECT 1")
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                pytest.fail(f"pgbouncer did not accept connections:\n{bouncer.log.read_text()}")
            time.sleep(0.05)
        else:
            return


@pytest.fixture(scope="module")
def bouncer(database_urls: DatabaseUrls) -> Iterator[Bouncer]:
    binary = _pgbouncer_binary()
    if binary is None:
        pytest.skip(
            "pgbouncer is not installed (Debian: apt-get install pgbouncer); "
            "CI installs it and runs these tests"
        )
    directory = Path(tempfile.mkdtemp(prefix="maintrac-pgbouncer-"))
    port = _free_port()
    ini = _write_config(directory, database_urls, port)
    command = [binary, str(ini)]
    if os.geteuid() == 0:
        # PgBouncer refuses to run as root: it drops to 'postgres' (or 'nobody' where there
        # is no such user), which must be able to read its files.
        user = _unprivileged_user()
        command = [binary, "-u", user, str(ini)]
        for path in (directory, *directory.iterdir()):
            shutil.chown(path, user)
    bouncer = Bouncer(port=port, database=database_urls.name, log=directory / "pgbouncer.log")
    with bouncer.log.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_accepting(process, bouncer)
        yield bouncer
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def bounced_db(bouncer: Bouncer) -> Iterator[Database]:
    """The application's Database, exactly as production builds it behind PgBouncer."""
    db = Database(make_engine(bouncer.url(), pool_size=4, pgbouncer=True))
    yield db
    db.dispose()


@pytest.fixture
def two_tenants(owner_db: Database) -> tuple[uuid.UUID, uuid.UUID]:
    return provision_tenant(owner_db, "Bounced A"), provision_tenant(owner_db, "Bounced B")


def _seed(db: Database, tenant_id: uuid.UUID, titles: list[str]) -> None:
    with db.tenant_transaction(tenant_id) as session:
        for title in titles:
            create_work_order(session, NewWorkOrder(title=title), None)


def _fill_pool(engine: sa.Engine, count: int) -> None:
    """Open ``count`` client connections at once and give them back to the pool.

    The pool hands idle connections out first-in first-out, so consecutive transactions
    then take turns on different client connections (all on one server connection).
    """
    held = [engine.connect() for _ in range(count)]
    for conn in held:
        conn.close()


@dataclass
class Seen:
    """What one transaction observed."""

    setting: str | None
    backend_pid: int
    client: int
    tenants: set[uuid.UUID]
    titles: set[str]
    counters: int


def _observe(session: Any) -> Seen:
    row = session.execute(
        text(
            "SELECT current_setting('app.current_tenant', true), pg_backend_pid(), "
            "(SELECT count(*) FROM tenant_counters)"
        )
    ).one()
    rows = session.execute(text("SELECT tenant_id, title FROM work_orders")).all()
    return Seen(
        setting=row[0],
        backend_pid=row[1],
        client=id(session.connection().connection.dbapi_connection),
        tenants={r[0] for r in rows},
        titles={r[1] for r in rows},
        counters=row[2],
    )


def _check(seen: Seen, tenant: uuid.UUID | None, titles: dict[uuid.UUID, set[str]]) -> None:
    if tenant is None:
        assert seen.setting in (None, ""), seen
        assert seen.tenants == set(), seen
        assert seen.counters == 0, seen
    else:
        assert seen.setting == str(tenant), seen
        assert seen.tenants == {tenant}, seen
        assert seen.titles == titles[tenant], seen
        assert seen.counters == 1, seen


def _transaction(db: Database, tenant: uuid.UUID | None) -> Seen:
    if tenant is None:
        with db.system_transaction() as session:
            return _observe(session)
    with db.tenant_transaction(tenant) as session:
        return _observe(session)


def test_interleaved_transactions_share_one_server_connection_and_never_leak(
    bounced_db: Database, two_tenants: tuple[uuid.UUID, uuid.UUID]
) -> None:
    a, b = two_tenants
    titles = {a: {"A pump", "A belt"}, b: {"B valve", "B fan", "B filter"}}
    _seed(bounced_db, a, sorted(titles[a]))
    _seed(bounced_db, b, sorted(titles[b]))
    _fill_pool(bounced_db.engine, 4)

    seen: list[Seen] = []
    order: list[uuid.UUID | None] = [a, b, None, b, a, None, a, a, b]
    for _ in range(20):
        for tenant in order:
            observed = _transaction(bounced_db, tenant)
            _check(observed, tenant, titles)
            seen.append(observed)
        # A transaction that fails after setting the tenant, and one for a tenant that does
        # not exist, leave nothing behind either.
        with pytest.raises(RuntimeError), bounced_db.tenant_transaction(a):
            raise RuntimeError("handler failed")
        _check(_transaction(bounced_db, None), None, titles)
        with pytest.raises(UnknownTenant), bounced_db.tenant_transaction(uuid.uuid4()):
            pytest.fail("unreachable: the tenant does not exist")
        _check(_transaction(bounced_db, None), None, titles)

    # They really shared the server connection, from several client connections.
    assert len({s.backend_pid for s in seen}) == POOL_SIZE
    assert len({s.client for s in seen}) == 4
    # ... and consecutive transactions came from different client connections.
    assert all(x.client != y.client for x, y in itertools.pairwise(seen))


def test_concurrent_transactions_through_the_bouncer_stay_isolated(
    bounced_db: Database, two_tenants: tuple[uuid.UUID, uuid.UUID]
) -> None:
    a, b = two_tenants
    titles = {a: {"A compressor"}, b: {"B chiller", "B boiler"}}
    _seed(bounced_db, a, sorted(titles[a]))
    _seed(bounced_db, b, sorted(titles[b]))

    def worker(offset: int) -> list[Seen]:
        choices: list[uuid.UUID | None] = [a, b, None]
        seen = []
        for i in range(60):
            tenant = choices[(i + offset) % 3]
            observed = _transaction(bounced_db, tenant)
            _check(observed, tenant, titles)
            seen.append(observed)
        return seen

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = [s for batch in pool.map(worker, range(4)) for s in batch]

    assert len(results) == 240
    assert len({s.backend_pid for s in results}) == POOL_SIZE
    assert len({s.client for s in results}) > 1


def test_a_session_level_setting_would_leak_through_the_bouncer(
    bouncer: Bouncer, bounced_db: Database, two_tenants: tuple[uuid.UUID, uuid.UUID]
) -> None:
    """Control: the harness can see a leak. ``set_config(..., false)`` outlives its
    transaction on the server connection and a *different* client then reads the tenant's
    rows: exactly what the transaction-local setting prevents."""
    a, _ = two_tenants
    _seed(bounced_db, a, ["A leak"])
    engine = make_engine(bouncer.url("control"), pool_size=2, pgbouncer=True)
    pid = text("SELECT pg_backend_pid()")
    count = text("SELECT count(*) FROM work_orders")
    try:
        with engine.connect() as setter, engine.connect() as other:
            setter.execute(
                text("SELECT set_config('app.current_tenant', :t, false)"), {"t": str(a)}
            )
            setter_pid = setter.execute(pid).scalar_one()
            setter.commit()
            assert other.execute(pid).scalar_one() == setter_pid
            assert other.execute(count).scalar_one() == 1
            other.commit()
            # Clean the shared server connection.
            setter.execute(text("SELECT set_config('app.current_tenant', '', false)"))
            setter.commit()
            assert other.execute(count).scalar_one() == 0
            other.commit()
    finally:
        engine.dispose()


# ------------------------------------------------------------------------- the whole app


@dataclass
class Ledger:
    """Work orders each tenant created during the run (shared by the worker threads)."""

    tags: dict[uuid.UUID, str]
    created: dict[uuid.UUID, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, tenant: uuid.UUID, work_order_id: str) -> None:
        with self.lock:
            self.created.setdefault(tenant, []).append(work_order_id)

    def some(self, tenant: uuid.UUID, i: int) -> str | None:
        with self.lock:
            ids = self.created.get(tenant, [])
            return ids[i % len(ids)] if ids else None


@pytest.fixture
def bounced_http(bouncer: Bouncer, settings: Settings) -> Iterator[httpx.Client]:
    """The app built from settings that point at the bouncer, served by uvicorn."""
    app = create_app(
        settings.model_copy(update={"database_url": bouncer.url(), "database_pgbouncer": True})
    )
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    # It really goes through the bouncer.
    assert app.state.runtime.database.engine.url.port == bouncer.port
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{server.config.port}", timeout=60) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.runtime.close()


def test_the_app_behind_the_bouncer_keeps_tenants_apart_under_concurrency(
    owner_db: Database, bounced_http: httpx.Client
) -> None:
    tenants = [
        Tenant(id=provision_tenant(owner_db, f"Bounced app {tag}"), http=bounced_http)
        for tag in ("A", "B")
    ]
    a, b = tenants
    ledger = Ledger(tags={a.id: "A", b.id: "B"})
    threads, requests_per_thread = 4, 25

    def worker(index: int) -> int:
        me, other = (a, b) if index % 2 == 0 else (b, a)
        tag = ledger.tags[me.id]
        sent = 0
        for i in range(requests_per_thread):
            step = i % 5
            mine = ledger.some(me.id, i)
            theirs = ledger.some(other.id, i)
            if step in (0, 1) or mine is None:
                created = me.create_work_order(title=f"{tag} t{index} #{i}")
                ledger.add(me.id, created["id"])
            elif step == 2:
                response = me.get("/v1/work-orders?limit=200")
                assert response.status_code == 200, response.text
                listed = response.json()["data"]
                assert listed, "a tenant that created work orders lists none"
                assert all(w["title"].startswith(f"{tag} ") for w in listed), listed
            elif step == 3:
                response = me.patch(f"/v1/work-orders/{mine}", json={"priority": "high"})
                assert response.status_code == 200, response.text
                assert response.json()["title"].startswith(f"{tag} ")
            elif theirs is None:
                assert me.get(f"/v1/work-orders/{mine}").status_code == 200
            else:
                # Another tenant's work order does not exist for me, to read or to change.
                assert me.get(f"/v1/work-orders/{theirs}").status_code == 404
                refused = me.patch(f"/v1/work-orders/{theirs}", json={"title": "hijacked"})
                assert refused.status_code == 404
                sent += 1
            sent += 1
        return sent

    with ThreadPoolExecutor(max_workers=threads) as pool:
        sent = sum(pool.map(worker, range(threads)))
    assert sent >= threads * requests_per_thread

    for tenant in tenants:
        page = tenant.get("/v1/work-orders?limit=200").json()
        created = ledger.created[tenant.id]
        assert sorted(w["id"] for w in page["data"]) == sorted(created)
        assert all(w["title"].startswith(f"{ledger.tags[tenant.id]} ") for w in page["data"])
        # Numbers stayed per tenant and gap-free with concurrent creates through the bouncer.
        assert sorted(w["number"] for w in page["data"]) == list(range(1, len(created) + 1))
        assert page["hasMore"] is False


# ------------------------------------------------------------- prepared statements (c)


def _repeat(db: Database, tenant: uuid.UUID, times: int) -> int:
    """Run the same tenant transaction up to ``times`` times; returns how many succeeded
    (the exception of the first failure propagates)."""
    done = 0
    for _ in range(times):
        with db.tenant_transaction(tenant) as session:
            session.execute(text("SELECT count(*) FROM work_orders")).scalar_one()
        done += 1
    return done


def test_without_the_pgbouncer_flag_prepared_statements_break(
    bouncer: Bouncer, two_tenants: tuple[uuid.UUID, uuid.UUID]
) -> None:
    a, _ = two_tenants
    url = bouncer.url("prepared")
    repeats = 4 * PSYCOPG_PREPARE_THRESHOLD

    unsafe = Database(make_engine(url, pool_size=4))  # psycopg prepares after 5 executions
    try:
        _fill_pool(unsafe.engine, 2)  # two client connections take turns
        with pytest.raises(sa.exc.DBAPIError) as raised:
            _repeat(unsafe, a, repeats)
    finally:
        unsafe.dispose()
    # Each client names its first prepared statement '_pg3_0'; the second one to prepare it
    # on the shared server connection finds the first one's already there.
    assert isinstance(raised.value.orig, psycopg.errors.DuplicatePreparedStatement), raised.value
    assert "_pg3_" in str(raised.value.orig)

    # The same workload with the flag passes, on the very server connection that still
    # holds the other clients' prepared statements.
    safe = Database(make_engine(url, pool_size=4, pgbouncer=True))
    try:
        _fill_pool(safe.engine, 2)
        assert _repeat(safe, a, repeats) == repeats
    finally:
        safe.dispose()
