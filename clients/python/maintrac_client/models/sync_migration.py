from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.sync_migration_columns import SyncMigrationColumns


T = TypeVar("T", bound="SyncMigration")


@_attrs_define
class SyncMigration:
    """What a device's schema migration added: WatermelonDB's `{from, tables, columns}`,
    nothing else (like every request string, a name holds no U+0000).

        Attributes:
            from_ (int): The schema version the device migrated from. Example: 1.
            tables (list[str]): Tables added since `from`. Example: ['work_log_entries'].
            columns (list[SyncMigrationColumns]): Columns added since `from`. Example: [].
    """

    from_: int
    tables: list[str]
    columns: list[SyncMigrationColumns]

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_

        tables = self.tables

        columns = []
        for columns_item_data in self.columns:
            columns_item = columns_item_data.to_dict()
            columns.append(columns_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from": from_,
                "tables": tables,
                "columns": columns,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sync_migration_columns import SyncMigrationColumns  # noqa: PLC0415

        d = dict(src_dict)
        from_ = d.pop("from")

        tables = cast(list[str], d.pop("tables"))

        columns = []
        _columns = d.pop("columns")
        for columns_item_data in _columns:
            columns_item = SyncMigrationColumns.from_dict(columns_item_data)

            columns.append(columns_item)

        sync_migration = cls(
            from_=from_,
            tables=tables,
            columns=columns,
        )

        return sync_migration
