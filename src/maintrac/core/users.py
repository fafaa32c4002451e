"""People: each tenant's users, mirrored from the identity provider."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

from maintrac.core.notices import NotificationPreferences


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
    notification_preferences: NotificationPreferences = field(
        default_factory=NotificationPreferences
    )


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
    #: kinds to turn on or off, by their wire names (``workOrderAssigned``...)
    notification_preferences: dict[str, bool]


def fallback_display_name(subject: str) -> str:
    """A name for a user whose token carries none: recognisable, never empty."""
    return f"User {subject[:40]}"
