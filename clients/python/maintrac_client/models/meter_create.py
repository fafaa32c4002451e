from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.meter_kind import MeterKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="MeterCreate")


@_attrs_define
class MeterCreate:
    """A new meter on an asset.

    Attributes:
        asset_id (UUID): The asset the meter is on (the `id` of one of your assets).
        name (str): What is measured. Example: Run hours.
        unit (str): Unit of the readings. Example: h.
        kind (MeterKind | Unset): `cumulative` only grows (run hours, odometer, cycles) and can trigger PM plans;
            `gauge` goes up and down (pressure, temperature).
             Example: cumulative.
    """

    asset_id: UUID
    name: str
    unit: str
    kind: MeterKind | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        asset_id = str(self.asset_id)

        name = self.name

        unit = self.unit

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "assetId": asset_id,
                "name": name,
                "unit": unit,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset_id = UUID(d.pop("assetId"))

        name = d.pop("name")

        unit = d.pop("unit")

        _kind = d.pop("kind", UNSET)
        kind: MeterKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = MeterKind(_kind)

        meter_create = cls(
            asset_id=asset_id,
            name=name,
            unit=unit,
            kind=kind,
        )

        return meter_create
