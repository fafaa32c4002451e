"""Asset operations: map HTTP to service calls and back."""

from __future__ import annotations

import uuid
from typing import Any

from connexion.lifecycle import ConnexionResponse

from maintrac.api.operations import Handler, RequestContext
from maintrac.api.responses import empty_response, json_response
from maintrac.core.assets import Asset, AssetChanges, AssetStatus, NewAsset
from maintrac.services import assets as service
from maintrac_contract import models


def _out(asset: Asset) -> models.Asset:
    return models.Asset(
        id=asset.id,
        parent_id=asset.parent_id,
        category_id=asset.category_id,
        name=asset.name,
        code=asset.code,
        description=asset.description,
        location=asset.location,
        serial_number=asset.serial_number,
        manufacturer=asset.manufacturer,
        model=asset.model,
        status=models.AssetStatus(asset.status.value),
        created_at=asset.created_at,
        updated_at=asset.updated_at,
    )


def _one(asset: Asset, status: int = 200) -> ConnexionResponse:
    location = f"/v1/assets/{asset.id}" if status == 201 else None
    return json_response(_out(asset), status, version=asset.version, location=location)


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
    page = service.list_assets(ctx.session, query, ctx.codec)
    return json_response(
        models.AssetPage(
            data=[_out(a) for a in page.items],
            next_cursor=page.next_cursor,
            has_more=page.has_more,
        )
    )


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
    return _one(service.create_asset(ctx.session, new), 201)


def get_asset(ctx: RequestContext, asset_id: str) -> ConnexionResponse:
    return _one(service.get_asset(ctx.session, uuid.UUID(asset_id)))


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
    return _one(updated)


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
