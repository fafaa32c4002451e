from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.pm_trigger_interval_unit import PmTriggerIntervalUnit
from ..models.pm_trigger_type import PmTriggerType
from ..types import UNSET, Unset

T = TypeVar("T", bound="PmTrigger")


@_attrs_define
class PmTrigger:
    """When a plan's work falls due. Calendar triggers need `intervalCount`,
    `intervalUnit` and `anchorAt`; meter triggers need `meterId`, `meterInterval` and
    `meterAnchor`; `calendar_or_meter` needs both sets. Fields a trigger type does not
    use are ignored and read back as null.

        Attributes:
            type_ (PmTriggerType): `calendar_fixed` (every N from `anchorAt`), `calendar_floating` (N after the last
                completion), `meter` (every `meterInterval` units from `meterAnchor`), or
                `calendar_or_meter` (whichever comes first).
                 Example: calendar_fixed.
            interval_count (int | Unset): Every N intervals. Example: 1.
            interval_unit (PmTriggerIntervalUnit | Unset): The calendar interval. Months keep the day of month, or the
                month's last day. Example: month.
            anchor_at (datetime.datetime | Unset): The first due time; later ones keep its local time of day in the tenant's
                time zone. Example: 2026-12-01T08:00:00Z.
            meter_id (UUID | Unset): A cumulative meter of the plan's asset. Example: 0193a3c4-7f1e-7c2a-9b0d-000000000040.
            meter_interval (float | Unset): Every N units of the meter. Example: 500.
            meter_anchor (float | Unset): The meter value at which the first occurrence is due. Example: 1500.
    """

    type_: PmTriggerType
    interval_count: int | Unset = UNSET
    interval_unit: PmTriggerIntervalUnit | Unset = UNSET
    anchor_at: datetime.datetime | Unset = UNSET
    meter_id: UUID | Unset = UNSET
    meter_interval: float | Unset = UNSET
    meter_anchor: float | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        interval_count = self.interval_count

        interval_unit: str | Unset = UNSET
        if not isinstance(self.interval_unit, Unset):
            interval_unit = self.interval_unit.value

        anchor_at: str | Unset = UNSET
        if not isinstance(self.anchor_at, Unset):
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
            }
        )
        if interval_count is not UNSET:
            field_dict["intervalCount"] = interval_count
        if interval_unit is not UNSET:
            field_dict["intervalUnit"] = interval_unit
        if anchor_at is not UNSET:
            field_dict["anchorAt"] = anchor_at
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
        type_ = PmTriggerType(d.pop("type"))

        interval_count = d.pop("intervalCount", UNSET)

        _interval_unit = d.pop("intervalUnit", UNSET)
        interval_unit: PmTriggerIntervalUnit | Unset
        if isinstance(_interval_unit, Unset):
            interval_unit = UNSET
        else:
            interval_unit = PmTriggerIntervalUnit(_interval_unit)

        _anchor_at = d.pop("anchorAt", UNSET)
        anchor_at: datetime.datetime | Unset
        if isinstance(_anchor_at, Unset):
            anchor_at = UNSET
        else:
            anchor_at = datetime.datetime.fromisoformat(_anchor_at)

        _meter_id = d.pop("meterId", UNSET)
        meter_id: UUID | Unset
        if isinstance(_meter_id, Unset):
            meter_id = UNSET
        else:
            meter_id = UUID(_meter_id)

        meter_interval = d.pop("meterInterval", UNSET)

        meter_anchor = d.pop("meterAnchor", UNSET)

        pm_trigger = cls(
            type_=type_,
            interval_count=interval_count,
            interval_unit=interval_unit,
            anchor_at=anchor_at,
            meter_id=meter_id,
            meter_interval=meter_interval,
            meter_anchor=meter_anchor,
        )

        return pm_trigger
