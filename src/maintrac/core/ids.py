"""Identifiers: UUIDv7 everywhere (time-ordered, so primary-key indexes stay compact)."""

from __future__ import annotations

import uuid

import uuid6


def new_id() -> uuid.UUID:
    """A new UUIDv7, monotonic within this process."""
    return uuid.UUID(int=uuid6.uuid7().int)
