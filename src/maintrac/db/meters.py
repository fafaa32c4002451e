"""Queries on meters and their readings (``asset_readings`` is append-only: the app role
may only SELECT and INSERT on it)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, or_, select, update

from maintrac.db.models import AssetReadingRow, AssetRow, MeterRow
from maintrac.db.paging import after_key
from maintrac.db.transaction import TenantSession


def asset_is_live(session: TenantSession, asset_id: uuid.UUID) -> bool:
    """Whether the asset exists in the tenant and is not soft-deleted."""
    statement = select(exists().where(AssetRow.id == asset_id, AssetRow.deleted_at.is_(None)))
    return bool(session.execute(statement).scalar_one())


def list_meters(
    session: TenantSession,
    *,
    asset_id: uuid.UUID | None,
    after: list[Any] | None,
    limit: int,
) -> list[MeterRow]:
    """Live meters, newest first (ids are UUIDv7, so id order is creation order)."""
    statement = select(MeterRow).where(MeterRow.deleted_at.is_(None))
    if asset_id is not None:
        statement = statement.where(MeterRow.asset_id == asset_id)
    statement = after_key(statement, [MeterRow.id], after, descending=True)
    return list(session.scalars(statement.order_by(MeterRow.id.desc()).limit(limit)))


def record_latest(
    session: TenantSession, meter_id: uuid.UUID, value: Decimal, taken_at: datetime
) -> bool:
    """Make this reading the meter's latest unless a later one is already stored.

    One conditional UPDATE: when readings of the same meter are recorded concurrently,
    the second waits for the first's row lock and PostgreSQL re-checks the condition
    against the committed row, so the reading with the greatest ``taken_at`` always ends
    up as the latest, whatever the commit order. False when the meter kept its value.
    """
    statement = (
        update(MeterRow)
        .where(
            MeterRow.id == meter_id,
            MeterRow.deleted_at.is_(None),
            or_(MeterRow.last_reading_at.is_(None), MeterRow.last_reading_at <= taken_at),
        )
        .values(last_reading_value=value, last_reading_at=taken_at)
        .returning(MeterRow.id)
    )
    return session.execute(statement).first() is not None


def list_readings(
    session: TenantSession,
    meter_id: uuid.UUID,
    *,
    taken_after: datetime | None,
    taken_before: datetime | None,
    after: list[Any] | None,
    limit: int,
) -> list[AssetReadingRow]:
    """The meter's readings, latest ``taken_at`` first (ties: latest id first).

    ``taken_after`` is inclusive, ``taken_before`` exclusive; the keyset is
    ``(taken_at, id)``, served by ``ix_asset_readings_meter``.
    """
    statement = select(AssetReadingRow).where(AssetReadingRow.meter_id == meter_id)
    if taken_after is not None:
        statement = statement.where(AssetReadingRow.taken_at >= taken_after)
    if taken_before is not None:
        statement = statement.where(AssetReadingRow.taken_at < taken_before)
    statement = after_key(
        statement, [AssetReadingRow.taken_at, AssetReadingRow.id], after, descending=True
    )
    order = (AssetReadingRow.taken_at.desc(), AssetReadingRow.id.desc())
    return list(session.scalars(statement.order_by(*order).limit(limit)))
