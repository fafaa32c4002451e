"""Keyset pagination and the current-tenant expression, shared by every repository.

A list's sort is declared once, as a ``Keyset``: the name its cursors carry, the key's
columns in order (the last one unique, the id), how each key value is read back from a
cursor, and how it is read off a domain object. The repository orders and cuts the query
with it; ``services.paging`` encodes and decodes cursors with it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, Uuid, func, tuple_
from sqlalchemy.sql.elements import ColumnElement

S = TypeVar("S", bound=Select[*tuple[Any, ...]])
D = TypeVar("D")

#: The transaction's tenant, as the RLS policies read it. Inserts take tenant_id from
#: here, never from input, so a row cannot be written for another tenant by mistake.
CURRENT_TENANT: ColumnElement[Any] = func.nullif(
    func.current_setting("app.current_tenant", True), ""
).cast(Uuid)

#: A cursor's key value (always a JSON string) back to the column's type; ValueError
#: (or decimal.InvalidOperation) when it does not parse.
Parser = Callable[[str], Any]


def as_uuid(value: str) -> uuid.UUID:
    return uuid.UUID(value)


def as_datetime(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("naive timestamp in cursor")
    return moment


def as_decimal(value: str) -> Decimal:
    return Decimal(value)


def as_text(value: str) -> str:
    return value


@dataclass(frozen=True, slots=True)
class KeyPart(Generic[D]):
    """One column of a keyset: the SQL expression, its cursor parser, and its value on a
    domain object (the same value the expression has for that object's row)."""

    column: Any
    parse: Parser
    value: Callable[[D], Any]


def part(column: Any, parse: Parser, value: Callable[[D], Any] | None = None) -> KeyPart[D]:
    """A key part on a plain column, read off the domain field of the same name unless
    ``value`` says otherwise."""
    return KeyPart(column, parse, value or attrgetter(column.key))


@dataclass(frozen=True, slots=True)
class Keyset(Generic[D]):
    """A total order of one list: ``parts`` in order, the last one unique (the id), so a
    page boundary can neither skip nor repeat a row, whatever is inserted meanwhile."""

    name: str
    parts: tuple[KeyPart[D], ...]
    descending: bool = False

    def parse(self, texts: Sequence[Any]) -> list[Any]:
        """The key a cursor stores, typed; ValueError when it is not one of this list."""
        if len(texts) != len(self.parts) or not all(isinstance(t, str) for t in texts):
            raise ValueError("cursor key does not match the sort columns")
        return [p.parse(t) for p, t in zip(self.parts, texts, strict=True)]

    def key(self, item: D) -> list[str]:
        """The key of ``item`` as a cursor stores it (JSON strings)."""
        return [_text(p.value(item)) for p in self.parts]

    def apply(
        self, statement: S, after: Sequence[Any] | None, limit: int | ColumnElement[Any]
    ) -> S:
        """``statement`` ordered by the key, from after ``after``, cut at ``limit`` rows."""
        columns = [p.column for p in self.parts]
        statement = after_key(statement, columns, after, descending=self.descending)
        order = [c.desc() if self.descending else c.asc() for c in columns]
        return statement.order_by(*order).limit(limit)


def after_key(
    statement: S,
    columns: Sequence[Any],
    after: Sequence[Any] | None,
    *,
    descending: bool,
) -> S:
    """Rows strictly after ``after`` in the order of ``columns`` (a row-value comparison)."""
    if after is None:
        return statement
    if len(after) != len(columns):
        raise ValueError("cursor key does not match the sort columns")
    left = tuple_(*columns)
    right = tuple_(*after)
    return statement.where(left < right if descending else left > right)


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
