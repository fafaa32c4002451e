from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.work_order_priority import WorkOrderPriority
from ..models.work_order_status import WorkOrderStatus

T = TypeVar("T", bound="WebhookWorkOrder")


@_attrs_define
class WebhookWorkOrder:
    """The work order as it is after the event.

    Attributes:
        id (UUID): The work order's id. Example: 0193a3c4-7f1e-7c2a-9b0d-000000000001.
        number (int): The tenant's work order number. Example: 42.
        title (str): The title. Example: Check pump P-101.
        status (WorkOrderStatus): Where the work order is in its life. `complete` and `cancelled` are final.
             Example: open.
        priority (WorkOrderPriority): How urgent the work is. Example: medium.
        asset_id (None | UUID): The asset worked on.
        assignee_id (None | UUID): The assignee.
        pm_plan_id (None | UUID): The PM plan that generated it.
        due_at (datetime.datetime | None): When it is due (UTC).
        completed_at (datetime.datetime | None): When it was completed (UTC).
        version (int): The work order's version (its ETag) after the event. Example: 2.
        updated_at (datetime.datetime): When it last changed. Example: 2026-12-01T08:00:00Z.
    """

    id: UUID
    number: int
    title: str
    status: WorkOrderStatus
    priority: WorkOrderPriority
    asset_id: None | UUID
    assignee_id: None | UUID
    pm_plan_id: None | UUID
    due_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    version: int
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        number = self.number

        title = self.title

        status = self.status.value

        priority = self.priority.value

        asset_id: None | str
        if isinstance(self.asset_id, UUID):
            asset_id = str(self.asset_id)
        else:
            asset_id = self.asset_id

        assignee_id: None | str
        if isinstance(self.assignee_id, UUID):
            assignee_id = str(self.assignee_id)
        else:
            assignee_id = self.assignee_id

        pm_plan_id: None | str
        if isinstance(self.pm_plan_id, UUID):
            pm_plan_id = str(self.pm_plan_id)
        else:
            pm_plan_id = self.pm_plan_id

        due_at: None | str
        if isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        version = self.version

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "number": number,
                "title": title,
                "status": status,
                "priority": priority,
                "assetId": asset_id,
                "assigneeId": assignee_id,
                "pmPlanId": pm_plan_id,
                "dueAt": due_at,
                "completedAt": completed_at,
                "version": version,
                "updatedAt": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        number = d.pop("number")

        title = d.pop("title")

        status = WorkOrderStatus(d.pop("status"))

        priority = WorkOrderPriority(d.pop("priority"))

        def _parse_asset_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                asset_id_type_0 = UUID(data)

                return asset_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        asset_id = _parse_asset_id(d.pop("assetId"))

        def _parse_assignee_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                assignee_id_type_0 = UUID(data)

                return assignee_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        assignee_id = _parse_assignee_id(d.pop("assigneeId"))

        def _parse_pm_plan_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pm_plan_id_type_0 = UUID(data)

                return pm_plan_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        pm_plan_id = _parse_pm_plan_id(d.pop("pmPlanId"))

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

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completedAt"))

        version = d.pop("version")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        webhook_work_order = cls(
            id=id,
            number=number,
            title=title,
            status=status,
            priority=priority,
            asset_id=asset_id,
            assignee_id=assignee_id,
            pm_plan_id=pm_plan_id,
            due_at=due_at,
            completed_at=completed_at,
            version=version,
            updated_at=updated_at,
        )

        webhook_work_order.additional_properties = d
        return webhook_work_order

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
