from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="SyncMigrationColumns")


@_attrs_define
class SyncMigrationColumns:
    """Columns added to one table (WatermelonDB's `{table, columns}`).

    Attributes:
        table (str): The table. Example: work_orders.
        columns (list[str]): The added columns. Example: ['gl_code_id'].
    """

    table: str
    columns: list[str]

    def to_dict(self) -> dict[str, Any]:
        table = self.table

        columns = self.columns

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "table": table,
                "columns": columns,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        table = d.pop("table")

        columns = cast(list[str], d.pop("columns"))

        sync_migration_columns = cls(
            table=table,
            columns=columns,
        )

        return sync_migration_columns
