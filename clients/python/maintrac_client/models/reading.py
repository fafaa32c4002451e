from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.reading_source import ReadingSource

T = TypeVar("T", bound="Reading")


@_attrs_define
class Reading:
    """One reading of a meter. Never edited.

    Attributes:
        id (UUID): The reading's id (UUIDv7). Example: 0193a3c4-7f1e-7c2a-9b0d-000000000070.
        meter_id (UUID): The meter read. Example: 0193a3c4-7f1e-7c2a-9b0d-000000000040.
        value (float): The value read, in the meter's unit. Example: 1523.5.
        taken_at (datetime.datetime): When the value was read (UTC). Example: 2026-11-25T09:12:00Z.
        taken_by (None | UUID): The user who recorded it. Example: 0193a3c4-0000-7000-8000-000000000001.
        work_order_id (None | UUID): The work order during which it was read, if any.
        note (None | str): A remark about the reading. Example: Read at start of shift..
        source (ReadingSource): How the reading arrived. Example: api.
        created_at (datetime.datetime): When the server recorded it (UTC). Example: 2026-11-25T09:12:03Z.
    """

    id: UUID
    meter_id: UUID
    value: float
    taken_at: datetime.datetime
    taken_by: None | UUID
    work_order_id: None | UUID
    note: None | str
    source: ReadingSource
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        meter_id = str(self.meter_id)

        value = self.value

        taken_at = self.taken_at.isoformat()

        taken_by: None | str
        if isinstance(self.taken_by, UUID):
            taken_by = str(self.taken_by)
        else:
            taken_by = self.taken_by

        work_order_id: None | str
        if isinstance(self.work_order_id, UUID):
            work_order_id = str(self.work_order_id)
        else:
            work_order_id = self.work_order_id

        note: None | str
        note = self.note

        source = self.source.value

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "meterId": meter_id,
                "value": value,
                "takenAt": taken_at,
                "takenBy": taken_by,
                "workOrderId": work_order_id,
                "note": note,
                "source": source,
                "createdAt": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        meter_id = UUID(d.pop("meterId"))

        value = d.pop("value")

        taken_at = datetime.datetime.fromisoformat(d.pop("takenAt"))

        def _parse_taken_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                taken_by_type_0 = UUID(data)

                return taken_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        taken_by = _parse_taken_by(d.pop("takenBy"))

        def _parse_work_order_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                work_order_id_type_0 = UUID(data)

                return work_order_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        work_order_id = _parse_work_order_id(d.pop("workOrderId"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        source = ReadingSource(d.pop("source"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        reading = cls(
            id=id,
            meter_id=meter_id,
            value=value,
            taken_at=taken_at,
            taken_by=taken_by,
            work_order_id=work_order_id,
            note=note,
            source=source,
            created_at=created_at,
        )

        reading.additional_properties = d
        return reading

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
