"""The hottest statements, run on the transaction's driver cursor.

A request's first statement (the tenant, the caller, the timeouts) and a list's page are
the same few SQL texts every time. Through ``Connection.execute`` each run still builds the
statement, generates its cache key, looks the compiled form up, creates an execution
context and a result with Row objects: under load that cost more CPU than psycopg and
PostgreSQL spent on them. Here a fixed SQL text (psycopg placeholders, compiled once by
SQLAlchemy for the engine's dialect where it comes from a Core statement) is executed by
the psycopg cursor of the session's connection, in its transaction, and fetched as plain
tuples.

What the SQLAlchemy path gives every statement is kept, in the same order: the engine's
``before_cursor_execute``/``after_cursor_execute`` listeners run around it (the round-trip
watchdog of ``db/deadline.py``, the SQL spans of ``observability.tracing``), and a driver
error goes through SQLAlchemy's own handling (``handle_error`` listeners, the connection
invalidated when it was lost, the ``DBAPIError`` wrapping, parameters hidden) so the
transaction maps it to a 503, a retry or a domain error exactly as before. psycopg still
prepares each text server-side after a few runs (``prepare_threshold``; never behind
PgBouncer).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect, Select
from sqlalchemy.orm import Session

#: ``Session.info`` key of the Connection that holds a tenant transaction.
CONNECTION = "maintrac.connection"


def connection_of(session: Session) -> Connection:
    """The Connection of the session's transaction, without starting the Session's own
    bookkeeping (``Session.connection()`` does, for a tenant transaction, at a cost that
    was a tenth of a short request). Any other session: its ``connection()``."""
    conn = session.info.get(CONNECTION)
    return conn if isinstance(conn, Connection) else session.connection()


def fetch_all(session: Session, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` (psycopg ``%(name)s`` placeholders) in the session's transaction."""
    return run(connection_of(session), sql, params)


def run(conn: Connection, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """``fetch_all`` on a SQLAlchemy connection (checked out, in its transaction)."""
    dbapi_connection: Any = conn.connection.dbapi_connection
    cursor = dbapi_connection.cursor()
    try:
        conn.dispatch.before_cursor_execute(conn, cursor, sql, params, None, False)
        cursor.execute(sql, params)
        conn.dispatch.after_cursor_execute(conn, cursor, sql, params, None, False)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    except BaseException as exc:  # noqa: BLE001  # re-raised below, as SQLAlchemy does
        # SQLAlchemy's own handling of a driver error (it always raises): see the module
        # docstring. It closes the cursor unless the connection was lost; an interrupt
        # mid-statement (BaseException) invalidates the connection, as on its own path.
        conn._handle_dbapi_exception(exc, sql, params, cursor, None)
    cursor.close()
    return rows


@dataclass(frozen=True, slots=True)
class Template:
    """A Core statement compiled once: its SQL text and the values of the parameters it
    carries itself (literals), to which each run adds its own."""

    sql: str
    defaults: Mapping[str, Any]

    def params(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return {**self.defaults, **values}


def compile_template(statement: Select[Any], dialect: Dialect) -> Template | None:
    """``statement`` as a ``Template``, or None when it cannot be one: a parameter whose
    value SQLAlchemy converts before sending it, or one rendered at execution time (an
    expanding IN list)."""
    compiled = statement.compile(dialect=dialect)
    if (
        compiled.literal_execute_params
        or compiled.post_compile_params
        or compiled.escaped_bind_names
    ):
        return None
    defaults: dict[str, Any] = {}
    for bind, name in compiled.bind_names.items():
        if bind.expanding or bind.type.dialect_impl(dialect).bind_processor(dialect) is not None:
            return None
        if not bind.required:
            defaults[name] = bind.effective_value
    return Template(compiled.string, defaults)
