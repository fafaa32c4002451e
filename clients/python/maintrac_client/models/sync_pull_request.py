from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sync_migration import SyncMigration


T = TypeVar("T", bound="SyncPullRequest")


@_attrs_define
class SyncPullRequest:
    """WatermelonDB's pull arguments.

    Attributes:
        last_pulled_at (int | None): The `timestamp` of the previous pull; null for a first, full sync. Example:
            1795600000000.
        schema_version (int | Unset): The device's local schema version. Example: 1.
        migration (None | SyncMigration | Unset): WatermelonDB's migration info when the device's schema changed (tables
            and columns added since `from`); such tables are sent in full.
    """

    last_pulled_at: int | None
    schema_version: int | Unset = UNSET
    migration: None | SyncMigration | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.sync_migration import SyncMigration  # noqa: PLC0415

        last_pulled_at: int | None
        last_pulled_at = self.last_pulled_at

        schema_version = self.schema_version

        migration: dict[str, Any] | None | Unset
        if isinstance(self.migration, Unset):
            migration = UNSET
        elif isinstance(self.migration, SyncMigration):
            migration = self.migration.to_dict()
        else:
            migration = self.migration

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "lastPulledAt": last_pulled_at,
            }
        )
        if schema_version is not UNSET:
            field_dict["schemaVersion"] = schema_version
        if migration is not UNSET:
            field_dict["migration"] = migration

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sync_migration import SyncMigration  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_last_pulled_at(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        last_pulled_at = _parse_last_pulled_at(d.pop("lastPulledAt"))

        schema_version = d.pop("schemaVersion", UNSET)

        def _parse_migration(data: object) -> None | SyncMigration | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                migration_type_1 = SyncMigration.from_dict(data)

                return migration_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SyncMigration | Unset, data)

        migration = _parse_migration(d.pop("migration", UNSET))

        sync_pull_request = cls(
            last_pulled_at=last_pulled_at,
            schema_version=schema_version,
            migration=migration,
        )

        return sync_pull_request
