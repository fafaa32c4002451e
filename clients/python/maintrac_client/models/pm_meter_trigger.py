from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.pm_interval_unit import PmIntervalUnit
from ..types import UNSET, Unset

T = TypeVar("T", bound="PmMeterTrigger")


@_attrs_define
class PmMeterTrigger:
    """Every `meterInterval` units of the meter `meterId` from `meterAnchor`. The calendar
    fields are ignored.

        Attributes:
            type_ (Literal['meter']): The trigger type (the discriminator).
            meter_id (UUID): A cumulative meter of the plan's asset. Example: 0193a3c4-7f1e-7c2a-9b0d-000000000040.
            meter_interval (float): Every N units of the meter. Example: 500.
            meter_anchor (float): The meter value at which the first occurrence is due. Example: 1500.
            interval_count (int | Unset): Every N intervals. Example: 1.
            interval_unit (PmIntervalUnit | Unset): The calendar interval. Months keep the day of month, or the month's last
                day. Example: month.
            anchor_at (datetime.datetime | Unset): The first due time; later ones keep its local time of day in the tenant's
                time zone. Example: 2026-12-01T08:00:00Z.
    """

    type_: Literal["meter"]
    meter_id: UUID
    meter_interval: float
    meter_anchor: float
    interval_count: int | Unset = UNSET
    interval_unit: PmIntervalUnit | Unset = UNSET
    anchor_at: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        meter_id = str(self.meter_id)

        meter_interval = self.meter_interval

        meter_anchor = self.meter_anchor

        interval_count = self.interval_count

        interval_unit: str | Unset = UNSET
        if not isinstance(self.interval_unit, Unset):
            interval_unit = self.interval_unit.value

        anchor_at: str | Unset = UNSET
        if not isinstance(self.anchor_at, Unset):
            anchor_at = self.anchor_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "meterId": meter_id,
                "meterInterval": meter_interval,
                "meterAnchor": meter_anchor,
            }
        )
        if interval_count is not UNSET:
            field_dict["intervalCount"] = interval_count
        if interval_unit is not UNSET:
            field_dict["intervalUnit"] = interval_unit
        if anchor_at is not UNSET:
            field_dict["anchorAt"] = anchor_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["meter"], d.pop("type"))
        if type_ != "meter":
            raise ValueError(f"type must match const 'meter', got '{type_}'")

        meter_id = UUID(d.pop("meterId"))

        meter_interval = d.pop("meterInterval")

        meter_anchor = d.pop("meterAnchor")

        interval_count = d.pop("intervalCount", UNSET)

        _interval_unit = d.pop("intervalUnit", UNSET)
        interval_unit: PmIntervalUnit | Unset
        if isinstance(_interval_unit, Unset):
            interval_unit = UNSET
        else:
            interval_unit = PmIntervalUnit(_interval_unit)

        _anchor_at = d.pop("anchorAt", UNSET)
        anchor_at: datetime.datetime | Unset
        if isinstance(_anchor_at, Unset):
            anchor_at = UNSET
        else:
            anchor_at = datetime.datetime.fromisoformat(_anchor_at)

        pm_meter_trigger = cls(
            type_=type_,
            meter_id=meter_id,
            meter_interval=meter_interval,
            meter_anchor=meter_anchor,
            interval_count=interval_count,
            interval_unit=interval_unit,
            anchor_at=anchor_at,
        )

        return pm_meter_trigger
