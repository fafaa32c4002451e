"""The SQLAlchemy models describe what the migrations build: tables, columns, types, nulls.

Constraints and indexes live in the migrations only (the models do not declare them), so
only table- and column-level differences count here.
"""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from maintrac.db.models import Base
from tests.conftest import DatabaseUrls

COLUMN_LEVEL = {"add_table", "remove_table", "add_column", "remove_column"}
MODIFY = {"modify_type", "modify_nullable"}


def _kind(diff: Any) -> str:
    return str(diff[0][0] if isinstance(diff, list) else diff[0])


def test_models_match_the_migrated_schema(database_urls: DatabaseUrls) -> None:
    engine = create_engine(database_urls.owner)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, type_, _parent: (
                        not (type_ == "table" and name == "alembic_version")
                    ),
                },
            )
            diffs = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    relevant = [d for d in diffs if _kind(d) in COLUMN_LEVEL | MODIFY]
    assert relevant == [], relevant
