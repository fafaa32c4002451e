from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SyncConflict")


@_attrs_define
class SyncConflict:
    """One client change that the conflict policy rejected or overrode.

    Attributes:
        id (UUID): The conflict's id (UUIDv7). Example: 0193a3c4-7f1e-7c2a-9b0d-0000000000a0.
        table (str): The synced table. Example: work_orders.
        record_id (UUID): The record. Example: 0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
        field (None | str): The column, when the conflict is about one field. Example: status.
        client_value (Any): What the device sent (any JSON value). Example: in_progress.
        server_value (Any): What the server had (any JSON value). Example: complete.
        resolution (str): `server_wins`, `rejected_terminal_status`, `rejected_invalid_transition`,
            `client_wins_last_write`, `server_wins_last_write`, `appended`,
            `rejected_read_only`, `rejected_append_only`, `rejected_permission`,
            `rejected_id`. New values may be added.
             Example: rejected_terminal_status.
        user_id (None | UUID): The user who pushed. Example: 0193a3c4-0000-7000-8000-000000000001.
        device_id (None | str): The device that pushed, if it said. Example: tablet-7.
        occurred_at (datetime.datetime): When the push was applied (UTC). Example: 2026-11-25T12:00:00Z.
    """

    id: UUID
    table: str
    record_id: UUID
    field: None | str
    client_value: Any
    server_value: Any
    resolution: str
    user_id: None | UUID
    device_id: None | str
    occurred_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        table = self.table

        record_id = str(self.record_id)

        field: None | str
        field = self.field

        client_value = self.client_value

        server_value = self.server_value

        resolution = self.resolution

        user_id: None | str
        if isinstance(self.user_id, UUID):
            user_id = str(self.user_id)
        else:
            user_id = self.user_id

        device_id: None | str
        device_id = self.device_id

        occurred_at = self.occurred_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "table": table,
                "recordId": record_id,
                "field": field,
                "clientValue": client_value,
                "serverValue": server_value,
                "resolution": resolution,
                "userId": user_id,
                "deviceId": device_id,
                "occurredAt": occurred_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        table = d.pop("table")

        record_id = UUID(d.pop("recordId"))

        def _parse_field(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        field = _parse_field(d.pop("field"))

        client_value = d.pop("clientValue")

        server_value = d.pop("serverValue")

        resolution = d.pop("resolution")

        def _parse_user_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                user_id_type_0 = UUID(data)

                return user_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        user_id = _parse_user_id(d.pop("userId"))

        def _parse_device_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        device_id = _parse_device_id(d.pop("deviceId"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurredAt"))

        sync_conflict = cls(
            id=id,
            table=table,
            record_id=record_id,
            field=field,
            client_value=client_value,
            server_value=server_value,
            resolution=resolution,
            user_id=user_id,
            device_id=device_id,
            occurred_at=occurred_at,
        )

        sync_conflict.additional_properties = d
        return sync_conflict

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
