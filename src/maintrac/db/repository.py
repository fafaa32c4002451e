"""The generic repository: plain statements on one tenant table, rows mapped to domain once.

Every noun's repository (``db/<noun>.py``) is a ``Repository`` of its row model and its
``core`` dataclass, plus the queries only that noun has. "Live" always means
``deleted_at IS NULL``; an insert or update returns what the database stored (the
trigger-maintained ``updated_at`` and ``version`` included). Values are given by column
name; enumeration members are stored as their values. Services see domain objects only.

Reads (``get``, ``page``) are SQLAlchemy Core statements on the table's columns, run on
the session's connection: an ORM-enabled select of 50 rows spent more in the ORM's
compile and loading machinery than in the database. A noun whose domain dataclass is
its row, field for field, says so with ``Positional``, and its rows become domain objects
by position (enumerations looked up by stored value) instead of through ``to_domain``,
and its ``get`` and unfiltered pages (a list's first and every later page, in each keyset)
run as statements compiled once (``db.direct``), their rows fetched as plain tuples.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import Any, Generic, TypeVar

from sqlalchemy import Integer, bindparam, exists, func, insert, select, update
from sqlalchemy import inspect as sa_inspect

from maintrac.db import direct
from maintrac.db.models import Base
from maintrac.db.paging import CURRENT_TENANT, Keyset
from maintrac.db.transaction import TenantSession

R = TypeVar("R", bound=Base)
D = TypeVar("D")


@dataclass(frozen=True, slots=True)
class Stored(Generic[D]):
    """A domain object whose row may be soft-deleted (``deleted``)."""

    item: D
    deleted: bool


def stored_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as the columns take them: enumeration members become their values."""
    return {k: v.value if isinstance(v, Enum) else v for k, v in values.items()}


@dataclass(frozen=True, slots=True)
class Positional(Generic[D]):
    """``domain`` (a dataclass) is the row field for field: each of its fields, in order,
    is the column of the same name; ``enums`` names the fields stored as an enumeration's
    value."""

    domain: type[D]
    enums: Mapping[str, type[Enum]] = field(default_factory=dict)

    def builder(self) -> tuple[list[str], Callable[[Sequence[Any]], D]]:
        """The column names to select, in order, and the row -> domain function."""
        names = [f.name for f in fields(self.domain)]  # type: ignore[arg-type]
        lookups = {
            names.index(name): {m.value: m for m in enum}.__getitem__
            for name, enum in self.enums.items()
        }
        return names, _slot_builder(self.domain, names, lookups)


def _slot_builder(
    domain: type[D], names: Sequence[str], lookups: Mapping[int, Callable[[Any], Any]]
) -> Callable[[Sequence[Any]], D]:
    """``row -> domain(*row)`` (the ``lookups`` applied at their positions) that fills
    the slots directly, as ``dataclasses`` generates an ``__init__`` for the class:
    a frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``,
    which took half of the time of building a page of 50 work orders. The same object
    results (the class has no ``__post_init__`` and its ``__init__`` is the generated one;
    checked here, else ``__init__`` runs)."""
    make: Callable[..., D] = domain
    slots = [domain.__dict__.get(name) for name in names]
    params = getattr(domain, "__dataclass_params__", None)
    generated_init = params is not None and params.init
    if (
        not generated_init
        or hasattr(domain, "__post_init__")
        or not all(type(slot).__name__ == "member_descriptor" for slot in slots)
    ):
        if not lookups:
            return lambda row: make(*row)

        def build(row: Sequence[Any]) -> D:
            values = list(row)
            for index, lookup in lookups.items():
                values[index] = lookup(values[index])
            return make(*values)

        return build
    namespace: dict[str, Any] = {"new": object.__new__, "domain": domain}
    lines = ["def build(row):", "    item = new(domain)"]
    for index, slot in enumerate(slots):
        namespace[f"set_{index}"] = slot.__set__  # type: ignore[union-attr]
        value = f"row[{index}]"
        if index in lookups:
            namespace[f"lookup_{index}"] = lookups[index]
            value = f"lookup_{index}({value})"
        lines.append(f"    set_{index}(item, {value})")
    lines.append("    return item")
    exec("\n".join(lines), namespace)  # noqa: S102  # generated from the class's own fields
    built: Callable[[Sequence[Any]], D] = namespace["build"]
    return built


class Repository(Generic[R, D]):
    """``model``'s plain statements, returning ``to_domain`` of each row.

    Tables without ``deleted_at`` (append-only ones) have no soft delete, and every row
    of them is live.
    """

    def __init__(
        self,
        model: type[R],
        to_domain: Callable[[R], D],
        *,
        positional: Positional[D] | None = None,
    ) -> None:
        self.model = model
        self.to_domain = to_domain
        self._table: Any = model
        self._soft_deletes = hasattr(model, "deleted_at")
        #: Every mapped column as a Core column, labelled by its attribute name (what
        #: ``to_domain`` reads).
        by_key: dict[str, Any] = {}
        for attribute in sa_inspect(model).column_attrs:
            column = attribute.columns[0]
            by_key[attribute.key] = (
                column if column.key == attribute.key else column.label(attribute.key)
            )
        self._columns: list[Any] = list(by_key.values())
        self._deleted_at: Any = by_key.get("deleted_at")
        #: What a read selects, and how its row becomes a domain object.
        self._read_columns: list[Any] = self._columns
        self._from_row: Callable[[Any], D] = to_domain
        #: Compiled pages by (keyset, first page?): plain tuples need a positional domain.
        self._templates: dict[tuple[int, bool], tuple[Keyset[D], direct.Template | None]] = {}
        self._gets: dict[tuple[str, bool], direct.Template | None] = {}
        self._positional = positional is not None
        if positional is not None:
            names, self._from_row = positional.builder()
            missing = set(names) - set(by_key)
            if missing:
                raise TypeError(f"{positional.domain.__name__} fields without a column: {missing}")
            self._read_columns = [by_key[name] for name in names]

    def _live(self) -> list[Any]:
        return [self._deleted_at.is_(None)] if self._soft_deletes else []

    def get(
        self, session: TenantSession, row_id: uuid.UUID, *, for_update: bool = False
    ) -> D | None:
        """The row unless it does not exist, belongs to another tenant, or is soft-deleted.

        ``for_update`` locks it until the transaction ends."""
        if self._positional:
            template = self._get_template(session, for_update=for_update)
            if template is not None:
                rows = direct.fetch_all(session, template.sql, template.params({"row_id": row_id}))
                return self._from_row(rows[0]) if rows else None
        statement = self._get_statement(row_id, for_update=for_update)
        row = direct.connection_of(session).execute(statement).one_or_none()
        return None if row is None else self._from_row(row)

    def _get_statement(self, row_id: Any, *, for_update: bool) -> Any:
        statement = select(*self._read_columns).where(self._table.id == row_id, *self._live())
        return statement.with_for_update() if for_update else statement

    def _get_template(self, session: TenantSession, *, for_update: bool) -> direct.Template | None:
        """``get`` compiled once (parameter ``row_id``), like an unfiltered page."""
        key = ("get", for_update)
        if key not in self._gets:
            statement = self._get_statement(
                bindparam("row_id", type_=self._table.id.type), for_update=for_update
            )
            self._gets[key] = direct.compile_template(
                statement, direct.connection_of(session).dialect
            )
        return self._gets[key]

    def lock_any(self, session: TenantSession, row_id: uuid.UUID) -> Stored[D] | None:
        """The row, soft-deleted or not, locked ``FOR UPDATE``; None when there is none."""
        statement = select(self.model).where(self._table.id == row_id).with_for_update()
        row: Any = session.scalars(statement).one_or_none()
        if row is None:
            return None
        return Stored(self.to_domain(row), self._soft_deletes and row.deleted_at is not None)

    def exists(self, session: TenantSession, row_id: uuid.UUID) -> bool:
        """Whether the row is live in the tenant (RLS hides other tenants' rows)."""
        statement = select(exists().where(self._table.id == row_id, *self._live()))
        return bool(session.execute(statement).scalar_one())

    def insert(self, session: TenantSession, values: Mapping[str, Any]) -> D:
        """Insert one row for the current tenant and return it as stored."""
        statement = (
            insert(self.model)
            .values(tenant_id=CURRENT_TENANT, **stored_values(values))
            .returning(self.model)
        )
        return self.to_domain(session.scalars(statement).one())

    def update(self, session: TenantSession, row_id: uuid.UUID, values: Mapping[str, Any]) -> D:
        """Set ``values`` on the row and return it as stored."""
        statement = (
            update(self.model)
            .where(self._table.id == row_id)
            .values(**stored_values(values))
            .returning(self.model)
            .execution_options(populate_existing=True)
        )
        return self.to_domain(session.scalars(statement).one())

    def soft_delete(self, session: TenantSession, row_id: uuid.UUID) -> bool:
        """Mark the live row deleted; False when there was none."""
        statement = (
            update(self.model)
            .where(self._table.id == row_id, *self._live())
            .values(deleted_at=func.now())
            .returning(self._table.id)
        )
        return session.execute(statement).first() is not None

    def page(
        self,
        session: TenantSession,
        keyset: Keyset[D],
        *where: Any,
        after: Sequence[Any] | None,
        limit: int,
    ) -> list[D]:
        """Up to ``limit`` live rows matching ``where``, after ``after`` in keyset order."""
        from_row = self._from_row
        if not where and self._positional:
            template = self._page_template(session, keyset, first=after is None)
            if template is not None:
                values: dict[str, Any] = {"limit": limit}
                if after is not None:
                    if len(after) != len(keyset.parts):
                        raise ValueError("cursor key does not match the sort columns")
                    values.update((f"after_{i}", value) for i, value in enumerate(after))
                rows = direct.fetch_all(session, template.sql, template.params(values))
                return [from_row(row) for row in rows]
        # Plain rows of a Core select, not ORM instances: a list is read-only, and the
        # ORM's instances, identity map and loading cost more than the query. A row
        # answers the same attribute names, so ``to_domain`` reads either.
        statement = select(*self._read_columns).where(*self._live(), *where)
        statement = keyset.apply(statement, after, limit)
        # ``all()``: one fetchall, not a fetchone per row as iterating the result does.
        return [from_row(row) for row in direct.connection_of(session).execute(statement).all()]

    def _page_template(
        self, session: TenantSession, keyset: Keyset[D], *, first: bool
    ) -> direct.Template | None:
        """The unfiltered page of ``keyset`` compiled once (None: it has to go through
        SQLAlchemy each time); parameters ``limit`` and ``after_0``, ``after_1``, ..."""
        cached = self._templates.get((id(keyset), first))
        if cached is not None and cached[0] is keyset:
            return cached[1]
        after = None
        if not first:
            after = [
                bindparam(f"after_{i}", type_=p.column.type) for i, p in enumerate(keyset.parts)
            ]
        statement = keyset.apply(
            select(*self._read_columns).where(*self._live()),
            after,
            bindparam("limit", type_=Integer),
        )
        template = direct.compile_template(statement, direct.connection_of(session).dialect)
        self._templates[id(keyset), first] = (keyset, template)
        return template
