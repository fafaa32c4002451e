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
    NewMeter,
    NewReading,
    Reading,
    resolve_taken_at,
)
from maintrac.core.pagination import CursorCodec, Page
from maintrac.core.text import tidy
from maintrac.db import meters as repo
from maintrac.db.assets import assets
from maintrac.db.transaction import TenantSession
from maintrac.services import events, pm_generation
from maintrac.services.paging import paginate


def _not_found(meter_id: uuid.UUID) -> NotFound:
    return NotFound(f"No meter {meter_id}.", resource="meter")


def _live_meter(session: TenantSession, meter_id: uuid.UUID, *, lock: bool = False) -> Meter:
    found = repo.meters.get(session, meter_id, for_update=lock)
    if found is None:
        raise _not_found(meter_id)
    return found


def get_meter(session: TenantSession, meter_id: uuid.UUID) -> Meter:
    return _live_meter(session, meter_id)


def create_meter(session: TenantSession, new: NewMeter) -> Meter:
    """A meter on a live asset of the tenant (a deleted asset takes no new meters)."""
    if not assets.exists(session, new.asset_id):
        raise InvalidReference(
            f"'assetId' names no asset in your tenant: {new.asset_id}.",
            field="assetId",
            errors=[{"pointer": "/assetId", "detail": "Does not exist in your tenant."}],
        )
    return repo.meters.insert(
        session,
        {
            "id": new_id(),
            "asset_id": new.asset_id,
            "name": tidy(new.name),
            "unit": tidy(new.unit),
            "kind": new.kind,
        },
    )


def update_meter(
    session: TenantSession,
    meter_id: uuid.UUID,
    changes: MeterChanges,
    expected_version: ExpectedVersion = None,
) -> Meter:
    current = _live_meter(session, meter_id, lock=True)
    check_version("meter", current.version, expected_version)
    stripped = {k: tidy(str(v)) for k, v in changes.items()}
    values = {k: v for k, v in stripped.items() if getattr(current, k) != v}
    if not values:
        return current
    return repo.meters.update(session, meter_id, values)


def delete_meter(
    session: TenantSession, meter_id: uuid.UUID, expected_version: ExpectedVersion = None
) -> None:
    """Soft-delete the meter; its readings stay."""
    current = _live_meter(session, meter_id, lock=True)
    check_version("meter", current.version, expected_version)
    repo.meters.soft_delete(session, meter_id)


@dataclass(frozen=True, slots=True)
class MeterQuery:
    asset_id: uuid.UUID | None = None
    limit: int = 50
    cursor: str | None = None


def list_meters(session: TenantSession, query: MeterQuery, codec: CursorCodec) -> Page[Meter]:
    return paginate(
        session,
        codec,
        repo.METERS_NEWEST_FIRST,
        query.cursor,
        query.limit,
        {"list": "meters", "asset_id": query.asset_id},
        lambda after, limit: repo.list_meters(
            session, asset_id=query.asset_id, after=after, limit=limit
        ),
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
    reading = repo.readings.insert(
        session,
        {
            "id": new.id or new_id(),
            "meter_id": meter_id,
            "value": new.value,
            "taken_at": taken_at,
            "taken_by": taken_by,
            "work_order_id": new.work_order_id,
            "note": new.note,
            "source": new.source,
        },
    )
    if repo.record_latest(session, meter_id, reading.value, reading.taken_at):
        # A meter plan whose threshold this reaches is generated within seconds.
        pm_generation.request_for_reading(session, meter_id, reading.value)
    events.reading_recorded(session, meter.asset_id, reading)
    return reading


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
    scope = {
        "list": "asset_readings",
        "meter_id": meter_id,
        "taken_after": query.taken_after,
        "taken_before": query.taken_before,
    }
    return paginate(
        session,
        codec,
        repo.LATEST_READINGS_FIRST,
        query.cursor,
        query.limit,
        scope,
        lambda after, limit: repo.list_readings(
            session,
            meter_id,
            taken_after=query.taken_after,
            taken_before=query.taken_before,
            after=after,
            limit=limit,
        ),
    )
