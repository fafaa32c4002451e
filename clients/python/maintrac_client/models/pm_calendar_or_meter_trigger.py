from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.pm_interval_unit import PmIntervalUnit

T = TypeVar("T", bound="PmCalendarOrMeterTrigger")


@_attrs_define
class PmCalendarOrMeterTrigger:
    """By the calendar (as `calendar_fixed`) or by the meter (as `meter`), whichever comes
    first.

        Attributes:
            type_ (Literal['calendar_or_meter']): The trigger type (the discriminator).
            interval_count (int): Every N intervals. Example: 1.
            interval_unit (PmIntervalUnit): The calendar interval. Months keep the day of month, or the month's last day.
                Example: month.
            anchor_at (datetime.datetime): The first due time; later ones keep its local time of day in the tenant's time
                zone. Example: 2026-12-01T08:00:00Z.
            meter_id (UUID): A cumulative meter of the plan's asset. Example: 0193a3c4-7f1e-7c2a-9b0d-000000000040.
            meter_interval (float): Every N units of the meter. Example: 500.
            meter_anchor (float): The meter value at which the first occurrence is due. Example: 1500.
    """

    type_: Literal["calendar_or_meter"]
    interval_count: int
    interval_unit: PmIntervalUnit
    anchor_at: datetime.datetime
    meter_id: UUID
    meter_interval: float
    meter_anchor: float

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        interval_count = self.interval_count

        interval_unit = self.interval_unit.value

        anchor_at = self.anchor_at.isoformat()

        meter_id = str(self.meter_id)

        meter_interval = self.meter_interval

        meter_anchor = self.meter_anchor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "intervalCount": interval_count,
                "intervalUnit": interval_unit,
                "anchorAt": anchor_at,
                "meterId": meter_id,
                "meterInterval": meter_interval,
                "meterAnchor": meter_anchor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["calendar_or_meter"], d.pop("type"))
        if type_ != "calendar_or_meter":
            raise ValueError(f"type must match const 'calendar_or_meter', got '{type_}'")

        interval_count = d.pop("intervalCount")

        interval_unit = PmIntervalUnit(d.pop("intervalUnit"))

        anchor_at = datetime.datetime.fromisoformat(d.pop("anchorAt"))

        meter_id = UUID(d.pop("meterId"))

        meter_interval = d.pop("meterInterval")

        meter_anchor = d.pop("meterAnchor")

        pm_calendar_or_meter_trigger = cls(
            type_=type_,
            interval_count=interval_count,
            interval_unit=interval_unit,
            anchor_at=anchor_at,
            meter_id=meter_id,
            meter_interval=meter_interval,
            meter_anchor=meter_anchor,
        )

        return pm_calendar_or_meter_trigger
