"""Meters and readings: the meters resource, and appending readings to a meter."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from maintrac.core.concurrency import ExpectedVersion, check_version
from maintrac.core.errors import InvalidReference, NotFound
from maintrac.core.ids import new_id
from maintrac.core.meters import (
    Meter,
    MeterChanges,
    MeterKind,
    NewMeter,
    NewReading,
    Reading,
    ReadingSource,
    resolve_taken_at,
)
from maintrac.core.pagination import CursorCodec, Page
from maintrac.core.text import tidy
from maintrac.db import crud
from maintrac.db import meters as repo
from maintrac.db.models import AssetReadingRow, MeterRow
from maintrac.db.transaction import TenantSession
from maintrac.services import events
from maintrac.services.paging import as_datetime, as_uuid, decode_after, make_page


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


def _not_found(meter_id: uuid.UUID) -> NotFound:
    return NotFound(f"No meter {meter_id}.", resource="meter")


def _live_meter(session: TenantSession, meter_id: uuid.UUID, *, lock: bool = False) -> MeterRow:
    row = crud.get_live(session, MeterRow, meter_id, for_update=lock)
    if row is None:
        raise _not_found(meter_id)
    return row


def get_meter(session: TenantSession, meter_id: uuid.UUID) -> Meter:
    return to_meter(_live_meter(session, meter_id))


def create_meter(session: TenantSession, new: NewMeter) -> Meter:
    """A meter on a live asset of the tenant (a deleted asset takes no new meters)."""
    if not repo.asset_is_live(session, new.asset_id):
        raise InvalidReference(
            f"'assetId' names no asset in your tenant: {new.asset_id}.",
            field="assetId",
            errors=[{"pointer": "/assetId", "detail": "Does not exist in your tenant."}],
        )
    row = crud.insert_row(
        session,
        MeterRow,
        {
            "id": new_id(),
            "asset_id": new.asset_id,
            "name": tidy(new.name),
            "unit": tidy(new.unit),
            "kind": new.kind.value,
        },
    )
    return to_meter(row)


def update_meter(
    session: TenantSession,
    meter_id: uuid.UUID,
    changes: MeterChanges,
    expected_version: ExpectedVersion = None,
) -> Meter:
    row = _live_meter(session, meter_id, lock=True)
    check_version("meter", row.version, expected_version)
    stripped = {k: tidy(str(v)) for k, v in changes.items()}
    values = {k: v for k, v in stripped.items() if getattr(row, k) != v}
    if not values:
        return to_meter(row)
    return to_meter(crud.update_row(session, MeterRow, meter_id, values))


def delete_meter(
    session: TenantSession, meter_id: uuid.UUID, expected_version: ExpectedVersion = None
) -> None:
    """Soft-delete the meter; its readings stay."""
    row = _live_meter(session, meter_id, lock=True)
    check_version("meter", row.version, expected_version)
    crud.soft_delete(session, MeterRow, meter_id)


@dataclass(frozen=True, slots=True)
class MeterQuery:
    asset_id: uuid.UUID | None = None
    limit: int = 50
    cursor: str | None = None


def list_meters(session: TenantSession, query: MeterQuery, codec: CursorCodec) -> Page[Meter]:
    sort = "-createdAt"
    after = decode_after(codec, query.cursor, sort, [as_uuid])
    rows = repo.list_meters(session, asset_id=query.asset_id, after=after, limit=query.limit + 1)
    return make_page(
        rows, query.limit, codec=codec, sort=sort, key=lambda r: [r.id], convert=to_meter
    )


def record_reading(
    session: TenantSession,
    meter_id: uuid.UUID,
    new: NewReading,
    taken_by: uuid.UUID,
    *,
    now: datetime | None = None,
) -> Reading:
    """Append a reading to a live meter and move the meter's latest reading if it is one.

    Never overwrites a reading (same ``taken_at`` twice: both kept) and never refuses a
    value for being lower than the last (that is data too). A ``work_order_id`` of
    another tenant or none at all fails the composite foreign key (InvalidReference).
    """
    meter = _live_meter(session, meter_id)
    taken_at = resolve_taken_at(new.taken_at, now or datetime.now(UTC))
    row = crud.insert_row(
        session,
        AssetReadingRow,
        {
            "id": new.id or new_id(),
            "meter_id": meter_id,
            "value": new.value,
            "taken_at": taken_at,
            "taken_by": taken_by,
            "work_order_id": new.work_order_id,
            "note": new.note,
            "source": new.source.value,
        },
    )
    repo.record_latest(session, meter_id, row.value, row.taken_at)
    events.reading_recorded(session, meter.asset_id, to_reading(row))
    return to_reading(row)


@dataclass(frozen=True, slots=True)
class ReadingQuery:
    taken_after: datetime | None = None
    taken_before: datetime | None = None
    limit: int = 50
    cursor: str | None = None


def list_readings(
    session: TenantSession, meter_id: uuid.UUID, query: ReadingQuery, codec: CursorCodec
) -> Page[Reading]:
    _live_meter(session, meter_id)
    sort = "-takenAt"
    after = decode_after(codec, query.cursor, sort, [as_datetime, as_uuid])
    rows = repo.list_readings(
        session,
        meter_id,
        taken_after=query.taken_after,
        taken_before=query.taken_before,
        after=after,
        limit=query.limit + 1,
    )
    return make_page(
        rows,
        query.limit,
        codec=codec,
        sort=sort,
        key=lambda r: [r.taken_at, r.id],
        convert=to_reading,
    )
