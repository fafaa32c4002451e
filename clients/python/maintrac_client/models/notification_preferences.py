from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="NotificationPreferences")


@_attrs_define
class NotificationPreferences:
    """Which e-mail notices the user gets (each on unless turned off). Nobody is mailed
    about their own action, and a deactivated user gets nothing, whatever this says.

        Attributes:
            work_order_assigned (bool): A work order was assigned to the user. Example: True.
            work_order_status_changed (bool): A work order the user is assigned to, or created, changed status. Example:
                True.
            pm_work_order_generated (bool): A PM plan generated a work order assigned to the user. Example: True.
            overdue_digest (bool): The daily digest of the user's overdue work orders. Example: True.
    """

    work_order_assigned: bool
    work_order_status_changed: bool
    pm_work_order_generated: bool
    overdue_digest: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        work_order_assigned = self.work_order_assigned

        work_order_status_changed = self.work_order_status_changed

        pm_work_order_generated = self.pm_work_order_generated

        overdue_digest = self.overdue_digest

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "workOrderAssigned": work_order_assigned,
                "workOrderStatusChanged": work_order_status_changed,
                "pmWorkOrderGenerated": pm_work_order_generated,
                "overdueDigest": overdue_digest,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        work_order_assigned = d.pop("workOrderAssigned")

        work_order_status_changed = d.pop("workOrderStatusChanged")

        pm_work_order_generated = d.pop("pmWorkOrderGenerated")

        overdue_digest = d.pop("overdueDigest")

        notification_preferences = cls(
            work_order_assigned=work_order_assigned,
            work_order_status_changed=work_order_status_changed,
            pm_work_order_generated=pm_work_order_generated,
            overdue_digest=overdue_digest,
        )

        notification_preferences.additional_properties = d
        return notification_preferences

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
