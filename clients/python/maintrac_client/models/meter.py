from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.meter_kind import MeterKind

T = TypeVar("T", bound="Meter")


@_attrs_define
class Meter:
    """Something measured on an asset.

    Attributes:
        id (UUID): The meter's id (UUIDv7). Example: 0193a3c4-7f1e-7c2a-9b0d-000000000040.
        asset_id (UUID): The asset the meter is on. Example: 0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
        name (str): What is measured. Example: Run hours.
        unit (str): Unit of the readings (h, km, cycles, psi, bar, degC, ...). Example: h.
        kind (MeterKind): `cumulative` only grows (run hours, odometer, cycles) and can trigger PM plans;
            `gauge` goes up and down (pressure, temperature).
             Example: cumulative.
        last_reading_value (float | None): The value of the latest reading (by `takenAt`). Example: 1523.5.
        last_reading_at (datetime.datetime | None): When the latest reading was taken (UTC). Example:
            2026-11-25T09:12:00Z.
        created_at (datetime.datetime): When the meter was added (UTC). Example: 2026-11-01T09:00:00Z.
        updated_at (datetime.datetime): When the meter last changed (UTC). Example: 2026-11-25T09:12:00Z.
    """

    id: UUID
    asset_id: UUID
    name: str
    unit: str
    kind: MeterKind
    last_reading_value: float | None
    last_reading_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        asset_id = str(self.asset_id)

        name = self.name

        unit = self.unit

        kind = self.kind.value

        last_reading_value: float | None
        last_reading_value = self.last_reading_value

        last_reading_at: None | str
        if isinstance(self.last_reading_at, datetime.datetime):
            last_reading_at = self.last_reading_at.isoformat()
        else:
            last_reading_at = self.last_reading_at

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "assetId": asset_id,
                "name": name,
                "unit": unit,
                "kind": kind,
                "lastReadingValue": last_reading_value,
                "lastReadingAt": last_reading_at,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        asset_id = UUID(d.pop("assetId"))

        name = d.pop("name")

        unit = d.pop("unit")

        kind = MeterKind(d.pop("kind"))

        def _parse_last_reading_value(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        last_reading_value = _parse_last_reading_value(d.pop("lastReadingValue"))

        def _parse_last_reading_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_reading_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_reading_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_reading_at = _parse_last_reading_at(d.pop("lastReadingAt"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        meter = cls(
            id=id,
            asset_id=asset_id,
            name=name,
            unit=unit,
            kind=kind,
            last_reading_value=last_reading_value,
            last_reading_at=last_reading_at,
            created_at=created_at,
            updated_at=updated_at,
        )

        meter.additional_properties = d
        return meter

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
