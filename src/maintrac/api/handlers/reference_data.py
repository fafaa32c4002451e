"""Reference data operations: asset categories, task codes and GL codes.

The three kinds share one set of handlers, made per kind by ``_handlers``; only the path,
the id parameter's name and the operationIds differ.
"""

from __future__ import annotations

import uuid
from typing import Any

from connexion.lifecycle import ConnexionResponse

from maintrac.api.operations import Handler, RequestContext
from maintrac.api.responses import empty_response, one_response, page_response
from maintrac.core.reference_data import (
    NewReferenceItem,
    ReferenceItemChanges,
    ReferenceKind,
)
from maintrac.services import reference_data as service
from maintrac_contract import models


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

    def list_items(
        ctx: RequestContext, *, limit: int = 50, cursor: str | None = None, q: str | None = None
    ) -> ConnexionResponse:
        page = service.list_items(
            ctx.session,
            kind,
            service.ReferenceQuery(search=q, limit=limit, cursor=cursor),
            ctx.codec,
        )
        return page_response(page, models.ReferenceItemPage)

    def create_item(ctx: RequestContext, body: dict[str, Any]) -> ConnexionResponse:
        data = models.ReferenceItemCreate.model_validate(body)
        new = NewReferenceItem(code=data.code, name=data.name, description=data.description)
        created = service.create_item(ctx.session, kind, new)
        location = f"/v1{path}/{created.id}"
        return one_response(created, models.ReferenceItem, status=201, location=location)

    def get_item(ctx: RequestContext, **params: Any) -> ConnexionResponse:
        item = service.get_item(ctx.session, kind, uuid.UUID(params[id_param]))
        return one_response(item, models.ReferenceItem)

    def update_item(ctx: RequestContext, body: dict[str, Any], **params: Any) -> ConnexionResponse:
        item_id = uuid.UUID(params[id_param])
        updated = service.update_item(
            ctx.session, kind, item_id, _changes(body), ctx.expected_version
        )
        return one_response(updated, models.ReferenceItem)

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
