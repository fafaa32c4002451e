from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sync_asset_categories_changes import SyncAssetCategoriesChanges
    from ..models.sync_asset_readings_changes import SyncAssetReadingsChanges
    from ..models.sync_assets_changes import SyncAssetsChanges
    from ..models.sync_gl_codes_changes import SyncGlCodesChanges
    from ..models.sync_meters_changes import SyncMetersChanges
    from ..models.sync_task_codes_changes import SyncTaskCodesChanges
    from ..models.sync_unsynced_table_changes import SyncUnsyncedTableChanges
    from ..models.sync_users_changes import SyncUsersChanges
    from ..models.sync_work_log_entries_changes import SyncWorkLogEntriesChanges
    from ..models.sync_work_orders_changes import SyncWorkOrdersChanges


T = TypeVar("T", bound="SyncChanges")


@_attrs_define
class SyncChanges:
    """Changes by table (WatermelonDB's change set). Tables a caller may not read are left
    out of pulls. A push may also name tables the server does not sync (an app's
    local-only tables: WatermelonDB pushes every table of the device's schema): each
    is accepted when its changes are empty, and a push with any record in one is a 422
    whose `errors` point into each such table (`/changes/<table>/created`); nothing
    is silently dropped.

        Attributes:
            work_orders (SyncWorkOrdersChanges | Unset): Changes to work orders.
            work_log_entries (SyncWorkLogEntriesChanges | Unset): Changes to work log entries.
            asset_readings (SyncAssetReadingsChanges | Unset): Changes to asset readings.
            assets (SyncAssetsChanges | Unset): Changes to assets.
            meters (SyncMetersChanges | Unset): Changes to meters.
            users (SyncUsersChanges | Unset): Changes to users.
            task_codes (SyncTaskCodesChanges | Unset): Changes to task codes.
            asset_categories (SyncAssetCategoriesChanges | Unset): Changes to asset categories.
            gl_codes (SyncGlCodesChanges | Unset): Changes to gl codes.
    """

    work_orders: SyncWorkOrdersChanges | Unset = UNSET
    work_log_entries: SyncWorkLogEntriesChanges | Unset = UNSET
    asset_readings: SyncAssetReadingsChanges | Unset = UNSET
    assets: SyncAssetsChanges | Unset = UNSET
    meters: SyncMetersChanges | Unset = UNSET
    users: SyncUsersChanges | Unset = UNSET
    task_codes: SyncTaskCodesChanges | Unset = UNSET
    asset_categories: SyncAssetCategoriesChanges | Unset = UNSET
    gl_codes: SyncGlCodesChanges | Unset = UNSET
    additional_properties: dict[str, SyncUnsyncedTableChanges] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        work_orders: dict[str, Any] | Unset = UNSET
        if not isinstance(self.work_orders, Unset):
            work_orders = self.work_orders.to_dict()

        work_log_entries: dict[str, Any] | Unset = UNSET
        if not isinstance(self.work_log_entries, Unset):
            work_log_entries = self.work_log_entries.to_dict()

        asset_readings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.asset_readings, Unset):
            asset_readings = self.asset_readings.to_dict()

        assets: dict[str, Any] | Unset = UNSET
        if not isinstance(self.assets, Unset):
            assets = self.assets.to_dict()

        meters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.meters, Unset):
            meters = self.meters.to_dict()

        users: dict[str, Any] | Unset = UNSET
        if not isinstance(self.users, Unset):
            users = self.users.to_dict()

        task_codes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.task_codes, Unset):
            task_codes = self.task_codes.to_dict()

        asset_categories: dict[str, Any] | Unset = UNSET
        if not isinstance(self.asset_categories, Unset):
            asset_categories = self.asset_categories.to_dict()

        gl_codes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.gl_codes, Unset):
            gl_codes = self.gl_codes.to_dict()

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        field_dict.update({})
        if work_orders is not UNSET:
            field_dict["work_orders"] = work_orders
        if work_log_entries is not UNSET:
            field_dict["work_log_entries"] = work_log_entries
        if asset_readings is not UNSET:
            field_dict["asset_readings"] = asset_readings
        if assets is not UNSET:
            field_dict["assets"] = assets
        if meters is not UNSET:
            field_dict["meters"] = meters
        if users is not UNSET:
            field_dict["users"] = users
        if task_codes is not UNSET:
            field_dict["task_codes"] = task_codes
        if asset_categories is not UNSET:
            field_dict["asset_categories"] = asset_categories
        if gl_codes is not UNSET:
            field_dict["gl_codes"] = gl_codes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sync_asset_categories_changes import SyncAssetCategoriesChanges  # noqa: PLC0415
        from ..models.sync_asset_readings_changes import SyncAssetReadingsChanges  # noqa: PLC0415
        from ..models.sync_assets_changes import SyncAssetsChanges  # noqa: PLC0415
        from ..models.sync_gl_codes_changes import SyncGlCodesChanges  # noqa: PLC0415
        from ..models.sync_meters_changes import SyncMetersChanges  # noqa: PLC0415
        from ..models.sync_task_codes_changes import SyncTaskCodesChanges  # noqa: PLC0415
        from ..models.sync_unsynced_table_changes import SyncUnsyncedTableChanges  # noqa: PLC0415
        from ..models.sync_users_changes import SyncUsersChanges  # noqa: PLC0415
        from ..models.sync_work_log_entries_changes import SyncWorkLogEntriesChanges  # noqa: PLC0415
        from ..models.sync_work_orders_changes import SyncWorkOrdersChanges  # noqa: PLC0415

        d = dict(src_dict)
        _work_orders = d.pop("work_orders", UNSET)
        work_orders: SyncWorkOrdersChanges | Unset
        if isinstance(_work_orders, Unset):
            work_orders = UNSET
        else:
            work_orders = SyncWorkOrdersChanges.from_dict(_work_orders)

        _work_log_entries = d.pop("work_log_entries", UNSET)
        work_log_entries: SyncWorkLogEntriesChanges | Unset
        if isinstance(_work_log_entries, Unset):
            work_log_entries = UNSET
        else:
            work_log_entries = SyncWorkLogEntriesChanges.from_dict(_work_log_entries)

        _asset_readings = d.pop("asset_readings", UNSET)
        asset_readings: SyncAssetReadingsChanges | Unset
        if isinstance(_asset_readings, Unset):
            asset_readings = UNSET
        else:
            asset_readings = SyncAssetReadingsChanges.from_dict(_asset_readings)

        _assets = d.pop("assets", UNSET)
        assets: SyncAssetsChanges | Unset
        if isinstance(_assets, Unset):
            assets = UNSET
        else:
            assets = SyncAssetsChanges.from_dict(_assets)

        _meters = d.pop("meters", UNSET)
        meters: SyncMetersChanges | Unset
        if isinstance(_meters, Unset):
            meters = UNSET
        else:
            meters = SyncMetersChanges.from_dict(_meters)

        _users = d.pop("users", UNSET)
        users: SyncUsersChanges | Unset
        if isinstance(_users, Unset):
            users = UNSET
        else:
            users = SyncUsersChanges.from_dict(_users)

        _task_codes = d.pop("task_codes", UNSET)
        task_codes: SyncTaskCodesChanges | Unset
        if isinstance(_task_codes, Unset):
            task_codes = UNSET
        else:
            task_codes = SyncTaskCodesChanges.from_dict(_task_codes)

        _asset_categories = d.pop("asset_categories", UNSET)
        asset_categories: SyncAssetCategoriesChanges | Unset
        if isinstance(_asset_categories, Unset):
            asset_categories = UNSET
        else:
            asset_categories = SyncAssetCategoriesChanges.from_dict(_asset_categories)

        _gl_codes = d.pop("gl_codes", UNSET)
        gl_codes: SyncGlCodesChanges | Unset
        if isinstance(_gl_codes, Unset):
            gl_codes = UNSET
        else:
            gl_codes = SyncGlCodesChanges.from_dict(_gl_codes)

        sync_changes = cls(
            work_orders=work_orders,
            work_log_entries=work_log_entries,
            asset_readings=asset_readings,
            assets=assets,
            meters=meters,
            users=users,
            task_codes=task_codes,
            asset_categories=asset_categories,
            gl_codes=gl_codes,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = SyncUnsyncedTableChanges.from_dict(prop_dict)

            additional_properties[prop_name] = additional_property

        sync_changes.additional_properties = additional_properties
        return sync_changes

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> SyncUnsyncedTableChanges:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: SyncUnsyncedTableChanges) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
