"""Reference data use cases, one implementation for asset categories, task codes and GL codes.

A code taken by another live item of the same kind (ignoring case) is refused by the
partial unique index ``uq_<table>_code``, which becomes a 409 ``duplicate``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from maintrac.core.concurrency import ExpectedVersion, check_version
from maintrac.core.errors import NotFound
from maintrac.core.ids import new_id
from maintrac.core.pagination import CursorCodec, Page
from maintrac.core.reference_data import (
    NewReferenceItem,
    ReferenceItem,
    ReferenceItemChanges,
    ReferenceKind,
)
from maintrac.core.text import tidy
from maintrac.db import reference_data as repo
from maintrac.db.transaction import TenantSession
from maintrac.services import cache
from maintrac.services.paging import paginate


def _not_found(kind: ReferenceKind, item_id: uuid.UUID) -> NotFound:
    return NotFound(f"No {kind.label} {item_id}.", resource=kind.value)


def get_item(session: TenantSession, kind: ReferenceKind, item_id: uuid.UUID) -> ReferenceItem:
    """Read through the tenant's reference-data cache (``services.cache``)."""

    def load() -> ReferenceItem:
        found = repo.repository_of(kind).get(session, item_id)
        if found is None:
            raise _not_found(kind, item_id)
        return found

    return cache.reference_cache().read_through(
        session, kind, f"item:{item_id}", load, encode=cache.encode_item, decode=cache.decode_item
    )


def create_item(
    session: TenantSession, kind: ReferenceKind, new: NewReferenceItem
) -> ReferenceItem:
    created = repo.repository_of(kind).insert(
        session,
        {
            "id": new_id(),
            "code": new.code,
            "name": tidy(new.name),
            "description": new.description,
        },
    )
    cache.reference_cache().invalidate_after_commit(session, kind)
    return created


def update_item(
    session: TenantSession,
    kind: ReferenceKind,
    item_id: uuid.UUID,
    changes: ReferenceItemChanges,
    expected_version: ExpectedVersion = None,
) -> ReferenceItem:
    items = repo.repository_of(kind)
    current = items.get(session, item_id, for_update=True)
    if current is None:
        raise _not_found(kind, item_id)
    check_version(kind.label, current.version, expected_version)
    if "name" in changes:
        changes["name"] = tidy(changes["name"])
    values = {k: v for k, v in changes.items() if getattr(current, k) != v}
    if not values:
        return current
    cache.reference_cache().invalidate_after_commit(session, kind)
    return items.update(session, item_id, values)


def delete_item(
    session: TenantSession,
    kind: ReferenceKind,
    item_id: uuid.UUID,
    expected_version: ExpectedVersion = None,
) -> None:
    """Soft delete: records that use the item keep their reference to it."""
    items = repo.repository_of(kind)
    current = items.get(session, item_id, for_update=True)
    if current is None:
        raise _not_found(kind, item_id)
    check_version(kind.label, current.version, expected_version)
    items.soft_delete(session, item_id)
    cache.reference_cache().invalidate_after_commit(session, kind)


@dataclass(frozen=True, slots=True)
class ReferenceQuery:
    search: str | None = None
    limit: int = 50
    cursor: str | None = None


def list_items(
    session: TenantSession, kind: ReferenceKind, query: ReferenceQuery, codec: CursorCodec
) -> Page[ReferenceItem]:
    def load() -> Page[ReferenceItem]:
        return paginate(
            session,
            codec,
            repo.keyset_of(kind),
            query.cursor,
            query.limit,
            {"list": kind.value, "search": query.search},
            lambda after, limit: repo.list_items(
                session, kind, search=query.search, after=after, limit=limit
            ),
        )

    # A cursor is checked when the page is loaded (a forged one is a 400 and nothing is
    # cached); one the server issued names the same page for every caller of the tenant,
    # since cursors are bound to the tenant and the query.
    what = json.dumps(["list", query.search, query.limit, query.cursor])
    return cache.reference_cache().read_through(
        session, kind, what, load, encode=cache.encode_page, decode=cache.decode_page
    )
