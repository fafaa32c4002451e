from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.sync_work_log_entries_record_kind import SyncWorkLogEntriesRecordKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="SyncWorkLogEntriesRecord")


@_attrs_define
class SyncWorkLogEntriesRecord:
    """A work log entry. Append-only: a device that edits one gets the edit appended as a correcting entry. `labor` needs
    `minutes`, `material` needs `material_name` and `quantity`, `observation` needs `note`.

        Attributes:
            id (UUID): The record's id: a UUIDv7 the device made, for records it creates. Example:
                0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
            work_order_id (UUID): Set by the device. Example: 0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
            kind (SyncWorkLogEntriesRecordKind): Set by the device. Example: labor.
            author_id (None | Unset | UUID): Set by the server; ignored when a device sends it. Example:
                0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
            logged_at (int | None | Unset): Milliseconds since 1970-01-01T00:00:00Z (negative before it), from
                0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z as in the REST API. Set by the device. Example: 1795600000000.
            minutes (int | None | Unset): Set by the device. Example: 1.
            material_name (None | str | Unset): Set by the device. Example: text.
            quantity (float | None | Unset): Set by the device. Example: 1.5.
            unit (None | str | Unset): Set by the device. Example: text.
            unit_cost (float | None | Unset): Set by the device. Example: 1.5.
            note (None | str | Unset): Set by the device. Example: text.
            corrects_id (None | Unset | UUID): Set by the device. Example: 0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
            created_at (int | Unset): Milliseconds since 1970-01-01T00:00:00Z (negative before it), from
                0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z as in the REST API. Set by the server; ignored when a device sends
                it. Example: 1795600000000.
            field_status (str | Unset): WatermelonDB's local sync status; ignored. Example: updated.
            field_changed (str | Unset): WatermelonDB's local list of changed columns; ignored. Example: status.
    """

    id: UUID
    work_order_id: UUID
    kind: SyncWorkLogEntriesRecordKind
    author_id: None | Unset | UUID = UNSET
    logged_at: int | None | Unset = UNSET
    minutes: int | None | Unset = UNSET
    material_name: None | str | Unset = UNSET
    quantity: float | None | Unset = UNSET
    unit: None | str | Unset = UNSET
    unit_cost: float | None | Unset = UNSET
    note: None | str | Unset = UNSET
    corrects_id: None | Unset | UUID = UNSET
    created_at: int | Unset = UNSET
    field_status: str | Unset = UNSET
    field_changed: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        work_order_id = str(self.work_order_id)

        kind = self.kind.value

        author_id: None | str | Unset
        if isinstance(self.author_id, Unset):
            author_id = UNSET
        elif isinstance(self.author_id, UUID):
            author_id = str(self.author_id)
        else:
            author_id = self.author_id

        logged_at: int | None | Unset
        if isinstance(self.logged_at, Unset):
            logged_at = UNSET
        else:
            logged_at = self.logged_at

        minutes: int | None | Unset
        if isinstance(self.minutes, Unset):
            minutes = UNSET
        else:
            minutes = self.minutes

        material_name: None | str | Unset
        if isinstance(self.material_name, Unset):
            material_name = UNSET
        else:
            material_name = self.material_name

        quantity: float | None | Unset
        if isinstance(self.quantity, Unset):
            quantity = UNSET
        else:
            quantity = self.quantity

        unit: None | str | Unset
        if isinstance(self.unit, Unset):
            unit = UNSET
        else:
            unit = self.unit

        unit_cost: float | None | Unset
        if isinstance(self.unit_cost, Unset):
            unit_cost = UNSET
        else:
            unit_cost = self.unit_cost

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        corrects_id: None | str | Unset
        if isinstance(self.corrects_id, Unset):
            corrects_id = UNSET
        elif isinstance(self.corrects_id, UUID):
            corrects_id = str(self.corrects_id)
        else:
            corrects_id = self.corrects_id

        created_at = self.created_at

        field_status = self.field_status

        field_changed = self.field_changed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "work_order_id": work_order_id,
                "kind": kind,
            }
        )
        if author_id is not UNSET:
            field_dict["author_id"] = author_id
        if logged_at is not UNSET:
            field_dict["logged_at"] = logged_at
        if minutes is not UNSET:
            field_dict["minutes"] = minutes
        if material_name is not UNSET:
            field_dict["material_name"] = material_name
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if unit is not UNSET:
            field_dict["unit"] = unit
        if unit_cost is not UNSET:
            field_dict["unit_cost"] = unit_cost
        if note is not UNSET:
            field_dict["note"] = note
        if corrects_id is not UNSET:
            field_dict["corrects_id"] = corrects_id
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

        work_order_id = UUID(d.pop("work_order_id"))

        kind = SyncWorkLogEntriesRecordKind(d.pop("kind"))

        def _parse_author_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                author_id_type_0 = UUID(data)

                return author_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        author_id = _parse_author_id(d.pop("author_id", UNSET))

        def _parse_logged_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        logged_at = _parse_logged_at(d.pop("logged_at", UNSET))

        def _parse_minutes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        minutes = _parse_minutes(d.pop("minutes", UNSET))

        def _parse_material_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        material_name = _parse_material_name(d.pop("material_name", UNSET))

        def _parse_quantity(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        quantity = _parse_quantity(d.pop("quantity", UNSET))

        def _parse_unit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        unit = _parse_unit(d.pop("unit", UNSET))

        def _parse_unit_cost(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        unit_cost = _parse_unit_cost(d.pop("unit_cost", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        def _parse_corrects_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                corrects_id_type_0 = UUID(data)

                return corrects_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        corrects_id = _parse_corrects_id(d.pop("corrects_id", UNSET))

        created_at = d.pop("created_at", UNSET)

        field_status = d.pop("_status", UNSET)

        field_changed = d.pop("_changed", UNSET)

        sync_work_log_entries_record = cls(
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
            corrects_id=corrects_id,
            created_at=created_at,
            field_status=field_status,
            field_changed=field_changed,
        )

        return sync_work_log_entries_record
