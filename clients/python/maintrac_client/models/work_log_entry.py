from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.work_log_entry_kind import WorkLogEntryKind

T = TypeVar("T", bound="WorkLogEntry")


@_attrs_define
class WorkLogEntry:
    """An append-only entry on a work order.

    Attributes:
        id (UUID): The entry's id (UUIDv7). Example: 0193a3c4-7f1e-7c2a-9b0d-000000000090.
        work_order_id (UUID): The work order. Example: 0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
        kind (WorkLogEntryKind): Labour time, material used, or an observation. Example: labor.
        author_id (UUID): The user who wrote the entry. Example: 0193a3c4-0000-7000-8000-000000000001.
        logged_at (datetime.datetime): When the work was done or the observation made (UTC). Example:
            2026-11-25T10:00:00Z.
        minutes (int | None): Labour time in minutes (labor entries). Example: 45.
        material_name (None | str): The material used (material entries). Example: V-belt SPA 1250.
        quantity (float | None): How much material was used. Example: 2.
        unit (None | str): The quantity's unit. Example: pcs.
        unit_cost (float | None): Cost per unit, in the tenant's currency. Example: 18.4.
        note (None | str): Free text; required for observations. Example: Replaced belt and re-tensioned..
        corrects_entry_id (None | UUID): The entry this one corrects (and supersedes).
        superseded_by_id (None | UUID): The entry that corrected this one; a superseded entry no longer counts.
        created_at (datetime.datetime): When the server recorded it (UTC). Example: 2026-11-25T10:00:02Z.
    """

    id: UUID
    work_order_id: UUID
    kind: WorkLogEntryKind
    author_id: UUID
    logged_at: datetime.datetime
    minutes: int | None
    material_name: None | str
    quantity: float | None
    unit: None | str
    unit_cost: float | None
    note: None | str
    corrects_entry_id: None | UUID
    superseded_by_id: None | UUID
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        work_order_id = str(self.work_order_id)

        kind = self.kind.value

        author_id = str(self.author_id)

        logged_at = self.logged_at.isoformat()

        minutes: int | None
        minutes = self.minutes

        material_name: None | str
        material_name = self.material_name

        quantity: float | None
        quantity = self.quantity

        unit: None | str
        unit = self.unit

        unit_cost: float | None
        unit_cost = self.unit_cost

        note: None | str
        note = self.note

        corrects_entry_id: None | str
        if isinstance(self.corrects_entry_id, UUID):
            corrects_entry_id = str(self.corrects_entry_id)
        else:
            corrects_entry_id = self.corrects_entry_id

        superseded_by_id: None | str
        if isinstance(self.superseded_by_id, UUID):
            superseded_by_id = str(self.superseded_by_id)
        else:
            superseded_by_id = self.superseded_by_id

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "workOrderId": work_order_id,
                "kind": kind,
                "authorId": author_id,
                "loggedAt": logged_at,
                "minutes": minutes,
                "materialName": material_name,
                "quantity": quantity,
                "unit": unit,
                "unitCost": unit_cost,
                "note": note,
                "correctsEntryId": corrects_entry_id,
                "supersededById": superseded_by_id,
                "createdAt": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        work_order_id = UUID(d.pop("workOrderId"))

        kind = WorkLogEntryKind(d.pop("kind"))

        author_id = UUID(d.pop("authorId"))

        logged_at = datetime.datetime.fromisoformat(d.pop("loggedAt"))

        def _parse_minutes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        minutes = _parse_minutes(d.pop("minutes"))

        def _parse_material_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        material_name = _parse_material_name(d.pop("materialName"))

        def _parse_quantity(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        quantity = _parse_quantity(d.pop("quantity"))

        def _parse_unit(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        unit = _parse_unit(d.pop("unit"))

        def _parse_unit_cost(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        unit_cost = _parse_unit_cost(d.pop("unitCost"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        def _parse_corrects_entry_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                corrects_entry_id_type_0 = UUID(data)

                return corrects_entry_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        corrects_entry_id = _parse_corrects_entry_id(d.pop("correctsEntryId"))

        def _parse_superseded_by_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                superseded_by_id_type_0 = UUID(data)

                return superseded_by_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        superseded_by_id = _parse_superseded_by_id(d.pop("supersededById"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        work_log_entry = cls(
            id=id,
            work_order_id=work_order_id,
            kind=kind,
            author_id=author_id,
            logged_at=logged_at,
            minutes=minutes,
            material_name=material_name,
            quantity=quantity,
            unit=unit,
            unit_cost=unit_cost,
            note=note,
            corrects_entry_id=corrects_entry_id,
            superseded_by_id=superseded_by_id,
            created_at=created_at,
        )

        work_log_entry.additional_properties = d
        return work_log_entry

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
