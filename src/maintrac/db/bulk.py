"""Statements that write thousands of rows at once (PM generation).

Row-level security rules out ``COPY FROM``, so a batch is one ``INSERT ... SELECT FROM
unnest(arrays)`` (or ``UPDATE ... FROM unnest``): one column of values per parameter.
The arrays are sent in psycopg's binary format: in text format, quoting each string
element costs more than the statement itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from maintrac.db.transaction import TenantSession


def execute_columns(session: TenantSession, sql: str, columns: Mapping[str, Sequence[Any]]) -> int:
    """Run ``sql`` (psycopg ``%(name)b`` placeholders: binary, each cast to an array type) with one
    list per placeholder, in the session's transaction; returns the rows affected."""
    # Through SQLAlchemy (not the raw driver connection), so that the transaction's
    # round-trip watchdog, SQL spans and error mapping (503s, retries) apply here too;
    # psycopg sends each ``%(name)b`` parameter in binary whatever the cursor.
    result = session.connection().exec_driver_sql(
        sql, {name: list(values) for name, values in columns.items()}
    )
    return int(result.rowcount)
