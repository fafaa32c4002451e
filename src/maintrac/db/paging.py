"""Keyset pagination and the current-tenant expression, shared by every repository."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, Uuid, func, tuple_
from sqlalchemy.sql.elements import ColumnElement

S = TypeVar("S", bound=Select[Any])

#: The transaction's tenant, as the RLS policies read it. Inserts take tenant_id from
#: here, never from input, so a row cannot be written for another tenant by mistake.
CURRENT_TENANT: ColumnElement[Any] = func.nullif(
    func.current_setting("app.current_tenant", True), ""
).cast(Uuid)


def after_key(
    statement: S,
    columns: Sequence[Any],
    after: Sequence[Any] | None,
    *,
    descending: bool,
) -> S:
    """Rows strictly after ``after`` in the order of ``columns`` (a row-value comparison).

    The last column must be unique (the id), so the order is total and a page boundary
    can neither skip nor repeat a row, whatever is inserted meanwhile.
    """
    if after is None:
        return statement
    if len(after) != len(columns):
        raise ValueError("cursor key does not match the sort columns")
    left = tuple_(*columns)
    right = tuple_(*after)
    return statement.where(left < right if descending else left > right)
