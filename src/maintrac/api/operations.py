"""The one wrapper every operation runs through.

For each operationId of the spec it: takes the Principal that bearer authentication
resolved (permissions were already checked against the operation's ``x-permissions``),
opens the request's tenant transaction (which also finds the caller's user record,
creating it on first use), reads ``If-Match``, applies ``Idempotency-Key`` to POSTs, calls
the handler with a ``RequestContext`` and commits before the response leaves. Handlers
never open, commit or roll back.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from connexion import request
from connexion.context import context
from connexion.lifecycle import ConnexionResponse
from connexion.resolver import Resolver

from maintrac.core.auth import Principal
from maintrac.core.concurrency import ExpectedVersion, parse_if_match
from maintrac.core.errors import Unauthenticated
from maintrac.core.pagination import CursorCodec
from maintrac.db.transaction import Database, RetryableConflict, TenantSession
from maintrac.observability import context as observability_context
from maintrac.services import idempotency
from maintrac.services.users import resolve_caller


@dataclass(frozen=True, slots=True)
class RequestContext:
    principal: Principal
    session: TenantSession
    codec: CursorCodec
    user_id: uuid.UUID
    #: What ``If-Match`` asked for (None when the header is absent).
    expected_version: ExpectedVersion = None


Handler = Callable[..., ConnexionResponse]

#: How many times a unit of work runs when it keeps losing races (serialization, deadlock).
ATTEMPTS = 3


def repeatable_read(handler: Handler) -> Handler:
    """Run ``handler``'s transaction at REPEATABLE READ: every read sees one snapshot."""
    handler.isolation = "REPEATABLE READ"  # type: ignore[attr-defined]
    return handler


#: Response headers worth replaying for an idempotent POST.
_REPLAYED_HEADERS = ("location", "etag", "content-type")


def _principal() -> Principal:
    token_info = context.get("token_info") or {}
    principal = token_info.get("principal") if isinstance(token_info, Mapping) else None
    if not isinstance(principal, Principal):
        raise Unauthenticated("Send an 'Authorization: Bearer <token>' header.")
    return principal


def _replay(stored: idempotency.StoredResponse) -> ConnexionResponse:
    headers = {**stored.headers, "Idempotent-Replayed": "true"}
    return ConnexionResponse(
        status_code=stored.status,
        content_type=headers.get("content-type"),
        mimetype=headers.get("content-type"),
        body=stored.body,
        headers=headers,
    )


def in_tenant_transaction(
    handler: Handler,
    operation_id: str,
    database: Database,
    codec: CursorCodec,
    *,
    idempotent: bool = False,
) -> Handler:
    def attempt(*args: Any, **kwargs: Any) -> ConnexionResponse:
        principal = _principal()
        observability_context.annotate(tenant_id=principal.tenant_id, operation=operation_id)
        headers = request.headers
        # Only operations that declare Idempotency-Key take one, and a key is the caller's
        # own, for this operation: another user of the tenant sending the same key never
        # gets this response, nor does the caller on another operation.
        sent = headers.get("idempotency-key") if idempotent else None
        key = legacy = None
        if sent is not None:
            key = idempotency.caller_key(principal.subject, sent, operation_id)
            legacy = idempotency.legacy_caller_key(principal.subject, sent)
        with database.tenant_transaction(
            principal.tenant_id,
            subject=principal.subject,
            isolation=getattr(handler, "isolation", None),
        ) as session:
            ctx = RequestContext(
                principal=principal,
                session=session,
                codec=codec,
                user_id=resolve_caller(session, principal),
                expected_version=parse_if_match(headers.get("if-match")),
            )
            if key is None:
                return handler(ctx, *args, **kwargs)
            fingerprint = idempotency.request_hash(
                operation_id, request.url.path, kwargs.get("body")
            )
            stored = idempotency.begin(session, key, operation_id, fingerprint, legacy)
            if stored is not None:
                return _replay(stored)
            response = handler(ctx, *args, **kwargs)
            if 200 <= response.status_code < 300:
                kept = {
                    k.lower(): v
                    for k, v in (response.headers or {}).items()
                    if k.lower() in _REPLAYED_HEADERS
                }
                if response.content_type:
                    kept["content-type"] = response.content_type
                body = response.body if isinstance(response.body, bytes) else b""
                idempotency.finish(
                    session, key, idempotency.StoredResponse(response.status_code, kept, body)
                )
            return response

    @functools.wraps(handler)
    def operation(*args: Any, **kwargs: Any) -> ConnexionResponse:
        # A unit of work that lost a race was rolled back whole: run it again.
        for _ in range(ATTEMPTS - 1):
            try:
                return attempt(*args, **kwargs)
            except RetryableConflict:
                continue
        return attempt(*args, **kwargs)

    return operation


def make_resolver(
    handlers: Mapping[str, Handler],
    database: Database,
    codec: CursorCodec,
    idempotent: frozenset[str] = frozenset(),
) -> Resolver:
    """``idempotent``: the operationIds that declare the ``Idempotency-Key`` header."""
    wrapped = {
        operation_id: in_tenant_transaction(
            handler, operation_id, database, codec, idempotent=operation_id in idempotent
        )
        for operation_id, handler in handlers.items()
    }
    return Resolver(function_resolver=wrapped.__getitem__)
