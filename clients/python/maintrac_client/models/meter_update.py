from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MeterUpdate")


@_attrs_define
class MeterUpdate:
    """Fields to change. Absent fields are kept.

    Attributes:
        name (str | Unset): What is measured. Example: Engine hours.
        unit (str | Unset): Unit of the readings. Example: h.
    """

    name: str | Unset = UNSET
    unit: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        unit = self.unit

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if unit is not UNSET:
            field_dict["unit"] = unit

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        unit = d.pop("unit", UNSET)

        meter_update = cls(
            name=name,
            unit=unit,
        )

        return meter_update
