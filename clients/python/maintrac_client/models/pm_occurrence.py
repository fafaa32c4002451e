from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.pm_occurrence_reason import PmOccurrenceReason

T = TypeVar("T", bound="PmOccurrence")


@_attrs_define
class PmOccurrence:
    """One due occurrence of a plan, which becomes one work order.

    Attributes:
        occurrence (int): The occurrence's number in the plan's series (0 is the first); a work order is generated once
            per number. Example: 3.
        due_at (datetime.datetime | None): When it is due by the calendar (UTC). Example: 2027-03-01T08:00:00Z.
        due_meter (float | None): The meter value at which it is due.
        reason (PmOccurrenceReason): What made it due (for calendar-or-meter plans, whichever came first). Example:
            calendar.
    """

    occurrence: int
    due_at: datetime.datetime | None
    due_meter: float | None
    reason: PmOccurrenceReason
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        occurrence = self.occurrence

        due_at: None | str
        if isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        due_meter: float | None
        due_meter = self.due_meter

        reason = self.reason.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "occurrence": occurrence,
                "dueAt": due_at,
                "dueMeter": due_meter,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        occurrence = d.pop("occurrence")

        def _parse_due_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_at_type_0 = datetime.datetime.fromisoformat(data)

                return due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        due_at = _parse_due_at(d.pop("dueAt"))

        def _parse_due_meter(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        due_meter = _parse_due_meter(d.pop("dueMeter"))

        reason = PmOccurrenceReason(d.pop("reason"))

        pm_occurrence = cls(
            occurrence=occurrence,
            due_at=due_at,
            due_meter=due_meter,
            reason=reason,
        )

        pm_occurrence.additional_properties = d
        return pm_occurrence

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
