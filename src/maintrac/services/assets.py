"""Asset use cases: the hierarchy rules of ``core.assets`` on top of ``db.assets``.

Locking, so that concurrent requests cannot break the rules:

- a new parent is locked ``FOR KEY SHARE`` (``lock_live``) before a child is put under it,
  and a delete locks the asset ``FOR UPDATE`` before looking for children: a child cannot
  appear under an asset that is being deleted;
- a move takes the tenant's hierarchy lock (``lock_hierarchy``) before anything else, so
  two moves cannot together make a cycle that neither saw.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from maintrac.core.assets import (
    Asset,
    AssetChanges,
    AssetStatus,
    NewAsset,
    check_move,
    missing_reference,
)
from maintrac.core.concurrency import ExpectedVersion, check_version
from maintrac.core.errors import AssetHasChildren, NotFound
from maintrac.core.ids import new_id
from maintrac.core.pagination import CursorCodec, Page
from maintrac.core.reference_data import ReferenceKind
from maintrac.core.text import tidy
from maintrac.db import assets as repo
from maintrac.db.reference_data import repository_of
from maintrac.db.transaction import TenantSession
from maintrac.services.paging import paginate


def _not_found(asset_id: uuid.UUID) -> NotFound:
    return NotFound(f"No asset {asset_id}.", resource="asset")


def _require_parent(session: TenantSession, parent_id: uuid.UUID) -> None:
    """The parent must be a live asset of the tenant; it stays so until commit."""
    if not repo.lock_live(session, parent_id):
        raise missing_reference("parentId")


def _require_category(session: TenantSession, category_id: uuid.UUID) -> None:
    """A deleted category keeps the assets already in it, but takes no new ones.

    An absent or another tenant's id is also refused by the composite foreign key.
    """
    if not repository_of(ReferenceKind.ASSET_CATEGORY).exists(session, category_id):
        raise missing_reference("categoryId")


def get_asset(session: TenantSession, asset_id: uuid.UUID) -> Asset:
    found = repo.assets.get(session, asset_id)
    if found is None:
        raise _not_found(asset_id)
    return found


def create_asset(session: TenantSession, new: NewAsset) -> Asset:
    if new.parent_id is not None:
        _require_parent(session, new.parent_id)
    if new.category_id is not None:
        _require_category(session, new.category_id)
    return repo.assets.insert(
        session,
        {
            "id": new_id(),
            "parent_id": new.parent_id,
            "category_id": new.category_id,
            "name": tidy(new.name),
            "code": new.code,
            "description": new.description,
            "location": new.location,
            "serial_number": new.serial_number,
            "manufacturer": new.manufacturer,
            "model": new.model,
            "status": new.status,
        },
    )


def update_asset(
    session: TenantSession,
    asset_id: uuid.UUID,
    changes: AssetChanges,
    expected_version: ExpectedVersion = None,
) -> Asset:
    """Change fields; a new ``parent_id`` moves the asset with its whole subtree."""
    moving = changes.get("parent_id") is not None
    if moving:
        repo.lock_hierarchy(session)
    current = repo.assets.get(session, asset_id, for_update=True)
    if current is None:
        raise _not_found(asset_id)
    check_version("asset", current.version, expected_version)
    if "name" in changes:
        changes["name"] = tidy(changes["name"])
    values: dict[str, Any] = {k: v for k, v in changes.items() if getattr(current, k) != v}
    if "status" in values:
        values["status"] = AssetStatus(values["status"])
    new_parent = values.get("parent_id")
    if isinstance(new_parent, uuid.UUID):
        _require_parent(session, new_parent)
        check_move(asset_id, new_parent, repo.lineage_ids(session, new_parent))
    new_category = values.get("category_id")
    if isinstance(new_category, uuid.UUID):
        _require_category(session, new_category)
    if not values:
        return current
    return repo.assets.update(session, asset_id, values)


def delete_asset(
    session: TenantSession, asset_id: uuid.UUID, expected_version: ExpectedVersion = None
) -> None:
    """Soft delete; refused while the asset has live children."""
    current = repo.assets.get(session, asset_id, for_update=True)
    if current is None:
        raise _not_found(asset_id)
    check_version("asset", current.version, expected_version)
    if repo.has_live_children(session, asset_id):
        raise AssetHasChildren(f"Asset {asset_id} has child assets: move or delete them first.")
    repo.assets.soft_delete(session, asset_id)


@dataclass(frozen=True, slots=True)
class AssetQuery:
    parent_id: uuid.UUID | None = None
    root: bool | None = None
    category_id: uuid.UUID | None = None
    statuses: Sequence[AssetStatus] = ()
    limit: int = 50
    cursor: str | None = None


def list_assets(session: TenantSession, query: AssetQuery, codec: CursorCodec) -> Page[Asset]:
    scope = {
        "list": "assets",
        "parent_id": query.parent_id,
        "root": query.root,
        "category_id": query.category_id,
        "statuses": query.statuses,
    }
    return paginate(
        session,
        codec,
        repo.NEWEST_FIRST,
        query.cursor,
        query.limit,
        scope,
        lambda after, limit: repo.list_assets(
            session,
            parent_id=query.parent_id,
            root=query.root,
            category_id=query.category_id,
            statuses=[s.value for s in query.statuses] or None,
            after=after,
            limit=limit,
        ),
    )
