"""People operations."""

from __future__ import annotations

import uuid
from typing import Any

from connexion.lifecycle import ConnexionResponse

from maintrac.api.operations import Handler, RequestContext
from maintrac.api.responses import empty_response, one_response, page_response
from maintrac.core.users import NewUser, UserChanges
from maintrac.services import users as service
from maintrac_contract import models


def get_current_user(ctx: RequestContext) -> ConnexionResponse:
    return one_response(service.get_user(ctx.session, ctx.user_id), models.User)


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
    return page_response(page, models.UserPage)


def create_user(ctx: RequestContext, body: dict[str, Any]) -> ConnexionResponse:
    data = models.UserCreate.model_validate(body)
    new = NewUser(
        display_name=data.display_name,
        email=data.email,
        role=data.role or "technician",
        external_id=data.external_id,
        active=True if data.active is None else data.active,
    )
    created = service.create_user(ctx.session, new)
    return one_response(created, models.User, status=201, location=f"/v1/users/{created.id}")


def get_user(ctx: RequestContext, user_id: str) -> ConnexionResponse:
    return one_response(service.get_user(ctx.session, uuid.UUID(user_id)), models.User)


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
    if "notification_preferences" in sent and data.notification_preferences is not None:
        changes["notification_preferences"] = _preference_changes(data.notification_preferences)
    updated = service.update_user(
        ctx.session, uuid.UUID(user_id), changes, ctx.expected_version, actor_id=ctx.user_id
    )
    return one_response(updated, models.User)


def update_current_user(ctx: RequestContext, body: dict[str, Any]) -> ConnexionResponse:
    data = models.CurrentUserUpdate.model_validate(body)
    changes: UserChanges = {
        "notification_preferences": _preference_changes(data.notification_preferences)
    }
    updated = service.update_user(
        ctx.session, ctx.user_id, changes, ctx.expected_version, actor_id=ctx.user_id
    )
    return one_response(updated, models.User)


def _preference_changes(sent: models.NotificationPreferencesUpdate) -> dict[str, bool]:
    """The kinds the caller sent, by wire name (absent kinds keep their setting)."""
    return {
        key: value
        for key, value in sent.model_dump(by_alias=True, exclude_unset=True).items()
        if value is not None
    }


def delete_user(ctx: RequestContext, user_id: str) -> ConnexionResponse:
    service.delete_user(ctx.session, uuid.UUID(user_id), ctx.expected_version, actor_id=ctx.user_id)
    return empty_response()


HANDLERS: dict[str, Handler] = {
    "getCurrentUser": get_current_user,
    "updateCurrentUser": update_current_user,
    "listUsers": list_users,
    "createUser": create_user,
    "getUser": get_user,
    "updateUser": update_user,
    "deleteUser": delete_user,
}
