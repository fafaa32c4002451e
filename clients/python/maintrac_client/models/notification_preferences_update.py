from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="NotificationPreferencesUpdate")


@_attrs_define
class NotificationPreferencesUpdate:
    """Kinds of notice to turn on or off; kinds not sent keep their setting.

    Attributes:
        work_order_assigned (bool | Unset): A work order was assigned to the user. Example: True.
        work_order_status_changed (bool | Unset): A work order the user is assigned to, or created, changed status.
            Example: True.
        pm_work_order_generated (bool | Unset): A PM plan generated a work order assigned to the user. Example: True.
        overdue_digest (bool | Unset): The daily digest of the user's overdue work orders. Example: False.
    """

    work_order_assigned: bool | Unset = UNSET
    work_order_status_changed: bool | Unset = UNSET
    pm_work_order_generated: bool | Unset = UNSET
    overdue_digest: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        work_order_assigned = self.work_order_assigned

        work_order_status_changed = self.work_order_status_changed

        pm_work_order_generated = self.pm_work_order_generated

        overdue_digest = self.overdue_digest

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if work_order_assigned is not UNSET:
            field_dict["workOrderAssigned"] = work_order_assigned
        if work_order_status_changed is not UNSET:
            field_dict["workOrderStatusChanged"] = work_order_status_changed
        if pm_work_order_generated is not UNSET:
            field_dict["pmWorkOrderGenerated"] = pm_work_order_generated
        if overdue_digest is not UNSET:
            field_dict["overdueDigest"] = overdue_digest

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        work_order_assigned = d.pop("workOrderAssigned", UNSET)

        work_order_status_changed = d.pop("workOrderStatusChanged", UNSET)

        pm_work_order_generated = d.pop("pmWorkOrderGenerated", UNSET)

        overdue_digest = d.pop("overdueDigest", UNSET)

        notification_preferences_update = cls(
            work_order_assigned=work_order_assigned,
            work_order_status_changed=work_order_status_changed,
            pm_work_order_generated=pm_work_order_generated,
            overdue_digest=overdue_digest,
        )

        return notification_preferences_update
