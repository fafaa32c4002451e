"""The meter and reading repositories (``asset_readings`` is append-only: the app role
may only SELECT and INSERT on it)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import or_, update

from maintrac.core.meters import Meter, MeterKind, Reading, ReadingSource
from maintrac.db.models import AssetReadingRow, MeterRow
from maintrac.db.paging import Keyset, as_datetime, as_uuid, part
from maintrac.db.repository import Positional, Repository
from maintrac.db.transaction import TenantSession


def to_meter(row: MeterRow) -> Meter:
    return Meter(
        id=row.id,
        asset_id=row.asset_id,
        name=row.name,
        unit=row.unit,
        kind=MeterKind(row.kind),
        last_reading_value=row.last_reading_value,
        last_reading_at=row.last_reading_at,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def to_reading(row: AssetReadingRow) -> Reading:
    return Reading(
        id=row.id,
        meter_id=row.meter_id,
        value=row.value,
        taken_at=row.taken_at,
        taken_by=row.taken_by,
        work_order_id=row.work_order_id,
        note=row.note,
        source=ReadingSource(row.source),
        created_at=row.created_at,
    )


meters: Final = Repository(
    MeterRow, to_meter, positional=Positional(Meter, enums={"kind": MeterKind})
)
readings: Final = Repository(AssetReadingRow, to_reading)

#: Meters newest first (ids are UUIDv7, so id order is creation order).
METERS_NEWEST_FIRST: Final[Keyset[Meter]] = Keyset(
    "-createdAt", (part(MeterRow.id, as_uuid),), descending=True
)
#: Readings, latest ``taken_at`` first (ties: latest id first), served by
#: ``ix_asset_readings_meter``.
LATEST_READINGS_FIRST: Final[Keyset[Reading]] = Keyset(
    "-takenAt",
    (part(AssetReadingRow.taken_at, as_datetime), part(AssetReadingRow.id, as_uuid)),
    descending=True,
)


def list_meters(
    session: TenantSession,
    *,
    asset_id: uuid.UUID | None,
    after: Sequence[Any] | None,
    limit: int,
) -> list[Meter]:
    """Live meters, newest first."""
    where = [] if asset_id is None else [MeterRow.asset_id == asset_id]
    return meters.page(session, METERS_NEWEST_FIRST, *where, after=after, limit=limit)


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
    after: Sequence[Any] | None,
    limit: int,
) -> list[Reading]:
    """The meter's readings in keyset order; ``taken_after`` is inclusive,
    ``taken_before`` exclusive."""
    where: list[Any] = [AssetReadingRow.meter_id == meter_id]
    if taken_after is not None:
        where.append(AssetReadingRow.taken_at >= taken_after)
    if taken_before is not None:
        where.append(AssetReadingRow.taken_at < taken_before)
    return readings.page(session, LATEST_READINGS_FIRST, *where, after=after, limit=limit)
