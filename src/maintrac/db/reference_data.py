"""The reference data repositories: one implementation for the three tables of one shape."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, TypeAlias

from sqlalchemy import func, or_

from maintrac.core.reference_data import ReferenceItem, ReferenceKind
from maintrac.db.models import AssetCategoryRow, GlCodeRow, TaskCodeRow
from maintrac.db.paging import Keyset, as_text, as_uuid, part
from maintrac.db.repository import Positional, Repository
from maintrac.db.transaction import TenantSession

ReferenceRow: TypeAlias = AssetCategoryRow | TaskCodeRow | GlCodeRow

_MODELS: dict[ReferenceKind, type[ReferenceRow]] = {
    ReferenceKind.ASSET_CATEGORY: AssetCategoryRow,
    ReferenceKind.TASK_CODE: TaskCodeRow,
    ReferenceKind.GL_CODE: GlCodeRow,
}


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


_REPOSITORIES: Final[dict[ReferenceKind, Repository[Any, ReferenceItem]]] = {
    kind: Repository(model, to_item, positional=Positional(ReferenceItem))
    for kind, model in _MODELS.items()
}

#: The one sort of reference lists, by code ignoring case, then id: the key of
#: ``uq_<table>_code``. Codes are ASCII (the column's CHECK), so ``str.lower`` makes the
#: same key as ``lower(code)``.
_KEYSETS: Final[dict[ReferenceKind, Keyset[ReferenceItem]]] = {
    kind: Keyset(
        "code",
        (
            part(func.lower(model.code), as_text, lambda item: item.code.lower()),
            part(model.id, as_uuid),
        ),
    )
    for kind, model in _MODELS.items()
}


def repository_of(kind: ReferenceKind) -> Repository[Any, ReferenceItem]:
    """The plain statements on the table of ``kind``."""
    return _REPOSITORIES[kind]


def keyset_of(kind: ReferenceKind) -> Keyset[ReferenceItem]:
    return _KEYSETS[kind]


def list_items(
    session: TenantSession,
    kind: ReferenceKind,
    *,
    search: str | None,
    after: Sequence[Any] | None,
    limit: int,
) -> list[ReferenceItem]:
    """Live items in keyset order. ``search`` matches a case-insensitive substring of the
    code or the name (``%`` and ``_`` are taken literally)."""
    model = _MODELS[kind]
    where: list[Any] = []
    if search is not None:
        where.append(
            or_(
                model.code.icontains(search, autoescape=True),
                model.name.icontains(search, autoescape=True),
            )
        )
    return _REPOSITORIES[kind].page(session, _KEYSETS[kind], *where, after=after, limit=limit)
