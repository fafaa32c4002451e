"""Asset operations: map HTTP to service calls and back."""

from __future__ import annotations

import uuid
from typing import Any

from connexion.lifecycle import ConnexionResponse

from maintrac.api.operations import Handler, RequestContext
from maintrac.api.responses import empty_response, one_response, page_response
from maintrac.core.assets import AssetChanges, AssetStatus, NewAsset
from maintrac.services import assets as service
from maintrac_contract import models


def _code(code: models.AssetCode | None) -> str | None:
    return code.root if code is not None else None


def list_assets(
    ctx: RequestContext,
    *,
    limit: int = 50,
    cursor: str | None = None,
    parent_id: str | None = None,
    root: bool | None = None,
    category_id: str | None = None,
    status: list[str] | None = None,
) -> ConnexionResponse:
    query = service.AssetQuery(
        parent_id=uuid.UUID(parent_id) if parent_id else None,
        root=root,
        category_id=uuid.UUID(category_id) if category_id else None,
        statuses=[AssetStatus(s) for s in dict.fromkeys(status or [])],
        limit=limit,
        cursor=cursor,
    )
    return page_response(service.list_assets(ctx.session, query, ctx.codec), models.AssetPage)


def create_asset(ctx: RequestContext, body: dict[str, Any]) -> ConnexionResponse:
    data = models.AssetCreate.model_validate(body)
    new = NewAsset(
        name=data.name.root,
        parent_id=data.parent_id,
        category_id=data.category_id,
        code=_code(data.code),
        description=data.description,
        location=data.location,
        serial_number=data.serial_number,
        manufacturer=data.manufacturer,
        model=data.model,
        status=AssetStatus(data.status.value) if data.status else AssetStatus.IN_SERVICE,
    )
    created = service.create_asset(ctx.session, new)
    return one_response(created, models.Asset, status=201, location=f"/v1/assets/{created.id}")


def get_asset(ctx: RequestContext, asset_id: str) -> ConnexionResponse:
    return one_response(service.get_asset(ctx.session, uuid.UUID(asset_id)), models.Asset)


def update_asset(ctx: RequestContext, asset_id: str, body: dict[str, Any]) -> ConnexionResponse:
    data = models.AssetUpdate.model_validate(body)
    sent = data.model_fields_set
    changes: AssetChanges = {}
    if "name" in sent and data.name is not None:
        changes["name"] = data.name.root
    if "parent_id" in sent:
        changes["parent_id"] = data.parent_id
    if "category_id" in sent:
        changes["category_id"] = data.category_id
    if "code" in sent:
        changes["code"] = _code(data.code)
    if "description" in sent:
        changes["description"] = data.description
    if "location" in sent:
        changes["location"] = data.location
    if "serial_number" in sent:
        changes["serial_number"] = data.serial_number
    if "manufacturer" in sent:
        changes["manufacturer"] = data.manufacturer
    if "model" in sent:
        changes["model"] = data.model
    if "status" in sent and data.status is not None:
        changes["status"] = AssetStatus(data.status.value)
    updated = service.update_asset(ctx.session, uuid.UUID(asset_id), changes, ctx.expected_version)
    return one_response(updated, models.Asset)


def delete_asset(ctx: RequestContext, asset_id: str) -> ConnexionResponse:
    service.delete_asset(ctx.session, uuid.UUID(asset_id), ctx.expected_version)
    return empty_response()


HANDLERS: dict[str, Handler] = {
    "listAssets": list_assets,
    "createAsset": create_asset,
    "getAsset": get_asset,
    "updateAsset": update_asset,
    "deleteAsset": delete_asset,
}
