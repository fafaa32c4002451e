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
from maintrac.db import crud
from maintrac.db import reference_data as repo
from maintrac.db.reference_data import ReferenceRow
from maintrac.db.transaction import TenantSession
from maintrac.services import cache
from maintrac.services.paging import as_uuid, decode_after, make_page

#: The one sort of reference lists: by code ignoring case, then id. Codes are ASCII (the
#: column's CHECK), so ``str.lower`` here makes the same key as ``lower(code)`` there.
SORT = "code"


def to_item(row: ReferenceRow) -> ReferenceItem:
    return ReferenceItem(
        id=row.id,
        code=row.code,
        name=row.name,
        description=row.description,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _not_found(kind: ReferenceKind, item_id: uuid.UUID) -> NotFound:
    return NotFound(f"No {kind.label} {item_id}.", resource=kind.value)


def get_item(session: TenantSession, kind: ReferenceKind, item_id: uuid.UUID) -> ReferenceItem:
    """Read through the tenant's reference-data cache (``services.cache``)."""

    def load() -> ReferenceItem:
        row = crud.get_live(session, repo.model_for(kind), item_id)
        if row is None:
            raise _not_found(kind, item_id)
        return to_item(row)

    return cache.reference_cache().read_through(
        session, kind, f"item:{item_id}", load, encode=cache.encode_item, decode=cache.decode_item
    )


def create_item(
    session: TenantSession, kind: ReferenceKind, new: NewReferenceItem
) -> ReferenceItem:
    row = crud.insert_row(
        session,
        repo.model_for(kind),
        {
            "id": new_id(),
            "code": new.code,
            "name": tidy(new.name),
            "description": new.description,
        },
    )
    cache.reference_cache().invalidate_after_commit(session, kind)
    return to_item(row)


def update_item(
    session: TenantSession,
    kind: ReferenceKind,
    item_id: uuid.UUID,
    changes: ReferenceItemChanges,
    expected_version: ExpectedVersion = None,
) -> ReferenceItem:
    model = repo.model_for(kind)
    row = crud.get_live(session, model, item_id, for_update=True)
    if row is None:
        raise _not_found(kind, item_id)
    check_version(kind.label, row.version, expected_version)
    if "name" in changes:
        changes["name"] = tidy(changes["name"])
    values = {k: v for k, v in changes.items() if getattr(row, k) != v}
    if not values:
        return to_item(row)
    cache.reference_cache().invalidate_after_commit(session, kind)
    return to_item(crud.update_row(session, model, item_id, values))


def delete_item(
    session: TenantSession,
    kind: ReferenceKind,
    item_id: uuid.UUID,
    expected_version: ExpectedVersion = None,
) -> None:
    """Soft delete: records that use the item keep their reference to it."""
    model = repo.model_for(kind)
    row = crud.get_live(session, model, item_id, for_update=True)
    if row is None:
        raise _not_found(kind, item_id)
    check_version(kind.label, row.version, expected_version)
    crud.soft_delete(session, model, item_id)
    cache.reference_cache().invalidate_after_commit(session, kind)


@dataclass(frozen=True, slots=True)
class ReferenceQuery:
    search: str | None = None
    limit: int = 50
    cursor: str | None = None


def list_items(
    session: TenantSession, kind: ReferenceKind, query: ReferenceQuery, codec: CursorCodec
) -> Page[ReferenceItem]:
    after = decode_after(codec, query.cursor, SORT, [str, as_uuid])

    def load() -> Page[ReferenceItem]:
        rows = repo.list_items(
            session, kind, search=query.search, after=after, limit=query.limit + 1
        )
        return make_page(
            rows,
            query.limit,
            codec=codec,
            sort=SORT,
            key=lambda r: [r.code.lower(), r.id],
            convert=to_item,
        )

    # The cursor was checked above (a forged one is still a 400); the page it names is
    # the same for every caller of the tenant.
    what = json.dumps(["list", query.search, query.limit, query.cursor])
    return cache.reference_cache().read_through(
        session, kind, what, load, encode=cache.encode_page, decode=cache.decode_page
    )
