"""``maintrac dev``: from a fresh machine to a running API with demo data, in one command."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy.engine import URL

from maintrac.api.security import DEFAULT_ROLE_PERMISSIONS, mint_token
from maintrac.cli.devenv import find_or_start
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
    print(
        f"""
MainTrac API is ready.
  Docs (Swagger UI):  {base}/v1/docs/     (Authorize -> paste the token)
  Contract:           {base}/v1/openapi.json
  Demo tenant:        {tenant_id}  (Demo Plant)
  Admin token (Alex Admin, 7 days):
{token}

  Technician token (Dana Technician, 7 days):
{technician_token}

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
