from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.work_log_entry_kind import WorkLogEntryKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="WorkLogEntryCreate")


@_attrs_define
class WorkLogEntryCreate:
    """A new entry. `labor` needs `minutes`; `material` needs `materialName` and
    `quantity`; `observation` needs `note`.

        Attributes:
            kind (WorkLogEntryKind): Labour time, material used, or an observation. Example: labor.
            logged_at (datetime.datetime | Unset): When the work was done (default now). Example: 2026-11-25T10:00:00Z.
            minutes (int | Unset): Labour time in minutes (at most a week). Example: 45.
            material_name (str | Unset): The material used. Example: V-belt SPA 1250.
            quantity (float | Unset): How much material was used. Example: 2.
            unit (str | Unset): The quantity's unit. Example: pcs.
            unit_cost (float | Unset): Cost per unit. Example: 18.4.
            note (str | Unset): Free text. Example: Replaced belt and re-tensioned..
            corrects_entry_id (UUID | Unset): The entry of the same kind on this work order that this one corrects. Example:
                0193a3c4-7f1e-7c2a-9b0d-000000000090.
    """

    kind: WorkLogEntryKind
    logged_at: datetime.datetime | Unset = UNSET
    minutes: int | Unset = UNSET
    material_name: str | Unset = UNSET
    quantity: float | Unset = UNSET
    unit: str | Unset = UNSET
    unit_cost: float | Unset = UNSET
    note: str | Unset = UNSET
    corrects_entry_id: UUID | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        logged_at: str | Unset = UNSET
        if not isinstance(self.logged_at, Unset):
            logged_at = self.logged_at.isoformat()

        minutes = self.minutes

        material_name = self.material_name

        quantity = self.quantity

        unit = self.unit

        unit_cost = self.unit_cost

        note = self.note

        corrects_entry_id: str | Unset = UNSET
        if not isinstance(self.corrects_entry_id, Unset):
            corrects_entry_id = str(self.corrects_entry_id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
            }
        )
        if logged_at is not UNSET:
            field_dict["loggedAt"] = logged_at
        if minutes is not UNSET:
            field_dict["minutes"] = minutes
        if material_name is not UNSET:
            field_dict["materialName"] = material_name
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if unit is not UNSET:
            field_dict["unit"] = unit
        if unit_cost is not UNSET:
            field_dict["unitCost"] = unit_cost
        if note is not UNSET:
            field_dict["note"] = note
        if corrects_entry_id is not UNSET:
            field_dict["correctsEntryId"] = corrects_entry_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = WorkLogEntryKind(d.pop("kind"))

        _logged_at = d.pop("loggedAt", UNSET)
        logged_at: datetime.datetime | Unset
        if isinstance(_logged_at, Unset):
            logged_at = UNSET
        else:
            logged_at = datetime.datetime.fromisoformat(_logged_at)

        minutes = d.pop("minutes", UNSET)

        material_name = d.pop("materialName", UNSET)

        quantity = d.pop("quantity", UNSET)

        unit = d.pop("unit", UNSET)

        unit_cost = d.pop("unitCost", UNSET)

        note = d.pop("note", UNSET)

        _corrects_entry_id = d.pop("correctsEntryId", UNSET)
        corrects_entry_id: UUID | Unset
        if isinstance(_corrects_entry_id, Unset):
            corrects_entry_id = UNSET
        else:
            corrects_entry_id = UUID(_corrects_entry_id)

        work_log_entry_create = cls(
            kind=kind,
            logged_at=logged_at,
            minutes=minutes,
            material_name=material_name,
            quantity=quantity,
            unit=unit,
            unit_cost=unit_cost,
            note=note,
            corrects_entry_id=corrects_entry_id,
        )

        return work_log_entry_create
