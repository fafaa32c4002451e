"""The asset repository and the hierarchy (``parent_id``), walked with recursive CTEs."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import exists, func, literal, select

from maintrac.core.assets import Asset, AssetStatus
from maintrac.db.models import AssetRow
from maintrac.db.paging import Keyset, as_uuid, part
from maintrac.db.repository import Positional, Repository
from maintrac.db.transaction import TenantSession


def to_asset(row: AssetRow) -> Asset:
    return Asset(
        id=row.id,
        parent_id=row.parent_id,
        category_id=row.category_id,
        name=row.name,
        code=row.code,
        description=row.description,
        location=row.location,
        serial_number=row.serial_number,
        manufacturer=row.manufacturer,
        model=row.model,
        status=AssetStatus(row.status),
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


assets: Final = Repository(
    AssetRow, to_asset, positional=Positional(Asset, enums={"status": AssetStatus})
)

#: Newest first (UUIDv7 ids sort by creation).
NEWEST_FIRST: Final[Keyset[Asset]] = Keyset(
    "-createdAt", (part(AssetRow.id, as_uuid),), descending=True
)

#: Names the advisory lock that serialises moves in one tenant's hierarchy.
_HIERARCHY_LOCK = "maintrac.assets.hierarchy:"


def lock_hierarchy(session: TenantSession) -> None:
    """Serialise changes of ``parent_id`` in the current tenant until the transaction ends.

    Two moves checked concurrently could each pass the cycle check and together make a
    cycle (A under B while B goes under A). Holding this lock, a move's check sees every
    move committed before it. Take it before any row lock, so that moves cannot deadlock.
    Other tenants are not blocked (barring a hash collision, which only costs a wait).
    """
    key = func.hashtextextended(
        literal(_HIERARCHY_LOCK) + func.current_setting("app.current_tenant", True), 0
    )
    session.execute(select(func.pg_advisory_xact_lock(key)))


def lock_live(session: TenantSession, asset_id: uuid.UUID) -> bool:
    """The live asset, locked ``FOR KEY SHARE`` against deletion until the transaction ends.

    For an asset about to become a parent: a concurrent delete (which locks the row FOR
    UPDATE, then looks for children) either waits for the new child to commit, and sees
    it, or commits first, and then this returns False.
    """
    statement = (
        select(AssetRow.id)
        .where(AssetRow.id == asset_id, AssetRow.deleted_at.is_(None))
        .with_for_update(key_share=True)
    )
    return session.execute(statement).first() is not None


def has_live_children(session: TenantSession, asset_id: uuid.UUID) -> bool:
    statement = select(
        exists().where(AssetRow.parent_id == asset_id, AssetRow.deleted_at.is_(None))
    )
    return bool(session.execute(statement).scalar_one())


def lineage_ids(session: TenantSession, asset_id: uuid.UUID) -> list[uuid.UUID]:
    """The asset and all its ancestors up to the root (empty when it does not exist).

    As many rows as the hierarchy is deep, each found by primary key. ``UNION`` (not
    ``UNION ALL``) ends the walk even on a cycle that should never exist.
    """
    base = select(AssetRow.id, AssetRow.parent_id).where(AssetRow.id == asset_id)
    chain = base.cte("lineage", recursive=True)
    step = select(AssetRow.id, AssetRow.parent_id).join(chain, AssetRow.id == chain.c.parent_id)
    chain = chain.union(step)
    return list(session.scalars(select(chain.c.id)))


def descendant_ids(session: TenantSession, asset_id: uuid.UUID) -> list[uuid.UUID]:
    """The live asset itself and all its live descendants, at any depth.

    Empty when the asset does not exist, is soft-deleted, or is another tenant's. A
    deleted asset's subtree is not followed (a live asset never has a deleted parent:
    deleting an asset with live children is refused). Each level is found through
    ``ix_assets_parent``.
    """
    base = select(AssetRow.id).where(AssetRow.id == asset_id, AssetRow.deleted_at.is_(None))
    tree = base.cte("subtree", recursive=True)
    step = select(AssetRow.id).join(tree, AssetRow.parent_id == tree.c.id)
    tree = tree.union(step.where(AssetRow.deleted_at.is_(None)))
    return list(session.scalars(select(tree.c.id)))


def list_assets(
    session: TenantSession,
    *,
    parent_id: uuid.UUID | None,
    root: bool | None,
    category_id: uuid.UUID | None,
    statuses: Sequence[str] | None,
    after: Sequence[Any] | None,
    limit: int,
) -> list[Asset]:
    """Live assets, newest first."""
    where: list[Any] = []
    if parent_id is not None:
        where.append(AssetRow.parent_id == parent_id)
    if root is not None:
        where.append(AssetRow.parent_id.is_(None) if root else AssetRow.parent_id.is_not(None))
    if category_id is not None:
        where.append(AssetRow.category_id == category_id)
    if statuses:
        where.append(AssetRow.status.in_(statuses))
    return assets.page(session, NEWEST_FIRST, *where, after=after, limit=limit)
