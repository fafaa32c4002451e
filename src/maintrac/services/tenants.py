"""Tenant provisioning (an administrative path: the caller holds the owner's database)."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from maintrac.core.ids import new_id
from maintrac.core.text import tidy
from maintrac.db.tenants import insert_tenant
from maintrac.db.transaction import Database


def provision_tenant(owner_database: Database, name: str, time_zone: str = "UTC") -> uuid.UUID:
    """Create a tenant; returns its id. ``time_zone`` is an IANA name (PM schedules use it)."""
    name = tidy(name)
    if not 1 <= len(name) <= 200:
        raise ValueError("a tenant name has 1 to 200 characters")
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {time_zone!r}") from exc
    tenant_id = new_id()
    with owner_database.system_transaction() as session:
        insert_tenant(session, tenant_id, name, time_zone)
    return tenant_id
