"""The one wrapper every operation runs through.

For each operationId of the spec it: takes the Principal that bearer authentication
resolved (permissions were already checked against the operation's ``x-permissions``),
opens the request's tenant transaction, calls the handler with a ``RequestContext`` and
commits before the response leaves. Handlers never open, commit or roll back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from connexion.context import context
from connexion.lifecycle import ConnexionResponse
from connexion.resolver import Resolver

from maintrac.core.auth import Principal
from maintrac.core.errors import Unauthenticated
from maintrac.core.pagination import CursorCodec
from maintrac.db.transaction import Database, TenantSession


@dataclass(frozen=True, slots=True)
class RequestContext:
    principal: Principal
    session: TenantSession
    codec: CursorCodec


Handler = Callable[..., ConnexionResponse]


def _principal() -> Principal:
    token_info = context.get("token_info") or {}
    principal = token_info.get("principal") if isinstance(token_info, Mapping) else None
    if not isinstance(principal, Principal):
        raise Unauthenticated("Send an 'Authorization: Bearer <token>' header.")
    return principal


def in_tenant_transaction(handler: Handler, database: Database, codec: CursorCodec) -> Handler:
    @functools.wraps(handler)
    def operation(*args: Any, **kwargs: Any) -> ConnexionResponse:
        principal = _principal()
        with database.tenant_transaction(principal.tenant_id) as session:
            return handler(RequestContext(principal, session, codec), *args, **kwargs)

    return operation


def make_resolver(
    handlers: Mapping[str, Handler], database: Database, codec: CursorCodec
) -> Resolver:
    wrapped = {
        operation_id: in_tenant_transaction(handler, database, codec)
        for operation_id, handler in handlers.items()
    }
    return Resolver(function_resolver=wrapped.__getitem__)
