"""``maintrac dev``: from a fresh machine to a running API with demo data, in one command."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import URL

from maintrac.api.security import DEFAULT_ROLE_PERMISSIONS, mint_token
from maintrac.cli.devenv import find_or_start
from maintrac.config import Settings
from maintrac.core.errors import UnknownTenant
from maintrac.core.work_orders import NewWorkOrder, Priority, Status
from maintrac.db.bootstrap import ensure_roles_and_database, migrate, role_urls
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services import work_orders
from maintrac.services.tenants import provision_tenant

DEV_DATABASE = "maintrac_dev"

_DEMO_WORK = [
    ("Replace conveyor belt on line 3", Priority.HIGH, Status.IN_PROGRESS, 1),
    ("Quarterly fire extinguisher inspection", Priority.MEDIUM, Status.OPEN, 7),
    ("Boiler 2 low-water cutoff test", Priority.URGENT, Status.OPEN, 0),
    ("Lubricate packaging line bearings", Priority.LOW, Status.COMPLETE, -2),
    ("Forklift 4 hydraulic leak", Priority.HIGH, Status.ON_HOLD, 3),
    ("HVAC filter change, building B", Priority.MEDIUM, Status.OPEN, 14),
    ("Recalibrate pressure gauge PG-12", Priority.MEDIUM, Status.CANCELLED, -5),
    ("Compressor 1 oil analysis", Priority.LOW, Status.OPEN, 21),
]


def _url(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def _seed(app_db: Database, tenant_id: uuid.UUID) -> None:
    now = datetime.now(UTC)
    with app_db.tenant_transaction(tenant_id) as session:
        for title, priority, status, due_days in _DEMO_WORK:
            created = work_orders.create_work_order(
                session,
                NewWorkOrder(
                    title=title,
                    description="Demo work order.",
                    priority=priority,
                    due_at=now + timedelta(days=due_days),
                ),
                None,
            )
            path = {
                Status.OPEN: [],
                Status.IN_PROGRESS: [Status.IN_PROGRESS],
                Status.ON_HOLD: [Status.ON_HOLD],
                Status.COMPLETE: [Status.IN_PROGRESS, Status.COMPLETE],
                Status.CANCELLED: [Status.CANCELLED],
            }[status]
            for step in path:
                work_orders.update_work_order(session, created.id, {"status": step}, None)


def run_dev(settings: Settings, *, data_dir: Path, port: int, serve: bool) -> int:
    data_dir.mkdir(parents=True, exist_ok=True)
    if "DATABASE_URL" in os.environ:
        app_url, owner_url = settings.database_url, settings.migration_database_url
        print("Using DATABASE_URL / MIGRATION_DATABASE_URL from the environment.")
    else:
        server = find_or_start(settings.admin_database_url, data_dir)
        where = (
            "embedded PostgreSQL in " + str(data_dir / "pg")
            if server.embedded
            else ("PostgreSQL at " + server.admin_url.split("@")[-1])
        )
        print(f"Database: {where}")
        ensure_roles_and_database(server.admin_url, DEV_DATABASE)
        owner, app = role_urls(server.admin_url, DEV_DATABASE)
        owner_url, app_url = _url(owner), _url(app)
        os.environ["DATABASE_URL"], os.environ["MIGRATION_DATABASE_URL"] = app_url, owner_url
    migrate(owner_url)
    settings = settings.model_copy(
        update={"database_url": app_url, "migration_database_url": owner_url}
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
    token = mint_token(
        secret,
        subject=str(uuid.UUID(int=1)),
        tenant_id=tenant_id,
        role="admin",
        permissions=DEFAULT_ROLE_PERMISSIONS["admin"],
        ttl_seconds=7 * 24 * 3600,
    )
    base = f"http://127.0.0.1:{port}"
    print(
        f"""
MainTrac API is ready.
  Docs (Swagger UI):  {base}/v1/docs/     (Authorize -> paste the token)
  Contract:           {base}/v1/openapi.json
  Demo tenant:        {tenant_id}  (Demo Plant)
  Admin token (7 days):
{token}

  Try:  curl -H "Authorization: Bearer $TOKEN" {base}/v1/work-orders?limit=5
""",
        flush=True,
    )
    if not serve:
        return 0
    import uvicorn

    from maintrac.api.app import create_app
    from maintrac.api.logging_setup import configure_logging

    configure_logging(settings.log_level)
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_config=None)
    return 0
