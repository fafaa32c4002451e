"""People operations."""

from __future__ import annotations

import uuid
from typing import Any

from connexion.lifecycle import ConnexionResponse

from maintrac.api.operations import Handler, RequestContext
from maintrac.api.responses import empty_response, json_response
from maintrac.core.users import NewUser, User, UserChanges
from maintrac.services import users as service
from maintrac_contract import models


def _out(user: User) -> models.User:
    return models.User(
        id=user.id,
        external_id=user.external_id,
        display_name=user.display_name,
        email=user.email,
        role=user.role,
        active=user.active,
        last_seen_at=user.last_seen_at,
        created_at=user.created_at,
        updated_at=user.updated_at,
    )


def _one(user: User, status: int = 200) -> ConnexionResponse:
    location = f"/v1/users/{user.id}" if status == 201 else None
    return json_response(_out(user), status, version=user.version, location=location)


def get_current_user(ctx: RequestContext) -> ConnexionResponse:
    return _one(service.get_user(ctx.session, ctx.user_id))


def list_users(
    ctx: RequestContext,
    *,
    limit: int = 50,
    cursor: str | None = None,
    active: bool | None = None,
    role: str | None = None,
) -> ConnexionResponse:
    page = service.list_users(
        ctx.session,
        service.UserQuery(active=active, role=role, limit=limit, cursor=cursor),
        ctx.codec,
    )
    return json_response(
        models.UserPage(
            data=[_out(u) for u in page.items],
            next_cursor=page.next_cursor,
            has_more=page.has_more,
        )
    )


def create_user(ctx: RequestContext, body: dict[str, Any]) -> ConnexionResponse:
    data = models.UserCreate.model_validate(body)
    new = NewUser(
        display_name=data.display_name,
        email=data.email,
        role=data.role or "technician",
        external_id=data.external_id,
        active=True if data.active is None else data.active,
    )
    return _one(service.create_user(ctx.session, new), 201)


def get_user(ctx: RequestContext, user_id: str) -> ConnexionResponse:
    return _one(service.get_user(ctx.session, uuid.UUID(user_id)))


def update_user(ctx: RequestContext, user_id: str, body: dict[str, Any]) -> ConnexionResponse:
    data = models.UserUpdate.model_validate(body)
    changes: UserChanges = {}
    sent = data.model_fields_set
    if "display_name" in sent and data.display_name is not None:
        changes["display_name"] = data.display_name
    if "email" in sent:
        changes["email"] = data.email
    if "role" in sent and data.role is not None:
        changes["role"] = data.role
    if "external_id" in sent:
        changes["external_id"] = data.external_id
    if "active" in sent and data.active is not None:
        changes["active"] = data.active
    updated = service.update_user(
        ctx.session, uuid.UUID(user_id), changes, ctx.expected_version, actor_id=ctx.user_id
    )
    return _one(updated)


def delete_user(ctx: RequestContext, user_id: str) -> ConnexionResponse:
    service.delete_user(ctx.session, uuid.UUID(user_id), ctx.expected_version, actor_id=ctx.user_id)
    return empty_response()


HANDLERS: dict[str, Handler] = {
    "getCurrentUser": get_current_user,
    "listUsers": list_users,
    "createUser": create_user,
    "getUser": get_user,
    "updateUser": update_user,
    "deleteUser": delete_user,
}
