"""Engine factory: one pool per process, psycopg 3."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine


def make_engine(url: str, *, pool_size: int = 10, pgbouncer: bool = False) -> Engine:
    """An engine for ``url``.

    ``pgbouncer``: PgBouncer 1.18 in transaction mode cannot keep server-side prepared
    statements, so psycopg must never prepare (``prepare_threshold=None``). Nothing else
    changes: the tenant is set per transaction with ``set_config(..., true)``.
    """
    connect_args: dict[str, Any] = {"application_name": "maintrac"}
    if pgbouncer:
        connect_args["prepare_threshold"] = None
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=1800,
        connect_args=connect_args,
    )
