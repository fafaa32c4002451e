from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.sync_changes import SyncChanges


T = TypeVar("T", bound="SyncPullResponse")


@_attrs_define
class SyncPullResponse:
    """WatermelonDB's pull result.

    Attributes:
        changes (SyncChanges): Changes by table (WatermelonDB's change set). Tables a caller may not read are left
            out of pulls. A push may also name tables the server does not sync (an app's
            local-only tables: WatermelonDB pushes every table of the device's schema): each
            is accepted when its changes are empty, and a push with any record in one is a 422
            whose `errors` point into each such table (`/changes/<table>/created`); nothing
            is silently dropped.
        timestamp (int): The server's clock (milliseconds) for this pull; send it as `lastPulledAt` next time. Example:
            1795600123456.
    """

    changes: SyncChanges
    timestamp: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        changes = self.changes.to_dict()

        timestamp = self.timestamp

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "changes": changes,
                "timestamp": timestamp,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sync_changes import SyncChanges  # noqa: PLC0415

        d = dict(src_dict)
        changes = SyncChanges.from_dict(d.pop("changes"))

        timestamp = d.pop("timestamp")

        sync_pull_response = cls(
            changes=changes,
            timestamp=timestamp,
        )

        sync_pull_response.additional_properties = d
        return sync_pull_response

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
