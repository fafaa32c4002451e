from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.pm_interval_unit import PmIntervalUnit
from ..types import UNSET, Unset

T = TypeVar("T", bound="PmCalendarFloatingTrigger")


@_attrs_define
class PmCalendarFloatingTrigger:
    """`intervalCount` `intervalUnit`s after the last completion (the first at `anchorAt`).
    The meter fields are ignored.

        Attributes:
            type_ (Literal['calendar_floating']): The trigger type (the discriminator).
            interval_count (int): Every N intervals. Example: 1.
            interval_unit (PmIntervalUnit): The calendar interval. Months keep the day of month, or the month's last day.
                Example: month.
            anchor_at (datetime.datetime): The first due time; later ones keep its local time of day in the tenant's time
                zone. Example: 2026-12-01T08:00:00Z.
            meter_id (UUID | Unset): A cumulative meter of the plan's asset. Example: 0193a3c4-7f1e-7c2a-9b0d-000000000040.
            meter_interval (float | Unset): Every N units of the meter. Example: 500.
            meter_anchor (float | Unset): The meter value at which the first occurrence is due. Example: 1500.
    """

    type_: Literal["calendar_floating"]
    interval_count: int
    interval_unit: PmIntervalUnit
    anchor_at: datetime.datetime
    meter_id: UUID | Unset = UNSET
    meter_interval: float | Unset = UNSET
    meter_anchor: float | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        interval_count = self.interval_count

        interval_unit = self.interval_unit.value

        anchor_at = self.anchor_at.isoformat()

        meter_id: str | Unset = UNSET
        if not isinstance(self.meter_id, Unset):
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
            }
        )
        if meter_id is not UNSET:
            field_dict["meterId"] = meter_id
        if meter_interval is not UNSET:
            field_dict["meterInterval"] = meter_interval
        if meter_anchor is not UNSET:
            field_dict["meterAnchor"] = meter_anchor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["calendar_floating"], d.pop("type"))
        if type_ != "calendar_floating":
            raise ValueError(f"type must match const 'calendar_floating', got '{type_}'")

        interval_count = d.pop("intervalCount")

        interval_unit = PmIntervalUnit(d.pop("intervalUnit"))

        anchor_at = datetime.datetime.fromisoformat(d.pop("anchorAt"))

        _meter_id = d.pop("meterId", UNSET)
        meter_id: UUID | Unset
        if isinstance(_meter_id, Unset):
            meter_id = UNSET
        else:
            meter_id = UUID(_meter_id)

        meter_interval = d.pop("meterInterval", UNSET)

        meter_anchor = d.pop("meterAnchor", UNSET)

        pm_calendar_floating_trigger = cls(
            type_=type_,
            interval_count=interval_count,
            interval_unit=interval_unit,
            anchor_at=anchor_at,
            meter_id=meter_id,
            meter_interval=meter_interval,
            meter_anchor=meter_anchor,
        )

        return pm_calendar_floating_trigger
