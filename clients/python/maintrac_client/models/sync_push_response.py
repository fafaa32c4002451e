from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.sync_ids_by_table import SyncIdsByTable


T = TypeVar("T", bound="SyncPushResponse")


@_attrs_define
class SyncPushResponse:
    """What a push did, by table: `accepted` records were applied as sent; `overridden`
    ones were applied in part or kept in the server's version (a conflict); `rejected`
    ones were refused (read-only table, missing permission, append-only delete, an id
    already taken or not a UUIDv7). Overridden and rejected records come back in the
    next pull with the server's state, so the device converges; sync again right away
    when either is not empty. `experimentalRejectedIds` is always empty: WatermelonDB
    would keep a record listed there unsynced and push it again on every sync.

        Attributes:
            accepted (SyncIdsByTable): Record ids by table name. Example: {'work_orders':
                ['0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d']}.
            rejected (SyncIdsByTable): Record ids by table name. Example: {'work_orders':
                ['0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d']}.
            overridden (SyncIdsByTable): Record ids by table name. Example: {'work_orders':
                ['0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d']}.
            experimental_rejected_ids (SyncIdsByTable): Record ids by table name. Example: {'work_orders':
                ['0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d']}.
    """

    accepted: SyncIdsByTable
    rejected: SyncIdsByTable
    overridden: SyncIdsByTable
    experimental_rejected_ids: SyncIdsByTable
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accepted = self.accepted.to_dict()

        rejected = self.rejected.to_dict()

        overridden = self.overridden.to_dict()

        experimental_rejected_ids = self.experimental_rejected_ids.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accepted": accepted,
                "rejected": rejected,
                "overridden": overridden,
                "experimentalRejectedIds": experimental_rejected_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sync_ids_by_table import SyncIdsByTable  # noqa: PLC0415

        d = dict(src_dict)
        accepted = SyncIdsByTable.from_dict(d.pop("accepted"))

        rejected = SyncIdsByTable.from_dict(d.pop("rejected"))

        overridden = SyncIdsByTable.from_dict(d.pop("overridden"))

        experimental_rejected_ids = SyncIdsByTable.from_dict(d.pop("experimentalRejectedIds"))

        sync_push_response = cls(
            accepted=accepted,
            rejected=rejected,
            overridden=overridden,
            experimental_rejected_ids=experimental_rejected_ids,
        )

        sync_push_response.additional_properties = d
        return sync_push_response

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
