"""Integrity errors from PostgreSQL as domain errors.

Constraints are the last line of defence (a composite foreign key is what makes a
cross-tenant reference impossible), so their violations are expected input errors, never
500s. With row-level security on, PostgreSQL leaves the key's values out of the error
detail, so the field is found from the violated constraint's name instead: the catalog
says which column each foreign key and unique key is about (``constraint_columns``).
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from maintrac.core.errors import DomainError, Duplicate, InvalidFields, InvalidReference

#: Columns whose API name is not simply the camelCase column name.
_API_NAMES = {"corrects_id": "correctsEntryId"}

_CONSTRAINT_COLUMNS = text(
    """
    SELECT c.conname AS name, a.attname AS column_name
      FROM pg_constraint c
      JOIN pg_attribute a
        ON a.attrelid = c.conrelid AND a.attnum = c.conkey[array_length(c.conkey, 1)]
     WHERE c.connamespace = 'public'::regnamespace AND c.contype IN ('f', 'u')
    UNION ALL
    SELECT i.relname, pg_get_indexdef(x.indexrelid, x.indnkeyatts, true)
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
     WHERE i.relnamespace = 'public'::regnamespace AND x.indisunique AND NOT x.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
    """
)
_IDENT = re.compile(r"[a-z_][a-z0-9_]*")


def constraint_columns(conn: Connection) -> dict[str, str]:
    """Constraint or unique index name -> the column it is about (its last key column)."""
    out: dict[str, str] = {}
    for name, expression in conn.execute(_CONSTRAINT_COLUMNS):
        names = [n for n in _IDENT.findall(expression) if n not in ("lower", "text")]
        if names:
            out[name] = names[-1]
    return out


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def api_field(column: str) -> str:
    return _API_NAMES.get(column, _camel(column))


def translate(error: IntegrityError, columns: dict[str, str]) -> DomainError | None:
    """The domain error for a constraint violation, or None for anything else."""
    orig = error.orig
    sqlstate = getattr(orig, "sqlstate", None)
    diag = getattr(orig, "diag", None)
    constraint = getattr(diag, "constraint_name", None) or ""
    column = columns.get(constraint)
    field = api_field(column) if column else None
    if sqlstate == "23503":  # foreign_key_violation
        if field is None:
            return InvalidReference("A referenced resource does not exist in your tenant.")
        return InvalidReference(
            f"'{field}' names nothing that exists in your tenant.",
            field=field,
            errors=[{"pointer": f"/{field}", "detail": "Does not exist in your tenant."}],
        )
    if sqlstate == "23505":  # unique_violation
        name = field or constraint
        return Duplicate(f"This {name} is already used in your tenant.", field=name)
    if sqlstate == "23514":  # check_violation
        return InvalidFields(
            [{"pointer": "", "detail": f"Breaks the rule {constraint}."}],
            detail=f"A value breaks the rule {constraint}.",
        )
    return None
