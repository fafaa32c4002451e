"""Assets: equipment and places in one hierarchy (site > building > equipment, any depth).

Rules: a parent and a category must be live items of the tenant; an asset cannot be moved
under itself or one of its descendants (the hierarchy stays a forest); an asset with live
children cannot be deleted; ``code`` (the asset tag) is unique in the tenant ignoring case.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypedDict

from maintrac.core.errors import AssetHierarchyCycle, InvalidReference


class AssetStatus(StrEnum):
    IN_SERVICE = "in_service"
    DOWN = "down"
    RETIRED = "retired"


@dataclass(frozen=True, slots=True)
class Asset:
    id: uuid.UUID
    parent_id: uuid.UUID | None
    category_id: uuid.UUID | None
    name: str
    code: str | None
    description: str | None
    location: str | None
    serial_number: str | None
    manufacturer: str | None
    model: str | None
    status: AssetStatus
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class NewAsset:
    name: str
    parent_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None
    code: str | None = None
    description: str | None = None
    location: str | None = None
    serial_number: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    status: AssetStatus = AssetStatus.IN_SERVICE


class AssetChanges(TypedDict, total=False):
    name: str
    parent_id: uuid.UUID | None
    category_id: uuid.UUID | None
    code: str | None
    description: str | None
    location: str | None
    serial_number: str | None
    manufacturer: str | None
    model: str | None
    status: AssetStatus


def check_move(
    asset_id: uuid.UUID, new_parent_id: uuid.UUID, parent_lineage: Collection[uuid.UUID]
) -> None:
    """Refuse to put an asset under itself or under one of its own descendants.

    ``parent_lineage`` is the new parent and all its ancestors up to the root: the new
    parent is a descendant of the asset exactly when the asset is in that chain.
    """
    if new_parent_id == asset_id:
        raise AssetHierarchyCycle(f"Asset {asset_id} cannot be its own parent.")
    if asset_id in parent_lineage:
        raise AssetHierarchyCycle(
            f"Asset {new_parent_id} is a descendant of asset {asset_id}: moving {asset_id} "
            "under it would make a cycle."
        )


def missing_reference(field: str) -> InvalidReference:
    """The error for a field naming an item that is absent, deleted or another tenant's."""
    return InvalidReference(
        f"'{field}' names nothing that exists in your tenant.",
        field=field,
        errors=[{"pointer": f"/{field}", "detail": "Does not exist in your tenant."}],
    )
