from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReadingCreate")


@_attrs_define
class ReadingCreate:
    """A new reading.

    Attributes:
        value (float): The value read, in the meter's unit. Example: 1523.5.
        taken_at (datetime.datetime | Unset): When it was read (default now; at most 5 minutes in the future). Example:
            2026-11-25T09:12:00Z.
        work_order_id (None | Unset | UUID): The work order during which it was read.
        note (None | str | Unset): A remark about the reading. Example: Read at start of shift..
    """

    value: float
    taken_at: datetime.datetime | Unset = UNSET
    work_order_id: None | Unset | UUID = UNSET
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        value = self.value

        taken_at: str | Unset = UNSET
        if not isinstance(self.taken_at, Unset):
            taken_at = self.taken_at.isoformat()

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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "value": value,
            }
        )
        if taken_at is not UNSET:
            field_dict["takenAt"] = taken_at
        if work_order_id is not UNSET:
            field_dict["workOrderId"] = work_order_id
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        value = d.pop("value")

        _taken_at = d.pop("takenAt", UNSET)
        taken_at: datetime.datetime | Unset
        if isinstance(_taken_at, Unset):
            taken_at = UNSET
        else:
            taken_at = datetime.datetime.fromisoformat(_taken_at)

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

        work_order_id = _parse_work_order_id(d.pop("workOrderId", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        reading_create = cls(
            value=value,
            taken_at=taken_at,
            work_order_id=work_order_id,
            note=note,
        )

        return reading_create
