"""Tenant provisioning. Runs as the schema owner: the application role may only read its
own tenant row. RLS is forced even for the owner, so the insert first scopes the
transaction to the new tenant's id."""

from __future__ import annotations

import uuid

from sqlalchemy import insert, text

from maintrac.db.models import TenantRow
from maintrac.db.transaction import SystemSession


def insert_tenant(
    session: SystemSession, tenant_id: uuid.UUID, name: str, time_zone: str
) -> TenantRow:
    session.execute(
        text("SELECT set_config('app.current_tenant', :tenant, true)"),
        {"tenant": str(tenant_id)},
    )
    statement = (
        insert(TenantRow).values(id=tenant_id, name=name, time_zone=time_zone).returning(TenantRow)
    )
    return session.scalars(statement).one()
