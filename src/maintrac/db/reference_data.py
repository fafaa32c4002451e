"""Queries on reference data: one implementation for the three tables of the same shape."""

from __future__ import annotations

from typing import Any, TypeAlias

from sqlalchemy import func, or_, select

from maintrac.core.reference_data import ReferenceKind
from maintrac.db.models import AssetCategoryRow, GlCodeRow, TaskCodeRow
from maintrac.db.paging import after_key
from maintrac.db.transaction import TenantSession

ReferenceRow: TypeAlias = AssetCategoryRow | TaskCodeRow | GlCodeRow

_MODELS: dict[ReferenceKind, type[ReferenceRow]] = {
    ReferenceKind.ASSET_CATEGORY: AssetCategoryRow,
    ReferenceKind.TASK_CODE: TaskCodeRow,
    ReferenceKind.GL_CODE: GlCodeRow,
}


def model_for(kind: ReferenceKind) -> type[ReferenceRow]:
    """The table of ``kind``; use it with ``db.crud`` for the plain statements."""
    return _MODELS[kind]


def list_items(
    session: TenantSession,
    kind: ReferenceKind,
    *,
    search: str | None,
    after: list[Any] | None,
    limit: int,
) -> list[ReferenceRow]:
    """Live items by code ignoring case, then id: the key of ``uq_<table>_code``.

    ``search`` matches a case-insensitive substring of the code or the name (``%`` and
    ``_`` are taken literally).
    """
    model = model_for(kind)
    code_key = func.lower(model.code)
    statement = select(model).where(model.deleted_at.is_(None))
    if search is not None:
        statement = statement.where(
            or_(
                model.code.icontains(search, autoescape=True),
                model.name.icontains(search, autoescape=True),
            )
        )
    statement = after_key(statement, [code_key, model.id], after, descending=False)
    statement = statement.order_by(code_key, model.id).limit(limit)
    return list(session.scalars(statement))
