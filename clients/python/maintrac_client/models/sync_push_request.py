from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sync_changes import SyncChanges


T = TypeVar("T", bound="SyncPushRequest")


@_attrs_define
class SyncPushRequest:
    """WatermelonDB's push arguments, plus an optional device id for the conflict log.

    Attributes:
        changes (SyncChanges): Changes by table (WatermelonDB's change set). Tables a caller may not read are left
            out of pulls. A push may also name tables the server does not sync (an app's
            local-only tables: WatermelonDB pushes every table of the device's schema): each
            is accepted when its changes are empty, and a push with any record in one is a 422
            whose `errors` point into each such table (`/changes/<table>/created`); nothing
            is silently dropped.
        last_pulled_at (int | None): The `timestamp` of the pull that preceded this push. Example: 1795600123456.
        device_id (None | str | Unset): The device's own id, recorded with any conflict. Example: tablet-7.
    """

    changes: SyncChanges
    last_pulled_at: int | None
    device_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        changes = self.changes.to_dict()

        last_pulled_at: int | None
        last_pulled_at = self.last_pulled_at

        device_id: None | str | Unset
        if isinstance(self.device_id, Unset):
            device_id = UNSET
        else:
            device_id = self.device_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "changes": changes,
                "lastPulledAt": last_pulled_at,
            }
        )
        if device_id is not UNSET:
            field_dict["deviceId"] = device_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sync_changes import SyncChanges  # noqa: PLC0415

        d = dict(src_dict)
        changes = SyncChanges.from_dict(d.pop("changes"))

        def _parse_last_pulled_at(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        last_pulled_at = _parse_last_pulled_at(d.pop("lastPulledAt"))

        def _parse_device_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        device_id = _parse_device_id(d.pop("deviceId", UNSET))

        sync_push_request = cls(
            changes=changes,
            last_pulled_at=last_pulled_at,
            device_id=device_id,
        )

        return sync_push_request
