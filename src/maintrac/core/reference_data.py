"""Reference data: asset categories, task codes and GL codes.

The three kinds are the same resource (a short code, a name, a description) kept in three
tables; every rule below holds for each of them. A code is unique in the tenant ignoring
case among live items, so a deleted item's code can be used again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypedDict


class ReferenceKind(StrEnum):
    """Which list an item belongs to; the value is its resource name in errors."""

    ASSET_CATEGORY = "asset_category"
    TASK_CODE = "task_code"
    GL_CODE = "gl_code"

    @property
    def label(self) -> str:
        """The kind in a sentence: "asset category", "task code", "GL code"."""
        return _LABELS[self]


_LABELS = {
    ReferenceKind.ASSET_CATEGORY: "asset category",
    ReferenceKind.TASK_CODE: "task code",
    ReferenceKind.GL_CODE: "GL code",
}


@dataclass(frozen=True, slots=True)
class ReferenceItem:
    id: uuid.UUID
    code: str
    name: str
    description: str | None
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class NewReferenceItem:
    code: str
    name: str
    description: str | None = None


class ReferenceItemChanges(TypedDict, total=False):
    code: str
    name: str
    description: str | None
