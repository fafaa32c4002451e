from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sync_unsynced_table_changes_created_item import SyncUnsyncedTableChangesCreatedItem
    from ..models.sync_unsynced_table_changes_updated_item import SyncUnsyncedTableChangesUpdatedItem


T = TypeVar("T", bound="SyncUnsyncedTableChanges")


@_attrs_define
class SyncUnsyncedTableChanges:
    """A table the server does not sync, in a push (an app's local-only table): its change set must be empty. A record in
    it is a 422 whose pointer names the table.

        Example:
            {'created': [], 'updated': [], 'deleted': []}

        Attributes:
            created (list[SyncUnsyncedTableChangesCreatedItem] | Unset): Must be empty: the server keeps nothing of this
                table. Example: [].
            updated (list[SyncUnsyncedTableChangesUpdatedItem] | Unset): Must be empty: the server keeps nothing of this
                table. Example: [].
            deleted (list[str] | Unset): Must be empty: the server keeps nothing of this table. Example: [].
    """

    created: list[SyncUnsyncedTableChangesCreatedItem] | Unset = UNSET
    updated: list[SyncUnsyncedTableChangesUpdatedItem] | Unset = UNSET
    deleted: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.created, Unset):
            created = []
            for created_item_data in self.created:
                created_item = created_item_data.to_dict()
                created.append(created_item)

        updated: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.updated, Unset):
            updated = []
            for updated_item_data in self.updated:
                updated_item = updated_item_data.to_dict()
                updated.append(updated_item)

        deleted: list[str] | Unset = UNSET
        if not isinstance(self.deleted, Unset):
            deleted = self.deleted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if created is not UNSET:
            field_dict["created"] = created
        if updated is not UNSET:
            field_dict["updated"] = updated
        if deleted is not UNSET:
            field_dict["deleted"] = deleted

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sync_unsynced_table_changes_created_item import SyncUnsyncedTableChangesCreatedItem  # noqa: PLC0415
        from ..models.sync_unsynced_table_changes_updated_item import SyncUnsyncedTableChangesUpdatedItem  # noqa: PLC0415

        d = dict(src_dict)
        _created = d.pop("created", UNSET)
        created: list[SyncUnsyncedTableChangesCreatedItem] | Unset = UNSET
        if _created is not UNSET:
            created = []
            for created_item_data in _created:
                created_item = SyncUnsyncedTableChangesCreatedItem.from_dict(created_item_data)

                created.append(created_item)

        _updated = d.pop("updated", UNSET)
        updated: list[SyncUnsyncedTableChangesUpdatedItem] | Unset = UNSET
        if _updated is not UNSET:
            updated = []
            for updated_item_data in _updated:
                updated_item = SyncUnsyncedTableChangesUpdatedItem.from_dict(updated_item_data)

                updated.append(updated_item)

        deleted = cast(list[str], d.pop("deleted", UNSET))

        sync_unsynced_table_changes = cls(
            created=created,
            updated=updated,
            deleted=deleted,
        )

        sync_unsynced_table_changes.additional_properties = d
        return sync_unsynced_table_changes

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
