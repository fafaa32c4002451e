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


# ------------------------------------------------------------------ availability


class DatabaseUnavailable(Exception):
    """The database could not do the work now, and nothing was changed: the connection was
    refused or lost, the server is shutting down or out of connection slots, the pool had
    no free connection in time, or a statement or lock wait ran out of time. The caller may
    retry after a pause; ``reason`` is a short machine word for logs and drills."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class CommitOutcomeUnknown(Exception):
    """The connection was lost while COMMIT was in flight: the server may have applied the
    transaction or not, and this process cannot tell. Only a retry that is itself
    idempotent (the same ``Idempotency-Key``) resolves it."""


#: SQLSTATE -> (reason, detail) for failures that mean "not now", never "never".
_UNAVAILABLE: dict[str, tuple[str, str]] = {
    "57P01": ("admin_shutdown", "The database is shutting down or restarting."),
    "57P02": ("crash_shutdown", "The database is restarting after a failure."),
    "57P03": ("cannot_connect_now", "The database is starting up and not accepting work yet."),
    "53300": ("too_many_connections", "The database has no free connection slot."),
    "53000": ("insufficient_resources", "The database is out of resources."),
    "57014": ("statement_timeout", "A database statement took longer than allowed."),
    "55P03": ("lock_timeout", "The data is locked by other work for longer than allowed."),
}


def unavailable(error: Exception) -> DatabaseUnavailable | None:
    """``error`` as a DatabaseUnavailable when it means the database cannot serve now.

    Connection-class errors (SQLSTATE ``08...``) and errors without any SQLSTATE that
    SQLAlchemy judged a disconnect (refused, reset, closed, timed out) count too.
    """
    orig = getattr(error, "orig", error)
    sqlstate = getattr(orig, "sqlstate", None) or _connect_sqlstate(str(orig))
    if sqlstate in _UNAVAILABLE:
        return DatabaseUnavailable(*_UNAVAILABLE[sqlstate])
    if sqlstate.startswith("08") or getattr(error, "connection_invalidated", False):
        return DatabaseUnavailable("connection_lost", "The connection to the database was lost.")
    if not sqlstate and _is_connection_error(orig):
        return DatabaseUnavailable("connection_lost", "The database is not reachable.")
    return None


#: Errors at connect time come from libpq as text only (psycopg gives no SQLSTATE).
_CONNECT_MESSAGES = (
    ("too many clients already", "53300"),
    ("remaining connection slots are reserved", "53300"),
    ("the database system is starting up", "57P03"),
    ("the database system is shutting down", "57P03"),
    ("the database system is in recovery mode", "57P03"),
)


def _connect_sqlstate(message: str) -> str:
    for text_, sqlstate in _CONNECT_MESSAGES:
        if text_ in message:
            return sqlstate
    return ""


def _is_connection_error(orig: object) -> bool:
    """psycopg's OperationalError/InterfaceError without SQLSTATE: refused, reset, EOF."""
    return type(orig).__name__ in {"OperationalError", "InterfaceError", "ConnectionTimeout"}


def lost_connection(error: Exception) -> bool:
    """Whether ``error`` means the connection itself failed (so an in-flight COMMIT has an
    unknown outcome), as opposed to the server refusing the statement."""
    found = unavailable(error)
    return found is not None and found.reason in {
        "connection_lost",
        "admin_shutdown",
        "crash_shutdown",
    }
