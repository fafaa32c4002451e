"""Who is calling, and what they may do: resolved from the token alone."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from maintrac.core.errors import PermissionDenied

#: Every permission code the API knows. Tokens may carry others; they grant nothing.
PERMISSIONS: frozenset[str] = frozenset(
    {
        "work_orders:read",
        "work_orders:write",
        "assets:read",
        "assets:write",
        "reference_data:write",
        "pm:read",
        "pm:write",
        "reports:generate",
        "sync:use",
        "users:read",
        "users:write",
        "reference_data:read",
        "readings:write",
        # Webhook endpoints and their deliveries (admins and integrations).
        "webhooks:manage",
    }
)

ROLES: frozenset[str] = frozenset({"admin", "planner", "technician", "viewer", "integration"})


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller: user id (the token's ``sub``), tenant, role, permissions."""

    subject: str
    tenant_id: uuid.UUID
    role: str
    permissions: frozenset[str]
    display_name: str | None = None
    email: str | None = None
    #: The identity provider vouches for ``email`` (the token's ``email_verified`` claim).
    email_verified: bool = False

    def require(self, codes: Iterable[str]) -> None:
        """Every code in ``codes`` must be held; otherwise PermissionDenied names the missing."""
        missing = sorted(set(codes) - self.permissions)
        if missing:
            raise PermissionDenied(
                "This operation needs permission " + ", ".join(f"'{c}'" for c in missing) + ".",
                missing=missing,
            )
