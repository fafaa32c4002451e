"""Generic statements on tenant tables with ``id``, ``deleted_at`` and (mostly) ``version``.

Every repository uses these for the plain cases, so that "live row" always means
``deleted_at IS NULL`` and an update always returns what the database stored (the
trigger-maintained ``updated_at`` and ``version`` included).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import func, insert, select, update

from maintrac.db.models import Base
from maintrac.db.paging import CURRENT_TENANT
from maintrac.db.transaction import TenantSession

M = TypeVar("M", bound=Base)


def insert_row(session: TenantSession, model: type[M], values: Mapping[str, Any]) -> M:
    """Insert one row for the current tenant and return it as stored."""
    statement = insert(model).values(tenant_id=CURRENT_TENANT, **values).returning(model)
    return session.scalars(statement).one()


def get_live(
    session: TenantSession, model: type[M], row_id: uuid.UUID, *, for_update: bool = False
) -> M | None:
    """The row unless it does not exist, belongs to another tenant, or is soft-deleted."""
    table: Any = model
    statement = select(model).where(table.id == row_id, table.deleted_at.is_(None))
    if for_update:
        statement = statement.with_for_update()
    return session.scalars(statement).one_or_none()


def update_row(
    session: TenantSession, model: type[M], row_id: uuid.UUID, values: Mapping[str, Any]
) -> M:
    table: Any = model
    statement = (
        update(model)
        .where(table.id == row_id)
        .values(**values)
        .returning(model)
        .execution_options(populate_existing=True)
    )
    return session.scalars(statement).one()


def soft_delete(session: TenantSession, model: type[M], row_id: uuid.UUID) -> bool:
    """Mark the live row deleted; False when there was none."""
    table: Any = model
    statement = (
        update(model)
        .where(table.id == row_id, table.deleted_at.is_(None))
        .values(deleted_at=func.now())
        .returning(table.id)
    )
    return session.execute(statement).first() is not None
