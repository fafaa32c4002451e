from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SyncMetersRecord")


@_attrs_define
class SyncMetersRecord:
    """A meter (read-only for devices).

    Attributes:
        id (UUID): The record's id: a UUIDv7 the device made, for records it creates. Example:
            0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
        asset_id (None | Unset | UUID): Set by the server; ignored when a device sends it. Example:
            0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
        name (None | str | Unset): Set by the server; ignored when a device sends it. Example: text.
        unit (None | str | Unset): Set by the server; ignored when a device sends it. Example: text.
        kind (None | str | Unset): Set by the server; ignored when a device sends it. Example: text.
        last_reading_value (float | None | Unset): Set by the server; ignored when a device sends it. Example: 1.5.
        last_reading_at (int | None | Unset): Milliseconds since 1970-01-01T00:00:00Z (negative before it), from
            0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z as in the REST API. Set by the server; ignored when a device sends
            it. Example: 1795600000000.
        created_at (int | Unset): Milliseconds since 1970-01-01T00:00:00Z (negative before it), from
            0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z as in the REST API. Set by the server; ignored when a device sends
            it. Example: 1795600000000.
        updated_at (int | Unset): Milliseconds since 1970-01-01T00:00:00Z (negative before it), from
            0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z as in the REST API. Set by the server; ignored when a device sends
            it. Example: 1795600000000.
        field_status (str | Unset): WatermelonDB's local sync status; ignored. Example: updated.
        field_changed (str | Unset): WatermelonDB's local list of changed columns; ignored. Example: status.
    """

    id: UUID
    asset_id: None | Unset | UUID = UNSET
    name: None | str | Unset = UNSET
    unit: None | str | Unset = UNSET
    kind: None | str | Unset = UNSET
    last_reading_value: float | None | Unset = UNSET
    last_reading_at: int | None | Unset = UNSET
    created_at: int | Unset = UNSET
    updated_at: int | Unset = UNSET
    field_status: str | Unset = UNSET
    field_changed: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        asset_id: None | str | Unset
        if isinstance(self.asset_id, Unset):
            asset_id = UNSET
        elif isinstance(self.asset_id, UUID):
            asset_id = str(self.asset_id)
        else:
            asset_id = self.asset_id

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        unit: None | str | Unset
        if isinstance(self.unit, Unset):
            unit = UNSET
        else:
            unit = self.unit

        kind: None | str | Unset
        if isinstance(self.kind, Unset):
            kind = UNSET
        else:
            kind = self.kind

        last_reading_value: float | None | Unset
        if isinstance(self.last_reading_value, Unset):
            last_reading_value = UNSET
        else:
            last_reading_value = self.last_reading_value

        last_reading_at: int | None | Unset
        if isinstance(self.last_reading_at, Unset):
            last_reading_at = UNSET
        else:
            last_reading_at = self.last_reading_at

        created_at = self.created_at

        updated_at = self.updated_at

        field_status = self.field_status

        field_changed = self.field_changed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
            }
        )
        if asset_id is not UNSET:
            field_dict["asset_id"] = asset_id
        if name is not UNSET:
            field_dict["name"] = name
        if unit is not UNSET:
            field_dict["unit"] = unit
        if kind is not UNSET:
            field_dict["kind"] = kind
        if last_reading_value is not UNSET:
            field_dict["last_reading_value"] = last_reading_value
        if last_reading_at is not UNSET:
            field_dict["last_reading_at"] = last_reading_at
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if field_status is not UNSET:
            field_dict["_status"] = field_status
        if field_changed is not UNSET:
            field_dict["_changed"] = field_changed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        def _parse_asset_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                asset_id_type_0 = UUID(data)

                return asset_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        asset_id = _parse_asset_id(d.pop("asset_id", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_unit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        unit = _parse_unit(d.pop("unit", UNSET))

        def _parse_kind(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        kind = _parse_kind(d.pop("kind", UNSET))

        def _parse_last_reading_value(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        last_reading_value = _parse_last_reading_value(d.pop("last_reading_value", UNSET))

        def _parse_last_reading_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_reading_at = _parse_last_reading_at(d.pop("last_reading_at", UNSET))

        created_at = d.pop("created_at", UNSET)

        updated_at = d.pop("updated_at", UNSET)

        field_status = d.pop("_status", UNSET)

        field_changed = d.pop("_changed", UNSET)

        sync_meters_record = cls(
            id=id,
            asset_id=asset_id,
            name=name,
            unit=unit,
            kind=kind,
            last_reading_value=last_reading_value,
            last_reading_at=last_reading_at,
            created_at=created_at,
            updated_at=updated_at,
            field_status=field_status,
            field_changed=field_changed,
        )

        return sync_meters_record
