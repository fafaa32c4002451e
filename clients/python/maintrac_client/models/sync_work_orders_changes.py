from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sync_work_orders_record import SyncWorkOrdersRecord


T = TypeVar("T", bound="SyncWorkOrdersChanges")


@_attrs_define
class SyncWorkOrdersChanges:
    """Changes to work orders.

    Attributes:
        created (list[SyncWorkOrdersRecord] | Unset): Records created since the last pull.
        updated (list[SyncWorkOrdersRecord] | Unset): Records changed since the last pull (a record the device does not
            have is created).
        deleted (list[UUID] | Unset): Ids of records deleted since the last pull. Example:
            ['0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d'].
    """

    created: list[SyncWorkOrdersRecord] | Unset = UNSET
    updated: list[SyncWorkOrdersRecord] | Unset = UNSET
    deleted: list[UUID] | Unset = UNSET

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
            deleted = []
            for deleted_item_data in self.deleted:
                deleted_item = str(deleted_item_data)
                deleted.append(deleted_item)

        field_dict: dict[str, Any] = {}

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
        from ..models.sync_work_orders_record import SyncWorkOrdersRecord  # noqa: PLC0415

        d = dict(src_dict)
        _created = d.pop("created", UNSET)
        created: list[SyncWorkOrdersRecord] | Unset = UNSET
        if _created is not UNSET:
            created = []
            for created_item_data in _created:
                created_item = SyncWorkOrdersRecord.from_dict(created_item_data)

                created.append(created_item)

        _updated = d.pop("updated", UNSET)
        updated: list[SyncWorkOrdersRecord] | Unset = UNSET
        if _updated is not UNSET:
            updated = []
            for updated_item_data in _updated:
                updated_item = SyncWorkOrdersRecord.from_dict(updated_item_data)

                updated.append(updated_item)

        _deleted = d.pop("deleted", UNSET)
        deleted: list[UUID] | Unset = UNSET
        if _deleted is not UNSET:
            deleted = []
            for deleted_item_data in _deleted:
                deleted_item = UUID(deleted_item_data)

                deleted.append(deleted_item)

        sync_work_orders_changes = cls(
            created=created,
            updated=updated,
            deleted=deleted,
        )

        return sync_work_orders_changes
