"""Constraint violations name the field: the catalog maps every key to its column."""

from __future__ import annotations

from sqlalchemy import create_engine

from maintrac.db.errors import api_field, constraint_columns
from tests.conftest import DatabaseUrls


def test_every_foreign_and_unique_key_maps_to_a_column(database_urls: DatabaseUrls) -> None:
    engine = create_engine(database_urls.app)
    try:
        with engine.connect() as conn:
            columns = constraint_columns(conn)
    finally:
        engine.dispose()
    assert columns["fk_work_orders_users_assignee"] == "assignee_id"
    assert columns["fk_assets_assets_parent"] == "parent_id"
    assert columns["fk_work_log_entries_work_log_entries_corrects"] == "corrects_id"
    assert columns["uq_users_email"] == "email"
    assert columns["uq_assets_code"] == "code"
    assert columns["uq_task_codes_code"] == "code"
    assert api_field(columns["fk_pm_plans_asset_categories"]) == "assetCategoryId"
    assert api_field("corrects_id") == "correctsEntryId"
    fks = [name for name in columns if name.startswith("fk_")]
    assert len(fks) >= 30
