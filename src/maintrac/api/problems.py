"""Every error, from every layer, as an RFC 9457 ``application/problem+json`` response.

One table (``CATALOG``) maps each problem code to its HTTP status, ``type`` URI and
title. Domain errors (``maintrac.core.errors``) carry only a code; Connexion's and
Starlette's own exceptions (routing, 405, 415, auth) and unexpected failures are
translated here too, so a client never sees a library's error format or message.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from maintrac.api.openapi31 import RequestValidationFailed
from maintrac.api.request_context import current_request_id
from maintrac.core.errors import DomainError
from maintrac.db.errors import CommitOutcomeUnknown, DatabaseUnavailable
from maintrac.observability import errors

logger = logging.getLogger(__name__)

#: Problem types are URI references relative to the server (RFC 9457, section 3.1.1):
#: stable across deployments, and each resolves to its page (``/problems/{slug}``).
PROBLEM_BASE = "/problems/"
PROBLEM_JSON = "application/problem+json"


@dataclass(frozen=True, slots=True)
class ProblemKind:
    status: int
    slug: str
    title: str
    explanation: str

    @property
    def type(self) -> str:
        return PROBLEM_BASE + self.slug


CATALOG: dict[str, ProblemKind] = {
    "invalid_parameter": ProblemKind(
        400,
        "invalid-parameter",
        "Invalid parameter",
        "A path, query or header parameter is missing or out of range. `errors` points at "
        "each one (`#/query/limit`); fix the value and send the request again.",
    ),
    "malformed_body": ProblemKind(
        400,
        "malformed-body",
        "Malformed request body",
        "The body is missing or is not valid JSON. Send a JSON document with "
        "`Content-Type: application/json`.",
    ),
    "invalid_cursor": ProblemKind(
        400,
        "invalid-cursor",
        "Invalid cursor",
        "The `cursor` is not one this API issued, was altered, or belongs to another sort "
        "order. Pass back `nextCursor` exactly as received, or start again without one.",
    ),
    "unauthenticated": ProblemKind(
        401,
        "unauthenticated",
        "Authentication required",
        "Send `Authorization: Bearer <token>` with a valid, unexpired JWT from the identity "
        "provider. `detail` says what is wrong with the token that was sent.",
    ),
    "permission_denied": ProblemKind(
        403,
        "permission-denied",
        "Permission denied",
        "The token is valid but lacks a permission code the operation declares "
        "(`x-permissions` in the spec). Ask an administrator for the permission; it takes "
        "effect on the next token.",
    ),
    "unknown_tenant": ProblemKind(
        403,
        "unknown-tenant",
        "Unknown tenant",
        "The token's `tenantId` names no active tenant. The tenant may have been removed; "
        "sign in again.",
    ),
    "not_found": ProblemKind(
        404,
        "not-found",
        "Resource not found",
        "Nothing exists at this URL for your tenant: the id is wrong, the resource was "
        "deleted, or the path is not part of the API.",
    ),
    "method_not_allowed": ProblemKind(
        405,
        "method-not-allowed",
        "Method not allowed",
        "The path exists but not with this HTTP method; the `Allow` header lists the "
        "methods it has.",
    ),
    "not_acceptable": ProblemKind(
        406,
        "not-acceptable",
        "Not acceptable",
        "The API answers in `application/json` and `application/problem+json` only.",
    ),
    "user_inactive": ProblemKind(
        403,
        "user-inactive",
        "User deactivated",
        "Your user was deactivated or removed in this tenant; an administrator can reactivate it.",
    ),
    "duplicate": ProblemKind(
        409,
        "duplicate",
        "Already exists",
        "A value that must be unique in your tenant (a code, an asset tag, an e-mail) is "
        "already used; `field` names it. Choose another value or update the existing item.",
    ),
    "asset_hierarchy_cycle": ProblemKind(
        409,
        "asset-hierarchy-cycle",
        "Asset hierarchy cycle",
        "An asset cannot be moved under itself or one of its own descendants.",
    ),
    "asset_has_children": ProblemKind(
        409,
        "asset-has-children",
        "Asset has children",
        "Move or delete the asset's child assets before deleting it.",
    ),
    "self_lockout": ProblemKind(
        409,
        "self-lockout",
        "Cannot lock yourself out",
        "You cannot deactivate or delete your own user; another administrator can.",
    ),
    "entry_already_corrected": ProblemKind(
        409,
        "entry-already-corrected",
        "Entry already corrected",
        "A log entry is corrected once; to change it again, correct the correcting entry "
        "(`supersededById`).",
    ),
    "webhook_delivery_not_retryable": ProblemKind(
        409,
        "webhook-delivery-not-retryable",
        "Delivery cannot be retried",
        "Only a failed delivery of an enabled webhook endpoint can be retried by hand; "
        "enable the endpoint first, or wait for a pending delivery's own retries.",
    ),
    "report_not_ready": ProblemKind(
        409,
        "report-not-ready",
        "Report not ready",
        "The report's file exists only once its status is `succeeded`; poll the report "
        "(`GET /v1/reports/{reportId}`) until then. A failed report has no file: request "
        "a new one.",
    ),
    "precondition_failed": ProblemKind(
        412,
        "precondition-failed",
        "Precondition failed",
        "The resource changed since the version named in `If-Match`. Read it again, "
        "re-apply your change, and send the new `ETag`.",
    ),
    "idempotency_key_reused": ProblemKind(
        422,
        "idempotency-key-reused",
        "Idempotency key reused",
        "This `Idempotency-Key` was already used for a different request in the last 24 "
        "hours. Use a new key for a new request; resend the same body to get the first "
        "response again.",
    ),
    "invalid_status_transition": ProblemKind(
        409,
        "invalid-status-transition",
        "Status change not allowed",
        "The work order's status cannot move to the requested one. `allowedStatuses` lists "
        "where it can go; `complete` and `cancelled` are final.",
    ),
    "unsupported_media_type": ProblemKind(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        "Send request bodies as `application/json`.",
    ),
    "validation_failed": ProblemKind(
        422,
        "validation-failed",
        "Validation failed",
        "The JSON body does not match the operation's schema. `errors` lists every failed "
        "field as a JSON pointer into the body with what is wrong with it.",
    ),
    "webhook_target_refused": ProblemKind(
        422,
        "webhook-target-refused",
        "Webhook target refused",
        "Webhook URLs must be https and their host must resolve to public addresses only "
        "(no loopback, private or link-local address); `errors` says what was refused. "
        "Checked when saved and again before every delivery.",
    ),
    "invalid_reference": ProblemKind(
        422,
        "invalid-reference",
        "Invalid reference",
        "A field names a related resource (an asset, a user...) that does not exist in your "
        "tenant.",
    ),
    "rate_limited": ProblemKind(
        429,
        "rate-limited",
        "Too many requests",
        "Your tenant or your token has used up its rate limit (`RateLimit-Policy` says "
        "which quotas apply, `RateLimit` what is left). Nothing was done; retry after the "
        "seconds in `Retry-After`.",
    ),
    "internal_error": ProblemKind(
        500,
        "internal-error",
        "Internal server error",
        "The server failed unexpectedly and changed nothing. Retry later; if it persists, "
        "report it with the `X-Request-Id` response header.",
    ),
    "service_unavailable": ProblemKind(
        503,
        "service-unavailable",
        "Service unavailable",
        "A dependency (the database) cannot serve right now: it is restarting, unreachable, "
        "out of connections, or did not answer in time. Nothing was changed. Retry after the "
        "`Retry-After` seconds, with backoff.",
    ),
    "commit_outcome_unknown": ProblemKind(
        503,
        "commit-outcome-unknown",
        "Outcome unknown",
        "The connection to the database was lost while the change was being committed, so "
        "the server cannot tell whether it was applied. Retry the same request with the same "
        "`Idempotency-Key`: if the change was applied you get its first response "
        "(`Idempotent-Replayed: true`), otherwise it is applied now. Without a key, read "
        "the resource before retrying.",
    ),
    "request_timeout": ProblemKind(
        408,
        "request-timeout",
        "Request timeout",
        "The request body did not arrive in time (a `Content-Length` promised more than was "
        "sent). Send the whole body promptly.",
    ),
    "payload_too_large": ProblemKind(
        413,
        "payload-too-large",
        "Request body too large",
        "The body is larger than this operation accepts (`maxBytes`; 1 MiB unless the "
        "operation declares more). Send less per request (paginate, split the batch).",
    ),
    "header_fields_too_large": ProblemKind(
        431,
        "header-fields-too-large",
        "Request headers too large",
        "The request's headers together exceed the limit (`maxBytes`). Send fewer or shorter "
        "headers (cookies are not needed by this API).",
    ),
}

_BY_STATUS = {
    400: "invalid_parameter",
    401: "unauthenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    415: "unsupported_media_type",
}


def problem_response(
    code: str,
    detail: str,
    *,
    instance: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> ConnexionResponse:
    kind = CATALOG[code]
    body: dict[str, Any] = {
        "type": kind.type,
        "title": kind.title,
        "status": kind.status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    for key, value in (extra or {}).items():
        body.setdefault(key, value)
    out_headers = dict(headers or {})
    request_id = current_request_id()
    if request_id:
        out_headers["X-Request-Id"] = request_id
    if kind.status == 401:
        out_headers.setdefault("WWW-Authenticate", 'Bearer realm="maintrac"')
    return ConnexionResponse(
        status_code=kind.status,
        mimetype=PROBLEM_JSON,
        content_type=PROBLEM_JSON,
        body=json.dumps(body, separators=(",", ":")).encode(),
        headers=out_headers,
    )


def starlette_problem(
    code: str,
    detail: str,
    path: str,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    """The same problem body as ``problem_response``, for plain Starlette routes."""
    response = problem_response(
        code, detail, instance=_quote_path(path), headers=headers, extra=extra
    )
    return Response(
        response.body,
        status_code=response.status_code,
        headers=response.headers,
        media_type=PROBLEM_JSON,
    )


def _quote_path(path: str) -> str:
    return quote(path, safe="/:@!$&'()*+,;=-._~")


def request_instance(request: ConnexionRequest) -> str:
    """The request path as a valid URI reference (percent-encoded where it must be): the
    contract's ``instance`` is a ``uri-reference``, and a decoded path may hold spaces,
    quotes or non-ASCII characters."""
    return _quote_path(request.url.path)


_instance = request_instance


def domain_error_handler(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    if not isinstance(exc, DomainError):
        raise TypeError(exc)
    kind = CATALOG[exc.code]
    if kind.status >= 500:
        logger.error("domain error %s: %s", exc.code, exc.detail)
    headers = {}
    if exc.code == "unauthenticated":
        headers["WWW-Authenticate"] = 'Bearer realm="maintrac", error="invalid_token"'
    return problem_response(
        exc.code, exc.detail, instance=_instance(request), headers=headers, extra=dict(exc.fields)
    )


def validation_error_handler(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    if not isinstance(exc, RequestValidationFailed):
        raise TypeError(exc)
    code = {
        "parameter": "invalid_parameter",
        "cursor": "invalid_cursor",
        "body": "validation_failed",
    }.get(exc.kind, "malformed_body")
    return problem_response(code, exc.detail, instance=_instance(request), errors=exc.errors)


_FIXED_DETAILS = {
    "unsupported_media_type": "Send the request body as 'application/json'.",
    "not_acceptable": "The API answers in application/json and application/problem+json only.",
    "permission_denied": "You do not have permission for this operation.",
}


def _clean_detail(code: str, request: ConnexionRequest, exc: HTTPException) -> str:
    """A sentence for a framework exception; its own text is never passed through."""
    path = str(request.url.path)
    if code == "not_found":
        return f"There is no endpoint at {path}."
    if code == "method_not_allowed":
        return f"{request.method} is not a method of {path}."
    if code == "unauthenticated":
        raw = str(exc.detail or "")
        if "No authorization token" in raw or "Invalid authorization header" in raw:
            return "Send an 'Authorization: Bearer <token>' header."
        return "The bearer token is not valid."
    return _FIXED_DETAILS.get(code, "The request is not valid.")


def http_exception_handler(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    if not isinstance(exc, HTTPException):
        raise TypeError(exc)
    status = getattr(exc, "status", None) or exc.status_code
    code = _BY_STATUS.get(status)
    if code is None:
        if status >= 500:
            logger.error("framework error %s: %r", status, exc)
        code = "internal_error" if status >= 500 else "invalid_parameter"
    headers = dict(exc.headers or {})
    headers.pop("Content-Type", None)
    if isinstance(exc, ProblemException) and status >= 500:
        logger.error("server problem: %s", exc.detail)
    return problem_response(
        code,
        _clean_detail(code, request, exc) if code != "internal_error" else _INTERNAL,
        instance=_instance(request),
        headers=headers,
    )


_INTERNAL = (
    "The server failed to handle the request; nothing was changed. "
    "Quote the X-Request-Id header when reporting it."
)


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def unavailable_handler(retry_after: int) -> Any:
    """503 for a database that cannot serve now (``db.errors.DatabaseUnavailable``) and
    for a lost COMMIT (``CommitOutcomeUnknown``), each with ``Retry-After``."""

    def handle(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        headers = {"Retry-After": str(retry_after)}
        # A safe method changes nothing, so a lost COMMIT of a read is a plain 503.
        if isinstance(exc, CommitOutcomeUnknown) and request.method not in _SAFE_METHODS:
            logger.error(
                "commit outcome unknown on %s %s: %s", request.method, request.url.path, exc
            )
            return problem_response(
                "commit_outcome_unknown",
                "The connection to the database was lost during the commit: the change may or "
                "may not have been applied. Retry with the same Idempotency-Key.",
                instance=_instance(request),
                headers=headers,
            )
        reason = exc.reason if isinstance(exc, DatabaseUnavailable) else "connection_lost"
        detail = (
            exc.detail
            if isinstance(exc, DatabaseUnavailable)
            else "The connection to the database was lost."
        )
        logger.warning(
            "database unavailable (%s) on %s %s", reason, request.method, request.url.path
        )
        return problem_response(
            "service_unavailable",
            f"{detail} Nothing was changed; retry later.",
            instance=_instance(request),
            headers=headers,
            extra={"reason": reason},
        )

    return handle


def unexpected_error_handler(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    errors.report(exc)
    logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response("internal_error", _INTERNAL, instance=_instance(request))
