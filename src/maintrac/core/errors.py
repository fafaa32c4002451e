"""Domain errors: a stable code and structured fields, never an HTTP status.

The api layer maps each ``code`` to a status and a problem ``type`` URI in one table
(``maintrac.api.problems``); a test checks that every code here is mapped and that
every problem type is documented in the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class DomainError(Exception):
    """An expected failure. ``code`` is part of the public contract: never rename one."""

    code: ClassVar[str] = "domain_error"

    def __init__(self, detail: str, **fields: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fields: Mapping[str, Any] = fields


class NotFound(DomainError):
    """The resource does not exist for this tenant (or is soft-deleted).

    Also raised for another tenant's resource, so existence never leaks across tenants.
    """

    code = "not_found"


class InvalidStatusTransition(DomainError):
    """A status change the state machine does not allow; names the allowed next states."""

    code = "invalid_status_transition"


class InvalidCursor(DomainError):
    """A pagination cursor that is garbled, forged, or issued for another query."""

    code = "invalid_cursor"


class InvalidReference(DomainError):
    """A field names a related resource that does not exist for this tenant."""

    code = "invalid_reference"


class UnknownTenant(DomainError):
    """The token names a tenant that does not exist (or was deactivated)."""

    code = "unknown_tenant"


class PermissionDenied(DomainError):
    """The caller lacks a permission code the operation declares."""

    code = "permission_denied"


class Unauthenticated(DomainError):
    """No credentials, or credentials that do not verify."""

    code = "unauthenticated"


class UserInactive(DomainError):
    """The caller's user record in this tenant was deactivated or removed."""

    code = "user_inactive"


class PreconditionFailed(DomainError):
    """``If-Match`` named a version that is no longer current."""

    code = "precondition_failed"


class Duplicate(DomainError):
    """A value that must be unique in the tenant (a code, an e-mail) is already taken."""

    code = "duplicate"


class InvalidFields(DomainError):
    """Input that passed the schema but breaks a rule about its values.

    ``errors`` lists ``{"pointer": "/field", "detail": "..."}`` like schema failures do.
    """

    code = "validation_failed"

    def __init__(self, errors: list[dict[str, str]], detail: str | None = None) -> None:
        first = errors[0]
        super().__init__(
            detail or f"{first['pointer'] or 'The body'}: {first['detail']}", errors=errors
        )


class SelfLockout(DomainError):
    """A user deactivating or deleting themselves would lock themselves out."""

    code = "self_lockout"


class IdempotencyKeyReused(DomainError):
    """An ``Idempotency-Key`` sent again with a different request."""

    code = "idempotency_key_reused"


class AssetHierarchyCycle(DomainError):
    """Moving an asset under itself or one of its descendants."""

    code = "asset_hierarchy_cycle"


class AssetHasChildren(DomainError):
    """Deleting an asset that still has live child assets."""

    code = "asset_has_children"


class AlreadyCorrected(DomainError):
    """A log entry can be corrected once; correct the correction instead."""

    code = "entry_already_corrected"


class ReportNotReady(DomainError):
    """A report's file was asked for before the report succeeded (or after it failed)."""

    code = "report_not_ready"


ALL_ERRORS: tuple[type[DomainError], ...] = (
    NotFound,
    InvalidStatusTransition,
    InvalidCursor,
    InvalidReference,
    UnknownTenant,
    PermissionDenied,
    Unauthenticated,
    UserInactive,
    PreconditionFailed,
    Duplicate,
    InvalidFields,
    IdempotencyKeyReused,
    AssetHierarchyCycle,
    AssetHasChildren,
    AlreadyCorrected,
    SelfLockout,
    ReportNotReady,
)
