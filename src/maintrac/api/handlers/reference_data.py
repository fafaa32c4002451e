"""Reference data operations: asset categories, task codes and GL codes.

The three kinds share one set of handlers, made per kind by ``_handlers``; only the path,
the id parameter's name and the operationIds differ.
"""

from __future__ import annotations

import uuid
from typing import Any

from connexion.lifecycle import ConnexionResponse

from maintrac.api.operations import Handler, RequestContext
from maintrac.api.responses import empty_response, json_response
from maintrac.core.reference_data import (
    NewReferenceItem,
    ReferenceItem,
    ReferenceItemChanges,
    ReferenceKind,
)
from maintrac.services import reference_data as service
from maintrac_contract import models


def _out(item: ReferenceItem) -> models.ReferenceItem:
    return models.ReferenceItem(
        id=item.id,
        code=item.code,
        name=item.name,
        description=item.description,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _changes(body: dict[str, Any]) -> ReferenceItemChanges:
    data = models.ReferenceItemUpdate.model_validate(body)
    changes: ReferenceItemChanges = {}
    sent = data.model_fields_set
    if "code" in sent and data.code is not None:
        changes["code"] = data.code
    if "name" in sent and data.name is not None:
        changes["name"] = data.name
    if "description" in sent:
        changes["description"] = data.description
    return changes


def _handlers(kind: ReferenceKind, path: str, id_param: str) -> dict[str, Handler]:
    """list/create/get/update/delete for ``kind``, served under ``/v1{path}``.

    ``id_param`` is the path parameter's Python name (``assetCategoryId`` arrives as
    ``asset_category_id``); the handlers take it from ``**params``.
    """

    def one(item: ReferenceItem, status: int = 200) -> ConnexionResponse:
        location = f"/v1{path}/{item.id}" if status == 201 else None
        return json_response(_out(item), status, version=item.version, location=location)

    def list_items(
        ctx: RequestContext, *, limit: int = 50, cursor: str | None = None, q: str | None = None
    ) -> ConnexionResponse:
        page = service.list_items(
            ctx.session,
            kind,
            service.ReferenceQuery(search=q, limit=limit, cursor=cursor),
            ctx.codec,
        )
        return json_response(
            models.ReferenceItemPage(
                data=[_out(i) for i in page.items],
                next_cursor=page.next_cursor,
                has_more=page.has_more,
            )
        )

    def create_item(ctx: RequestContext, body: dict[str, Any]) -> ConnexionResponse:
        data = models.ReferenceItemCreate.model_validate(body)
        new = NewReferenceItem(code=data.code, name=data.name, description=data.description)
        return one(service.create_item(ctx.session, kind, new), 201)

    def get_item(ctx: RequestContext, **params: Any) -> ConnexionResponse:
        return one(service.get_item(ctx.session, kind, uuid.UUID(params[id_param])))

    def update_item(ctx: RequestContext, body: dict[str, Any], **params: Any) -> ConnexionResponse:
        item_id = uuid.UUID(params[id_param])
        updated = service.update_item(
            ctx.session, kind, item_id, _changes(body), ctx.expected_version
        )
        return one(updated)

    def delete_item(ctx: RequestContext, **params: Any) -> ConnexionResponse:
        service.delete_item(ctx.session, kind, uuid.UUID(params[id_param]), ctx.expected_version)
        return empty_response()

    return {
        "list": list_items,
        "create": create_item,
        "get": get_item,
        "update": update_item,
        "delete": delete_item,
    }


def _operations(handlers: dict[str, Handler], *, list_id: str, singular: str) -> dict[str, Handler]:
    """Name the handlers by the spec's operationIds (``listX``, ``createY``, ...)."""
    return {
        list_id: handlers["list"],
        **{f"{verb}{singular}": handlers[verb] for verb in ("create", "get", "update", "delete")},
    }


HANDLERS: dict[str, Handler] = {
    **_operations(
        _handlers(ReferenceKind.ASSET_CATEGORY, "/asset-categories", "asset_category_id"),
        list_id="listAssetCategories",
        singular="AssetCategory",
    ),
    **_operations(
        _handlers(ReferenceKind.TASK_CODE, "/task-codes", "task_code_id"),
        list_id="listTaskCodes",
        singular="TaskCode",
    ),
    **_operations(
        _handlers(ReferenceKind.GL_CODE, "/gl-codes", "gl_code_id"),
        list_id="listGlCodes",
        singular="GlCode",
    ),
}
