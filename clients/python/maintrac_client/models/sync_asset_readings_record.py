from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SyncAssetReadingsRecord")


@_attrs_define
class SyncAssetReadingsRecord:
    """A meter reading. Append-only: a device that edits one gets the new value kept as a separate reading.

    Attributes:
        id (UUID): The record's id: a UUIDv7 the device made, for records it creates. Example:
            0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
        meter_id (UUID): Set by the device. Example: 0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
        value (float): Set by the device. Example: 1.5.
        taken_at (int | None | Unset): Milliseconds since 1970-01-01T00:00:00Z (negative before it), from
            0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z as in the REST API. Set by the device. Example: 1795600000000.
        taken_by (None | Unset | UUID): Set by the server; ignored when a device sends it. Example:
            0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
        work_order_id (None | Unset | UUID): Set by the device. Example: 0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
        note (None | str | Unset): Set by the device. Example: text.
        created_at (int | Unset): Milliseconds since 1970-01-01T00:00:00Z (negative before it), from
            0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z as in the REST API. Set by the server; ignored when a device sends
            it. Example: 1795600000000.
        field_status (str | Unset): WatermelonDB's local sync status; ignored. Example: updated.
        field_changed (str | Unset): WatermelonDB's local list of changed columns; ignored. Example: status.
    """

    id: UUID
    meter_id: UUID
    value: float
    taken_at: int | None | Unset = UNSET
    taken_by: None | Unset | UUID = UNSET
    work_order_id: None | Unset | UUID = UNSET
    note: None | str | Unset = UNSET
    created_at: int | Unset = UNSET
    field_status: str | Unset = UNSET
    field_changed: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        meter_id = str(self.meter_id)

        value = self.value

        taken_at: int | None | Unset
        if isinstance(self.taken_at, Unset):
            taken_at = UNSET
        else:
            taken_at = self.taken_at

        taken_by: None | str | Unset
        if isinstance(self.taken_by, Unset):
            taken_by = UNSET
        elif isinstance(self.taken_by, UUID):
            taken_by = str(self.taken_by)
        else:
            taken_by = self.taken_by

        work_order_id: None | str | Unset
        if isinstance(self.work_order_id, Unset):
            work_order_id = UNSET
        elif isinstance(self.work_order_id, UUID):
            work_order_id = str(self.work_order_id)
        else:
            work_order_id = self.work_order_id

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        created_at = self.created_at

        field_status = self.field_status

        field_changed = self.field_changed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "meter_id": meter_id,
                "value": value,
            }
        )
        if taken_at is not UNSET:
            field_dict["taken_at"] = taken_at
        if taken_by is not UNSET:
            field_dict["taken_by"] = taken_by
        if work_order_id is not UNSET:
            field_dict["work_order_id"] = work_order_id
        if note is not UNSET:
            field_dict["note"] = note
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if field_status is not UNSET:
            field_dict["_status"] = field_status
        if field_changed is not UNSET:
            field_dict["_changed"] = field_changed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        meter_id = UUID(d.pop("meter_id"))

        value = d.pop("value")

        def _parse_taken_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        taken_at = _parse_taken_at(d.pop("taken_at", UNSET))

        def _parse_taken_by(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                taken_by_type_0 = UUID(data)

                return taken_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        taken_by = _parse_taken_by(d.pop("taken_by", UNSET))

        def _parse_work_order_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                work_order_id_type_0 = UUID(data)

                return work_order_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        work_order_id = _parse_work_order_id(d.pop("work_order_id", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        created_at = d.pop("created_at", UNSET)

        field_status = d.pop("_status", UNSET)

        field_changed = d.pop("_changed", UNSET)

        sync_asset_readings_record = cls(
            id=id,
            meter_id=meter_id,
            value=value,
            taken_at=taken_at,
            taken_by=taken_by,
            work_order_id=work_order_id,
            note=note,
            created_at=created_at,
            field_status=field_status,
            field_changed=field_changed,
        )

        return sync_asset_readings_record
