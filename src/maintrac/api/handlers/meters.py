"""Meter and reading operations: map HTTP to service calls and back."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from connexion.lifecycle import ConnexionResponse

from maintrac.api.operations import Handler, RequestContext
from maintrac.api.responses import empty_response, one_response, page_response
from maintrac.core.meters import MeterChanges, MeterKind, NewMeter, NewReading
from maintrac.services import meters as service
from maintrac_contract import models


def _time(value: str | None) -> datetime | None:
    """A query parameter the spec's ``date-time`` format already checked (RFC 3339)."""
    if not value:
        return None
    moment = datetime.fromisoformat(value.upper())
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def list_meters(
    ctx: RequestContext,
    *,
    limit: int = 50,
    cursor: str | None = None,
    asset_id: str | None = None,
) -> ConnexionResponse:
    query = service.MeterQuery(
        asset_id=uuid.UUID(asset_id) if asset_id else None, limit=limit, cursor=cursor
    )
    return page_response(service.list_meters(ctx.session, query, ctx.codec), models.MeterPage)


def create_meter(ctx: RequestContext, body: dict[str, Any]) -> ConnexionResponse:
    data = models.MeterCreate.model_validate(body)
    new = NewMeter(
        asset_id=data.asset_id,
        name=data.name,
        unit=data.unit,
        kind=MeterKind(data.kind.value) if data.kind else MeterKind.CUMULATIVE,
    )
    created = service.create_meter(ctx.session, new)
    return one_response(created, models.Meter, status=201, location=f"/v1/meters/{created.id}")


def get_meter(ctx: RequestContext, meter_id: str) -> ConnexionResponse:
    return one_response(service.get_meter(ctx.session, uuid.UUID(meter_id)), models.Meter)


def update_meter(ctx: RequestContext, meter_id: str, body: dict[str, Any]) -> ConnexionResponse:
    data = models.MeterUpdate.model_validate(body)
    changes: MeterChanges = {}
    if data.name is not None:
        changes["name"] = data.name
    if data.unit is not None:
        changes["unit"] = data.unit
    updated = service.update_meter(ctx.session, uuid.UUID(meter_id), changes, ctx.expected_version)
    return one_response(updated, models.Meter)


def delete_meter(ctx: RequestContext, meter_id: str) -> ConnexionResponse:
    service.delete_meter(ctx.session, uuid.UUID(meter_id), ctx.expected_version)
    return empty_response()


def list_meter_readings(
    ctx: RequestContext,
    meter_id: str,
    *,
    limit: int = 50,
    cursor: str | None = None,
    taken_after: str | None = None,
    taken_before: str | None = None,
) -> ConnexionResponse:
    query = service.ReadingQuery(
        taken_after=_time(taken_after),
        taken_before=_time(taken_before),
        limit=limit,
        cursor=cursor,
    )
    page = service.list_readings(ctx.session, uuid.UUID(meter_id), query, ctx.codec)
    return page_response(page, models.ReadingPage)


def create_meter_reading(
    ctx: RequestContext, meter_id: str, body: dict[str, Any]
) -> ConnexionResponse:
    data = models.ReadingCreate.model_validate(body)
    new = NewReading(
        # The JSON number as written (via str), not its binary float: 0.1 stays 0.1.
        value=Decimal(str(body["value"])),
        taken_at=data.taken_at,
        work_order_id=data.work_order_id,
        note=data.note,
    )
    reading = service.record_reading(ctx.session, uuid.UUID(meter_id), new, ctx.user_id)
    return one_response(reading, models.Reading, status=201)


HANDLERS: dict[str, Handler] = {
    "listMeters": list_meters,
    "createMeter": create_meter,
    "getMeter": get_meter,
    "updateMeter": update_meter,
    "deleteMeter": delete_meter,
    "listMeterReadings": list_meter_readings,
    "createMeterReading": create_meter_reading,
}
