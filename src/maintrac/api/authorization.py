"""Bearer authentication and permission checks, driven by the spec.

Connexion calls the verifier for every operation that declares ``bearerAuth``. It
verifies the JWT (``maintrac.api.security``), then checks the permission codes that the
operation declares under ``x-permissions`` in the spec: one table, read from the
``Contract`` at start-up (``Contract.permissions()``), enforced here and nowhere else. No
database round-trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connexion.security import BearerSecurityHandler

from maintrac.api.security import TokenVerifier
from maintrac.core.errors import PermissionDenied


def bearer_handler(
    verifier: TokenVerifier, permissions: Mapping[str, tuple[str, ...]]
) -> type[BearerSecurityHandler]:
    """A Connexion bearer handler class bound to ``verifier`` and the permission table."""

    def verify(token: str, request: Any) -> dict[str, Any]:
        principal = verifier.verify(token)
        routing = request.scope.get("extensions", {}).get("connexion_routing", {})
        operation_id = routing.get("operation_id")
        required = permissions.get(operation_id) if operation_id else None
        if required is None:
            # An operation missing from the table must never be open to everyone.
            raise PermissionDenied("This operation is not available to this token.")
        principal.require(required)
        return {"sub": principal.subject, "principal": principal}

    class JWTBearerHandler(BearerSecurityHandler):  # type: ignore[misc]
        def _resolve_func(self, _security_scheme: Mapping[str, Any]) -> Any:
            return verify

    return JWTBearerHandler
