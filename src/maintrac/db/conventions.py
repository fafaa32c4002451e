"""Database convention linter: checks a live PostgreSQL schema against the project's rules.

It reads only the system catalog (``pg_catalog``, ``pg_policies``), never table data, so it is
safe to run against any database, including production. Run it after migrations::

    python -m maintrac.db.conventions --database-url postgresql+psycopg://...

A *tenant table* is any table with a ``tenant_id`` column, except the root table ``tenants``.
A *global table* is any other table. Each violation names one of these rules:

``table-snake-case``
    Table names are lower snake_case (``^[a-z][a-z0-9]*(_[a-z0-9]+)*$``).
``table-name-plural``
    Table names are plural: the last word ends in "s" or is an irregular or uncountable
    plural from :data:`IRREGULAR_PLURALS` (people, data, media, criteria, equipment, ...).
``column-snake-case``
    Column names are lower snake_case.
``primary-key``
    Column ``id`` of type uuid exists; the primary key is exactly (tenant_id, id) on a tenant
    table and exactly (id) on a global table (including ``tenants``).
``id-default-uuidv7``
    If ``id`` has a server default, it calls ``uuid_generate_v7()`` (or PostgreSQL 18's native
    ``uuidv7()``); random UUIDv4 defaults fragment indexes.
``timestamps``
    ``created_at`` and ``updated_at`` are ``timestamp with time zone NOT NULL`` with a default.
``updated-at-trigger``
    A table with ``updated_at`` has an enabled BEFORE UPDATE ... FOR EACH ROW trigger, not
    limited to some columns (``UPDATE OF``), that calls ``set_updated_at()``.
``soft-delete``
    ``deleted_at`` exists, is ``timestamp with time zone`` and is NULLable.
``timestamp-without-tz``
    No column (or domain or array over one) of type ``timestamp without time zone``.
``tenant-id``
    On a tenant table, ``tenant_id`` is ``uuid NOT NULL``.
``fk-name``
    A foreign key is named ``fk_{table}_{referenced table}``, optionally followed by
    ``_{suffix}`` (for a table referencing the same table twice).
``fk-tenant-composite``
    From a tenant table, a foreign key to ``tenants`` is exactly (tenant_id) -> tenants(id), and
    a foreign key to another tenant table leads with tenant_id on both sides:
    (tenant_id, x_id) -> other(tenant_id, ...), so no row can reference another tenant's row.
``fk-set-null-columns``
    A composite tenant foreign key with ON DELETE SET NULL / SET DEFAULT names the columns to
    reset (``ON DELETE SET NULL (x_id)``, PostgreSQL 15+); otherwise it would also reset
    ``tenant_id`` and fail its NOT NULL at delete time.
``unique-includes-tenant``
    Every unique constraint and unique index of a tenant table has ``tenant_id`` among its key
    columns (Citus distributes by tenant; the primary key is covered by ``primary-key``).
``index-leads-with-tenant``
    Every other index of a tenant table has ``tenant_id`` as its first column, so the RLS
    predicate becomes an index condition.
``rls-enabled``
    Row-level security is enabled on every tenant table and on ``tenants``.
``rls-forced``
    Row-level security is forced (applies to the table owner too) on the same tables.
``rls-policy``
    At least one policy on the table has a USING and a WITH CHECK expression that both compare
    ``tenant_id`` (``id`` on ``tenants``) with
    ``NULLIF(current_setting('app.current_tenant', true), '')::uuid``.
``exemption-reason``
    An exemption in the table comment states its reason in parentheses.
``exemption-unknown``
    An exemption in the table comment is one this linter knows (``append-only`` or ``skip``).

Exemptions live in the database, in ``COMMENT ON TABLE``:

* ``conventions: append-only (reason)`` exempts the table from the ``updated_at`` part of
  ``timestamps``, from ``updated-at-trigger`` and from ``soft-delete``;
* ``conventions: skip (reason)`` exempts the table from every rule.

An exemption without a reason still applies, but is reported as ``exemption-reason``, so the
report points at the one thing to fix. ``alembic_version`` is always skipped, as are tables
that belong to an extension and partitions (their partitioned parent is checked).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

__all__ = ["IRREGULAR_PLURALS", "Violation", "lint_schema", "main"]

#: Plural table-name words that do not end in "s" (irregular and uncountable nouns).
IRREGULAR_PLURALS: frozenset[str] = frozenset(
    {
        "people",
        "children",
        "men",
        "women",
        "feet",
        "teeth",
        "mice",
        "geese",
        "data",
        "metadata",
        "media",
        "criteria",
        "phenomena",
        "equipment",
        "personnel",
        "staff",
        "feedback",
        "software",
        "firmware",
        "hardware",
        "information",
    }
)

ALWAYS_SKIPPED: frozenset[str] = frozenset({"alembic_version"})
ROOT_TABLE = "tenants"
TENANT_COLUMN = "tenant_id"
UUIDV7_FUNCTIONS = ("uuid_generate_v7", "uuidv7")
UPDATED_AT_FUNCTION = "set_updated_at"

_SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_EXEMPTION = re.compile(r"conventions:\s*([A-Za-z0-9_-]*)\s*(?:\(([^)]*)\))?", re.IGNORECASE)
_UUIDV7_CALL = re.compile(r"\b(?:" + "|".join(UUIDV7_FUNCTIONS) + r")\s*\(\s*\)")
_MAX_IDENTIFIER = 63  # NAMEDATALEN - 1: PostgreSQL truncates longer names

_TIMESTAMPTZ = "timestamp with time zone"
_TIMESTAMP = "timestamp without time zone"

# pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h)
_TRIGGER_ROW = 1 << 0
_TRIGGER_BEFORE = 1 << 1
_TRIGGER_UPDATE = 1 << 4
_TRIGGER_INSTEAD = 1 << 6


@dataclass(frozen=True)
class Violation:
    """One broken rule on one table."""

    rule: str
    table: str
    detail: str


# ------------------------------------------------------------------ catalog snapshot


@dataclass
class _Column:
    name: str
    type: str  # as declared, e.g. "character varying(20)" or a domain name
    base_type: str  # domains resolved, e.g. "timestamp without time zone[]"
    not_null: bool
    default: str | None


@dataclass
class _ForeignKey:
    name: str
    columns: list[str]
    ref_schema: str
    ref_table: str
    ref_columns: list[str]
    ref_has_tenant_id: bool
    on_delete: str  # pg_constraint.confdeltype
    on_delete_columns: list[str]


@dataclass
class _Index:
    name: str
    key_columns: list[str | None]  # None for an expression
    unique: bool
    primary: bool
    constraint: str | None


@dataclass
class _Trigger:
    name: str
    function: str
    type: int
    enabled: str
    column_limited: bool


@dataclass
class _Policy:
    name: str
    using: str | None
    with_check: str | None


@dataclass
class _Table:
    oid: int
    name: str
    comment: str | None
    rls_enabled: bool
    rls_forced: bool
    columns: dict[str, _Column] = field(default_factory=dict)
    primary_key: list[str] | None = None
    foreign_keys: list[_ForeignKey] = field(default_factory=list)
    indexes: list[_Index] = field(default_factory=list)
    triggers: list[_Trigger] = field(default_factory=list)
    policies: list[_Policy] = field(default_factory=list)

    @property
    def is_tenant(self) -> bool:
        return self.name != ROOT_TABLE and TENANT_COLUMN in self.columns

    @property
    def is_root(self) -> bool:
        return self.name == ROOT_TABLE


_TABLES_SQL = sa.text(
    """
    SELECT c.oid, c.relname::text AS name, obj_description(c.oid, 'pg_class') AS comment,
           c.relrowsecurity, c.relforcerowsecurity
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = :schema
      AND c.relkind IN ('r', 'p')
      AND NOT c.relispartition
      AND NOT EXISTS (
          SELECT 1 FROM pg_catalog.pg_depend d
          WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
            AND d.deptype = 'e')
    """
)

_COLUMNS_SQL = sa.text(
    """
    SELECT a.attrelid AS oid, a.attname::text AS name,
           format_type(a.atttypid, a.atttypmod) AS type,
           format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END, NULL)
               AS base_type,
           a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid) AS default
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    WHERE n.nspname = :schema AND c.relkind IN ('r', 'p') AND a.attnum > 0
      AND NOT a.attisdropped
    ORDER BY a.attrelid, a.attnum
    """
)

_CONSTRAINTS_SQL = sa.text(
    """
    SELECT con.conrelid AS oid, con.conname::text AS name, con.contype::text AS type,
           ARRAY(SELECT a.attname::text
                 FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_catalog.pg_attribute a
                   ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                 ORDER BY k.ord) AS columns,
           rn.nspname::text AS ref_schema, rc.relname::text AS ref_table,
           ARRAY(SELECT a.attname::text
                 FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_catalog.pg_attribute a
                   ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                 ORDER BY k.ord) AS ref_columns,
           EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid = con.confrelid AND a.attname = 'tenant_id'
                     AND a.attnum > 0 AND NOT a.attisdropped) AS ref_has_tenant_id,
           con.confdeltype::text AS on_delete,
           ARRAY(SELECT a.attname::text
                 FROM unnest(con.confdelsetcols) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_catalog.pg_attribute a
                   ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                 ORDER BY k.ord) AS on_delete_columns
    FROM pg_catalog.pg_constraint con
    JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
    LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
    WHERE n.nspname = :schema AND con.contype IN ('p', 'f')
    """
)

_INDEXES_SQL = sa.text(
    """
    SELECT i.indrelid AS oid, ic.relname::text AS name, i.indisunique, i.indisprimary,
           ARRAY(SELECT a.attname::text
                 FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                 LEFT JOIN pg_catalog.pg_attribute a
                   ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
                 WHERE k.ord <= i.indnkeyatts
                 ORDER BY k.ord) AS key_columns,
           con.conname::text AS constraint_name
    FROM pg_catalog.pg_index i
    JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_catalog.pg_constraint con
      ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
     AND con.contype IN ('p', 'u', 'x')
    WHERE n.nspname = :schema AND c.relkind IN ('r', 'p')
    """
)

_TRIGGERS_SQL = sa.text(
    """
    SELECT t.tgrelid AS oid, t.tgname::text AS name, p.proname::text AS function,
           t.tgtype::int AS type, t.tgenabled::text AS enabled,
           cardinality(t.tgattr::int2[]) > 0 AS column_limited
    FROM pg_catalog.pg_trigger t
    JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
    JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = :schema AND NOT t.tgisinternal
    """
)

_POLICIES_SQL = sa.text(
    """
    SELECT tablename::text AS table_name, policyname::text AS name, qual, with_check
    FROM pg_catalog.pg_policies
    WHERE schemaname = :schema
    """
)


def _load(conn: sa.Connection, schema: str) -> list[_Table]:
    params = {"schema": schema}
    tables = {
        row.oid: _Table(
            oid=row.oid,
            name=row.name,
            comment=row.comment,
            rls_enabled=row.relrowsecurity,
            rls_forced=row.relforcerowsecurity,
        )
        for row in conn.execute(_TABLES_SQL, params)
    }
    for row in conn.execute(_COLUMNS_SQL, params):
        if (table := tables.get(row.oid)) is not None:
            table.columns[row.name] = _Column(
                row.name, row.type, row.base_type, row.attnotnull, row.default
            )
    for row in conn.execute(_CONSTRAINTS_SQL, params):
        if (table := tables.get(row.oid)) is None:
            continue
        if row.type == "p":
            table.primary_key = list(row.columns)
        else:
            table.foreign_keys.append(
                _ForeignKey(
                    name=row.name,
                    columns=list(row.columns),
                    ref_schema=row.ref_schema,
                    ref_table=row.ref_table,
                    ref_columns=list(row.ref_columns),
                    ref_has_tenant_id=row.ref_has_tenant_id,
                    on_delete=row.on_delete,
                    on_delete_columns=list(row.on_delete_columns),
                )
            )
    for row in conn.execute(_INDEXES_SQL, params):
        if (table := tables.get(row.oid)) is not None:
            table.indexes.append(
                _Index(
                    name=row.name,
                    key_columns=list(row.key_columns),
                    unique=row.indisunique,
                    primary=row.indisprimary,
                    constraint=row.constraint_name,
                )
            )
    for row in conn.execute(_TRIGGERS_SQL, params):
        if (table := tables.get(row.oid)) is not None:
            table.triggers.append(
                _Trigger(row.name, row.function, row.type, row.enabled, row.column_limited)
            )
    by_name = {table.name: table for table in tables.values()}
    for row in conn.execute(_POLICIES_SQL, params):
        if (table := by_name.get(row.table_name)) is not None:
            table.policies.append(_Policy(row.name, row.qual, row.with_check))
    return list(tables.values())


# ------------------------------------------------------------------ rules


@dataclass(frozen=True)
class _Exemptions:
    append_only: bool
    skip: bool
    problems: list[tuple[str, str]]  # (rule, detail)


def _exemptions(comment: str | None) -> _Exemptions:
    append_only = skip = False
    problems: list[tuple[str, str]] = []
    for match in _EXEMPTION.finditer(comment or ""):
        kind, reason = match.group(1).lower(), match.group(2)
        if kind == "append-only":
            append_only = True
        elif kind == "skip":
            skip = True
        else:
            problems.append(
                (
                    "exemption-unknown",
                    (
                        f"unknown exemption {match.group(0)!r}; use 'conventions: append-only "
                        "(reason)' or 'conventions: skip (reason)'"
                    ),
                )
            )
            continue
        if reason is None or not reason.strip():
            problems.append(
                (
                    "exemption-reason",
                    (
                        f"exemption {match.group(0).strip()!r} needs a reason in parentheses, "
                        f"e.g. 'conventions: {kind} (why)'"
                    ),
                )
            )
    return _Exemptions(append_only, skip, problems)


def _is_plural(name: str) -> bool:
    last = name.rsplit("_", 1)[-1].lower()
    return last.endswith("s") or last in IRREGULAR_PLURALS


def _check_names(table: _Table) -> Iterable[tuple[str, str]]:
    if not _SNAKE_CASE.match(table.name):
        yield "table-snake-case", f"table name {table.name!r} is not snake_case"
    if not _is_plural(table.name):
        yield (
            "table-name-plural",
            (
                f"table name {table.name!r} does not look plural (heuristic: last word ends in 's' "
                "or is an irregular plural such as people, data, media, criteria)"
            ),
        )
    for column in table.columns.values():
        if not _SNAKE_CASE.match(column.name):
            yield "column-snake-case", f"column {column.name!r} is not snake_case"


def _check_primary_key(table: _Table) -> Iterable[tuple[str, str]]:
    id_column = table.columns.get("id")
    if id_column is None:
        yield "primary-key", "no column 'id'"
    elif id_column.base_type != "uuid":
        yield "primary-key", f"column 'id' is {id_column.type}, expected uuid"
    expected = [TENANT_COLUMN, "id"] if table.is_tenant else ["id"]
    kind = "tenant table" if table.is_tenant else "global table"
    if table.primary_key is None:
        yield "primary-key", f"no primary key; expected ({', '.join(expected)}) for a {kind}"
    elif table.primary_key != expected:
        yield (
            "primary-key",
            (
                f"primary key is ({', '.join(table.primary_key)}); "
                f"expected ({', '.join(expected)}) for a {kind}"
            ),
        )
    default = id_column.default if id_column is not None else None
    if default is not None and not _UUIDV7_CALL.search(default):
        yield (
            "id-default-uuidv7",
            (
                f"id default is {default}; it must call uuid_generate_v7() "
                "(UUIDv4 and other random ids fragment indexes)"
            ),
        )


def _check_timestamp_column(
    table: _Table, name: str, rule: str, *, nullable: bool, needs_default: bool
) -> Iterable[tuple[str, str]]:
    column = table.columns.get(name)
    if column is None:
        yield rule, f"missing column {name!r} ({_TIMESTAMPTZ})"
        return
    if column.base_type not in (_TIMESTAMPTZ, _TIMESTAMP):
        # timestamp without time zone is reported once, by timestamp-without-tz
        yield rule, f"{name} is {column.type}, expected {_TIMESTAMPTZ}"
    if not nullable and not column.not_null:
        yield rule, f"{name} must be NOT NULL"
    if nullable and column.not_null:
        yield rule, f"{name} must be NULLable (NULL means not deleted)"
    if needs_default and column.default is None:
        yield rule, f"{name} has no default"


def _check_timestamps(table: _Table, exempt: _Exemptions) -> Iterable[tuple[str, str]]:
    yield from _check_timestamp_column(
        table, "created_at", "timestamps", nullable=False, needs_default=True
    )
    if not exempt.append_only:
        yield from _check_timestamp_column(
            table, "updated_at", "timestamps", nullable=False, needs_default=True
        )
        yield from _check_timestamp_column(
            table, "deleted_at", "soft-delete", nullable=True, needs_default=False
        )
        if "updated_at" in table.columns:
            yield from _check_updated_at_trigger(table)
    for column in table.columns.values():
        if column.base_type in (_TIMESTAMP, _TIMESTAMP + "[]"):
            yield (
                "timestamp-without-tz",
                f"column {column.name!r} is {column.type}; use {_TIMESTAMPTZ}",
            )


def _check_updated_at_trigger(table: _Table) -> Iterable[tuple[str, str]]:
    calls = [t for t in table.triggers if t.function == UPDATED_AT_FUNCTION]
    for trigger in calls:
        is_before_update_row = (
            trigger.type & _TRIGGER_ROW
            and trigger.type & _TRIGGER_BEFORE
            and trigger.type & _TRIGGER_UPDATE
            and not trigger.type & _TRIGGER_INSTEAD
        )
        if is_before_update_row and not trigger.column_limited and trigger.enabled != "D":
            return
    if not calls:
        yield (
            "updated-at-trigger",
            (
                f"no trigger calls {UPDATED_AT_FUNCTION}(); add BEFORE UPDATE ... FOR EACH ROW "
                f"EXECUTE FUNCTION {UPDATED_AT_FUNCTION}()"
            ),
        )
        return
    names = ", ".join(sorted(t.name for t in calls))
    yield (
        "updated-at-trigger",
        (
            f"trigger(s) {names} call {UPDATED_AT_FUNCTION}() but none is an enabled "
            "BEFORE UPDATE FOR EACH ROW trigger on all columns"
        ),
    )


def _check_tenant_id(table: _Table) -> Iterable[tuple[str, str]]:
    column = table.columns[TENANT_COLUMN]
    if column.base_type != "uuid":
        yield "tenant-id", f"tenant_id is {column.type}, expected uuid"
    if not column.not_null:
        yield "tenant-id", "tenant_id must be NOT NULL"


def _fk_name_ok(name: str, table: str, ref: str) -> bool:
    expected = f"fk_{table}_{ref}"
    if name == expected or name.startswith(expected + "_"):
        return True
    # PostgreSQL truncates identifiers to 63 bytes; accept the truncated expected name.
    return len(expected.encode()) > _MAX_IDENTIFIER and name == expected[:_MAX_IDENTIFIER]


def _check_foreign_keys(table: _Table) -> Iterable[tuple[str, str]]:
    for fk in table.foreign_keys:
        if not _fk_name_ok(fk.name, table.name, fk.ref_table):
            yield (
                "fk-name",
                (
                    f"foreign key {fk.name!r} should be named fk_{table.name}_{fk.ref_table} "
                    f"(or fk_{table.name}_{fk.ref_table}_<suffix>)"
                ),
            )
        if not table.is_tenant:
            continue
        shape = f"({', '.join(fk.columns)}) -> {fk.ref_table}({', '.join(fk.ref_columns)})"
        if fk.ref_table == ROOT_TABLE:
            if fk.columns != [TENANT_COLUMN] or fk.ref_columns != ["id"]:
                yield (
                    "fk-tenant-composite",
                    (
                        f"foreign key {fk.name!r} {shape}: a reference to tenants must be "
                        "(tenant_id) -> tenants(id)"
                    ),
                )
        elif fk.ref_has_tenant_id:
            if (
                len(fk.columns) < 2
                or fk.columns[0] != TENANT_COLUMN
                or fk.ref_columns[0] != TENANT_COLUMN
            ):
                yield (
                    "fk-tenant-composite",
                    (
                        f"foreign key {fk.name!r} {shape}: a reference to another tenant table "
                        "must lead with tenant_id on both sides, e.g. "
                        f"(tenant_id, x_id) -> {fk.ref_table}(tenant_id, id)"
                    ),
                )
            elif fk.on_delete in ("n", "d") and (
                not fk.on_delete_columns or TENANT_COLUMN in fk.on_delete_columns
            ):
                action = "SET NULL" if fk.on_delete == "n" else "SET DEFAULT"
                yield (
                    "fk-set-null-columns",
                    (
                        f"foreign key {fk.name!r} {shape} is ON DELETE {action} on all columns, "
                        f"so it would reset tenant_id too; write ON DELETE {action} "
                        f"({', '.join(c for c in fk.columns if c != TENANT_COLUMN)})"
                    ),
                )


def _check_indexes(table: _Table) -> Iterable[tuple[str, str]]:
    for index in table.indexes:
        if index.primary:
            continue  # covered by primary-key
        label = f"constraint {index.constraint!r}" if index.constraint else f"index {index.name!r}"
        columns = ", ".join(c if c is not None else "<expression>" for c in index.key_columns)
        if index.unique:
            if TENANT_COLUMN not in index.key_columns:
                yield (
                    "unique-includes-tenant",
                    f"unique {label} ({columns}) does not include tenant_id",
                )
        elif not index.key_columns or index.key_columns[0] != TENANT_COLUMN:
            yield (
                "index-leads-with-tenant",
                f"{label} ({columns}) does not lead with tenant_id",
            )


def _mentions_tenant_setting(expression: str | None, column: str) -> bool:
    if expression is None:
        return False
    text = re.sub(r"\s+", "", expression.lower())
    return (
        "current_setting('app.current_tenant'" in text
        and "nullif(" in text
        and re.search(rf"(?<![a-z0-9_.]){re.escape(column)}\b", text) is not None
    )


def _check_rls(table: _Table) -> Iterable[tuple[str, str]]:
    if not table.rls_enabled:
        yield "rls-enabled", "row-level security is off: ALTER TABLE ... ENABLE ROW LEVEL SECURITY"
    if not table.rls_forced:
        yield (
            "rls-forced",
            "row-level security is not forced: ALTER TABLE ... FORCE ROW LEVEL SECURITY",
        )
    column = "id" if table.is_root else TENANT_COLUMN
    if not any(
        _mentions_tenant_setting(p.using, column) and _mentions_tenant_setting(p.with_check, column)
        for p in table.policies
    ):
        yield (
            "rls-policy",
            (
                f"no policy whose USING and WITH CHECK both compare {column} with "
                "NULLIF(current_setting('app.current_tenant', true), '')::uuid"
            ),
        )


def _check_table(table: _Table) -> list[Violation]:
    exempt = _exemptions(table.comment)
    found: list[tuple[str, str]] = list(exempt.problems)
    if not exempt.skip:
        found += _check_names(table)
        found += _check_primary_key(table)
        found += _check_timestamps(table, exempt)
        if table.is_tenant:
            found += _check_tenant_id(table)
            found += _check_indexes(table)
        found += _check_foreign_keys(table)
        if table.is_tenant or table.is_root:
            found += _check_rls(table)
    return [Violation(rule, table.name, detail) for rule, detail in found]


def lint_schema(conn: sa.Connection, schema: str = "public") -> list[Violation]:
    """Check every table of ``schema`` against the conventions; sorted by (table, rule)."""
    violations: list[Violation] = []
    for table in _load(conn, schema):
        if table.name not in ALWAYS_SKIPPED:
            violations += _check_table(table)
    return sorted(violations, key=lambda v: (v.table, v.rule, v.detail))


# ------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> int:
    """Lint a database schema; print one line per violation; 1 if any, else 0 (2 on errors)."""
    parser = argparse.ArgumentParser(
        prog="python -m maintrac.db.conventions",
        description="Check a PostgreSQL schema against the MainTrac database conventions.",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("MIGRATION_DATABASE_URL"),
        help="SQLAlchemy URL (default: $MIGRATION_DATABASE_URL)",
    )
    parser.add_argument("--schema", default="public", help="schema to check (default: public)")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("no database URL: pass --database-url or set MIGRATION_DATABASE_URL")

    engine = sa.create_engine(args.database_url)
    try:
        with engine.connect() as conn:
            violations = lint_schema(conn, args.schema)
    except SQLAlchemyError as exc:
        sys.stderr.write(f"conventions: cannot read the catalog: {exc}\n")
        return 2
    finally:
        engine.dispose()

    out = sys.stdout
    for violation in violations:
        out.write(f"{violation.table}: {violation.rule}: {violation.detail}\n")
    if violations:
        tables = len({v.table for v in violations})
        out.write(
            f"{len(violations)} violation(s) in {tables} table(s) of schema {args.schema!r}\n"
        )
        return 1
    out.write(f"schema {args.schema!r} follows the database conventions\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
