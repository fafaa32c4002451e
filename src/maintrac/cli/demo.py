"""``maintrac dev``: from a fresh machine to a running API with demo data, in one command."""

from __future__ import annotations

import os
import signal
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy.engine import URL

from maintrac.api.security import DEFAULT_ROLE_PERMISSIONS, mint_token
from maintrac.cli import mailcatcher
from maintrac.cli.devenv import Server, find_or_start, stop_embedded
from maintrac.cli.processes import Children, find_or_start_redis, port_open
from maintrac.config import Settings
from maintrac.core import reference_data
from maintrac.core.assets import NewAsset
from maintrac.core.errors import UnknownTenant
from maintrac.core.meters import NewMeter, NewReading
from maintrac.core.reference_data import NewReferenceItem
from maintrac.core.users import NewUser
from maintrac.core.work_orders import NewWorkOrder, Priority, Status
from maintrac.db.bootstrap import ensure_roles_and_database, migrate, role_urls
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services import assets as assets_service
from maintrac.services import meters as meters_service
from maintrac.services import reference_data as reference_data_service
from maintrac.services import users as users_service
from maintrac.services import work_orders
from maintrac.services.tenants import provision_tenant

DEV_DATABASE = "maintrac_dev"

#: The demo technician signs in with this subject; ``maintrac dev`` prints their token.
TECHNICIAN_SUBJECT = "demo-technician"
ADMIN_SUBJECT = "demo-admin"

_DEMO_WORK = [
    # title, priority, final status, due in days, asset key, assigned to the technician
    ("Replace V-belt on feed pump P-101", Priority.HIGH, Status.IN_PROGRESS, 1, "pump", True),
    ("Boiler 2 low-water cutoff test", Priority.URGENT, Status.OPEN, 0, "boiler", True),
    ("Quarterly fire extinguisher inspection", Priority.MEDIUM, Status.OPEN, 7, "site", True),
    ("Lubricate feed pump bearings", Priority.LOW, Status.COMPLETE, -2, "pump", True),
    ("Boiler house ventilation louvre stuck", Priority.HIGH, Status.ON_HOLD, 3, "house", False),
    ("HVAC filter change, boiler house", Priority.MEDIUM, Status.OPEN, 14, "house", False),
    ("Recalibrate pressure gauge PG-12", Priority.MEDIUM, Status.CANCELLED, -5, "boiler", False),
    ("Boiler 2 burner service", Priority.LOW, Status.OPEN, 21, "boiler", True),
]


def _url(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def _seed(app_db: Database, tenant_id: uuid.UUID) -> None:
    """A small plant: reference data, a site > building > equipment tree with a meter,
    two users, and work orders in every status (with their history)."""
    now = datetime.now(UTC)
    with app_db.tenant_transaction(tenant_id) as session:
        kinds = reference_data.ReferenceKind
        boilers = reference_data_service.create_item(
            session, kinds.ASSET_CATEGORY, NewReferenceItem("BOILER", "Boilers")
        )
        pumps = reference_data_service.create_item(
            session, kinds.ASSET_CATEGORY, NewReferenceItem("PUMP", "Pumps")
        )
        inspect = reference_data_service.create_item(
            session, kinds.TASK_CODE, NewReferenceItem("INSP", "Inspection")
        )
        reference_data_service.create_item(
            session, kinds.TASK_CODE, NewReferenceItem("REPAIR", "Corrective repair")
        )
        labour = reference_data_service.create_item(
            session, kinds.GL_CODE, NewReferenceItem("6100-MAINT", "Maintenance labour")
        )
        site = assets_service.create_asset(
            session, NewAsset(name="Demo Plant", code="SITE-1", location="1 Works Road")
        )
        house = assets_service.create_asset(
            session, NewAsset(name="Boiler house", code="BLDG-BH", parent_id=site.id)
        )
        boiler = assets_service.create_asset(
            session,
            NewAsset(
                name="Boiler 2",
                code="BLR-002",
                parent_id=house.id,
                category_id=boilers.id,
                manufacturer="Viessmann",
                model="Vitoplex 200",
                serial_number="SN-88123",
                location="Boiler house, level -1",
            ),
        )
        pump = assets_service.create_asset(
            session,
            NewAsset(
                name="Feed pump P-101", code="P-101", parent_id=house.id, category_id=pumps.id
            ),
        )
        hours = meters_service.create_meter(
            session, NewMeter(asset_id=boiler.id, name="Run hours", unit="h")
        )
        technician = users_service.create_user(
            session,
            NewUser(
                display_name="Dana Technician",
                email="dana@demo.maintrac.dev",
                role="technician",
                external_id=TECHNICIAN_SUBJECT,
            ),
        )
        admin = users_service.create_user(
            session,
            NewUser(display_name="Alex Admin", role="admin", external_id=ADMIN_SUBJECT),
        )
        meters_service.record_reading(
            session, hours.id, NewReading(value=Decimal("1480.5")), technician.id
        )
        places = {"site": site.id, "house": house.id, "boiler": boiler.id, "pump": pump.id}
        for title, priority, status, due_days, place, mine in _DEMO_WORK:
            created = work_orders.create_work_order(
                session,
                NewWorkOrder(
                    title=title,
                    description="Demo work order.",
                    priority=priority,
                    asset_id=places[place],
                    assignee_id=technician.id if mine else None,
                    task_code_id=inspect.id if "inspection" in title.lower() else None,
                    gl_code_id=labour.id,
                    estimated_hours=Decimal("1.5"),
                    due_at=now + timedelta(days=due_days),
                ),
                admin.id,
            )
            path = {
                Status.OPEN: [],
                Status.IN_PROGRESS: [Status.IN_PROGRESS],
                Status.ON_HOLD: [Status.ON_HOLD],
                Status.COMPLETE: [Status.IN_PROGRESS, Status.COMPLETE],
                Status.CANCELLED: [Status.CANCELLED],
            }[status]
            for step in path:
                work_orders.update_work_order(session, created.id, {"status": step}, admin.id)


DEV_ENV = "dev.env"


def write_dev_env(data_dir: Path, values: dict[str, str]) -> Path:
    """The settings ``maintrac dev`` chose, for every later ``maintrac`` command
    (``cli.load_dev_env`` reads them when present; the environment still wins)."""
    path = data_dir / DEV_ENV
    lines = [
        "# Written by `maintrac dev`: the settings it chose. Every `maintrac` command reads",
        "# this file when present (variables already set in the environment win).",
        *(f"{key}={value}" for key, value in values.items()),
    ]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return path


def run_dev(settings: Settings, *, data_dir: Path, port: int, serve: bool) -> int:
    data_dir.mkdir(parents=True, exist_ok=True)
    server: Server | None = None
    if "DATABASE_URL" in os.environ:
        app_url, owner_url = settings.database_url, settings.migration_database_url
        where_db = "DATABASE_URL / MIGRATION_DATABASE_URL from the environment"
    else:
        server = find_or_start(settings.admin_database_url, data_dir)
        host = server.admin_url.split("@")[-1].rsplit("/", 1)[0]
        if server.embedded:
            state = "started now" if server.started else "already running"
            where_db = f"embedded cluster in {data_dir / 'pg'}, {host} ({state})"
        else:
            where_db = f"a server found on this machine at {host}, used as superuser postgres"
        print(f"Database: {where_db}", flush=True)
        ensure_roles_and_database(server.admin_url, DEV_DATABASE)
        owner, app = role_urls(server.admin_url, DEV_DATABASE)
        owner_url, app_url = _url(owner), _url(app)
        os.environ["DATABASE_URL"], os.environ["MIGRATION_DATABASE_URL"] = app_url, owner_url
    try:
        return _run_dev(
            settings,
            server=server,
            where_db=where_db,
            app_url=app_url,
            owner_url=owner_url,
            data_dir=data_dir,
            port=port,
            serve=serve,
        )
    finally:
        if server is not None and server.started and serve:
            stop_embedded(server)


def _run_dev(
    settings: Settings,
    *,
    server: Server | None,
    where_db: str,
    app_url: str,
    owner_url: str,
    data_dir: Path,
    port: int,
    serve: bool,
) -> int:
    print("Migrating the schema...", flush=True)
    migrate(owner_url)
    settings = settings.model_copy(
        update={
            "database_url": app_url,
            "migration_database_url": owner_url,
            "environment": "development",
        }
    )

    app_db = Database(make_engine(app_url, pool_size=2))
    marker = data_dir / "demo-tenant"
    tenant_id: uuid.UUID | None = None
    if marker.exists():
        tenant_id = uuid.UUID(marker.read_text().strip())
        try:
            with app_db.tenant_transaction(tenant_id):
                pass
        except UnknownTenant:
            tenant_id = None
    if tenant_id is None:
        owner_db = Database(make_engine(owner_url, pool_size=1))
        tenant_id = provision_tenant(owner_db, "Demo Plant", "Europe/London")
        owner_db.dispose()
        _seed(app_db, tenant_id)
        marker.write_text(str(tenant_id))
    app_db.dispose()

    secret = settings.effective_jwt_secret()
    if secret is None:
        raise RuntimeError("set JWT_SECRET (or unset JWT_JWKS_URL) to mint a development token")
    token, technician_token = (
        mint_token(
            secret,
            subject=subject,
            tenant_id=tenant_id,
            role=role,
            permissions=DEFAULT_ROLE_PERMISSIONS[role],
            ttl_seconds=7 * 24 * 3600,
        )
        for subject, role in ((ADMIN_SUBJECT, "admin"), (TECHNICIAN_SUBJECT, "technician"))
    )
    base = f"http://127.0.0.1:{port}"
    dev_env = {
        "ENVIRONMENT": "development",
        "DATABASE_URL": app_url,
        "MIGRATION_DATABASE_URL": owner_url,
        "REDIS_URL": settings.redis_url,
        # Webhooks to a local receiver (http, loopback): never in production.
        "WEBHOOKS_ALLOW_PRIVATE": "true",
    }
    if server is not None:
        dev_env["ADMIN_DATABASE_URL"] = server.admin_url
    tokens = f"""  Demo tenant: {tenant_id}  (Demo Plant)
  Admin token (Alex Admin, 7 days):
{token}

  Technician token (Dana Technician, 7 days):
{technician_token}

  Try:  curl -H "Authorization: Bearer $TOKEN" {base}/v1/work-orders?limit=5
"""
    if not serve:
        env_path = write_dev_env(data_dir, dev_env)
        print(f"\nSet up (not serving). Settings written to {env_path}.\n{tokens}", flush=True)
        return 0

    return _supervise(
        settings,
        server=server,
        where_db=where_db,
        dev_env=dev_env,
        data_dir=data_dir,
        port=port,
        tokens=tokens,
    )


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _supervise(
    settings: Settings,
    *,
    server: Server | None,
    where_db: str,
    dev_env: dict[str, str],
    data_dir: Path,
    port: int,
    tokens: str,
) -> int:
    """Redis, then the API, a worker, beat and the relay as children; "ready" once the
    API's port answers; everything this started is stopped on Ctrl-C."""
    base = f"http://127.0.0.1:{port}"
    # Ctrl-C, or a TERM from a process manager, stops everything in order (a shell that
    # started this in the background may have set SIGINT to be ignored).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    redis = find_or_start_redis(settings.redis_url, data_dir)
    dev_env["REDIS_URL"] = redis.url
    # E-mail notices go to the local catcher, which prints them here, unless SMTP_URL
    # names a real server.
    catcher = None
    if "SMTP_URL" not in os.environ:
        (data_dir / "logs").mkdir(parents=True, exist_ok=True)
        catcher = mailcatcher.start(log=data_dir / "logs" / "mail.log")
        dev_env["SMTP_URL"] = catcher.smtp_url
        dev_env.setdefault("MAIL_FROM", "MainTrac Dev <notices@maintrac.localhost>")
        dev_env.setdefault("APP_BASE_URL", base)
    env_path = write_dev_env(data_dir, dev_env)
    children = Children(
        {**os.environ, **dev_env, "MAINTRAC_DATA_DIR": str(data_dir)}, data_dir / "logs"
    )
    try:
        logs = {
            "api": children.start("api", "serve", "--port", str(port)),
            "worker": children.start("worker", "worker", "--concurrency", "2"),
            "beat": children.start("beat", "beat"),
            "relay": children.start("relay", "relay"),
        }
        print("Starting the API, a worker, beat and the outbox relay...", flush=True)
        deadline = time.monotonic() + 90
        while not port_open("127.0.0.1", port):
            failed = children.exited()
            if failed or time.monotonic() > deadline:
                name = failed[0] if failed else "api"
                tail = logs[name].read_text(errors="replace").strip().splitlines()[-5:]
                print(f"maintrac dev: {name} did not start; {logs[name]}:", file=sys.stderr)
                print("\n".join(tail), file=sys.stderr)
                return 1
            time.sleep(0.2)
        pg_log = "-" if server is None or not server.embedded else str(data_dir / "pg.log")
        redis_log = str(data_dir / "redis.log") if redis.process is not None else "-"
        from maintrac.jobs.app import QUEUES  # celery, only once serving

        rows = [
            ("PostgreSQL", where_db, pg_log),
            ("Redis", redis.where, redis_log),
            ("API", f"{base}/v1/docs/", str(logs["api"])),
            ("Worker", f"queues {', '.join(QUEUES)}", str(logs["worker"])),
            ("Beat", "the periodic schedule", str(logs["beat"])),
            ("Relay", "outbox -> Redis", str(logs["relay"])),
            (
                (
                    "Mail catcher",
                    f"{catcher.smtp_url} (mails print here)",
                    str(data_dir / "logs" / "mail.log"),
                )
                if catcher is not None
                else ("Mail", "SMTP_URL from the environment", "-")
            ),
        ]
        width = max(len(row[1]) for row in rows)
        table = "\n".join(f"  {what:<13} {where:<{width}}  {log}" for what, where, log in rows)
        print(
            f"""
MainTrac API is ready.   Ctrl-C stops everything listed here that make dev started.
  {"What":<13} {"Where":<{width}}  Log
{table}
  Settings: {env_path} (read by every `maintrac` command)

{tokens}""",
            flush=True,
        )
        while not (failed := children.exited()):
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    else:
        print(f"maintrac dev: {', '.join(failed)} stopped; stopping the rest", file=sys.stderr)
        return 1
    finally:
        children.stop()
        redis.stop()
        if catcher is not None:
            catcher.stop()
