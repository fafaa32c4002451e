from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.sync_migration_columns import SyncMigrationColumns


T = TypeVar("T", bound="SyncMigration")


@_attrs_define
class SyncMigration:
    """What a device's schema migration added.

    Attributes:
        from_ (int): The schema version the device migrated from. Example: 1.
        tables (list[str]): Tables added since `from`. Example: ['work_log_entries'].
        columns (list[SyncMigrationColumns]): Columns added since `from`. Example: [].
    """

    from_: int
    tables: list[str]
    columns: list[SyncMigrationColumns]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_

        tables = self.tables

        columns = []
        for columns_item_data in self.columns:
            columns_item = columns_item_data.to_dict()
            columns.append(columns_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
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

        sync_migration.additional_properties = d
        return sync_migration

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
