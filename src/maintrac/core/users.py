"""People: each tenant's users, mirrored from the identity provider."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict


@dataclass(frozen=True, slots=True)
class User:
    id: uuid.UUID
    external_id: str | None
    display_name: str
    email: str | None
    role: str
    active: bool
    last_seen_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class NewUser:
    display_name: str
    email: str | None = None
    role: str = "technician"
    external_id: str | None = None
    active: bool = True


class UserChanges(TypedDict, total=False):
    display_name: str
    email: str | None
    role: str
    external_id: str | None
    active: bool


def fallback_display_name(subject: str) -> str:
    """A name for a user whose token carries none: recognisable, never empty."""
    return f"User {subject[:40]}"
