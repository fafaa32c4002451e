from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.work_order_priority import WorkOrderPriority
from ..models.work_order_status import WorkOrderStatus

T = TypeVar("T", bound="WorkOrder")


@_attrs_define
class WorkOrder:
    """A job to be done.

    Attributes:
        id (UUID): The work order's id (UUIDv7). Example: 0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
        number (int): Human-readable number, unique within the tenant and never reused. Example: 1042.
        title (str): Short summary of the work. Example: Replace conveyor belt on line 3.
        description (None | str): Details and notes for the technician. Example: Belt frayed at the splice; replace and
            re-tension..
        status (WorkOrderStatus): Where the work order is in its life. `complete` and `cancelled` are final.
             Example: open.
        priority (WorkOrderPriority): How urgent the work is. Example: medium.
        asset_id (None | UUID): The asset the work is on, if any.
        assignee_id (None | UUID): The user the work is assigned to, if any. Example:
            0193a3c4-0000-7000-8000-000000000001.
        task_code_id (None | UUID): The kind of task (reference data). Example: 0193a3c4-7f1e-7c2a-9b0d-000000000020.
        gl_code_id (None | UUID): The general-ledger account the cost is booked to. Example:
            0193a3c4-7f1e-7c2a-9b0d-000000000030.
        pm_plan_id (None | UUID): The PM plan that generated the work order, if any.
        pm_occurrence (int | None): Which occurrence of the PM plan this is (0 is the first).
        estimated_hours (float | None): Planned labour hours. Example: 2.5.
        actual_hours (float): Labour hours logged (labor log entries, corrections applied). Example: 0.75.
        due_at (datetime.datetime | None): When the work should be done by (UTC). Example: 2026-12-01T16:00:00Z.
        completed_at (datetime.datetime | None): When the work order moved to `complete` (UTC); set by the server.
        created_at (datetime.datetime): When the work order was created (UTC). Example: 2026-11-25T09:30:00Z.
        updated_at (datetime.datetime): When the work order last changed (UTC). Example: 2026-11-25T09:30:00Z.
    """

    id: UUID
    number: int
    title: str
    description: None | str
    status: WorkOrderStatus
    priority: WorkOrderPriority
    asset_id: None | UUID
    assignee_id: None | UUID
    task_code_id: None | UUID
    gl_code_id: None | UUID
    pm_plan_id: None | UUID
    pm_occurrence: int | None
    estimated_hours: float | None
    actual_hours: float
    due_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        number = self.number

        title = self.title

        description: None | str
        description = self.description

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

        task_code_id: None | str
        if isinstance(self.task_code_id, UUID):
            task_code_id = str(self.task_code_id)
        else:
            task_code_id = self.task_code_id

        gl_code_id: None | str
        if isinstance(self.gl_code_id, UUID):
            gl_code_id = str(self.gl_code_id)
        else:
            gl_code_id = self.gl_code_id

        pm_plan_id: None | str
        if isinstance(self.pm_plan_id, UUID):
            pm_plan_id = str(self.pm_plan_id)
        else:
            pm_plan_id = self.pm_plan_id

        pm_occurrence: int | None
        pm_occurrence = self.pm_occurrence

        estimated_hours: float | None
        estimated_hours = self.estimated_hours

        actual_hours = self.actual_hours

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

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "number": number,
                "title": title,
                "description": description,
                "status": status,
                "priority": priority,
                "assetId": asset_id,
                "assigneeId": assignee_id,
                "taskCodeId": task_code_id,
                "glCodeId": gl_code_id,
                "pmPlanId": pm_plan_id,
                "pmOccurrence": pm_occurrence,
                "estimatedHours": estimated_hours,
                "actualHours": actual_hours,
                "dueAt": due_at,
                "completedAt": completed_at,
                "createdAt": created_at,
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

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

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

        def _parse_task_code_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                task_code_id_type_0 = UUID(data)

                return task_code_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        task_code_id = _parse_task_code_id(d.pop("taskCodeId"))

        def _parse_gl_code_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                gl_code_id_type_0 = UUID(data)

                return gl_code_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        gl_code_id = _parse_gl_code_id(d.pop("glCodeId"))

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

        def _parse_pm_occurrence(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        pm_occurrence = _parse_pm_occurrence(d.pop("pmOccurrence"))

        def _parse_estimated_hours(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        estimated_hours = _parse_estimated_hours(d.pop("estimatedHours"))

        actual_hours = d.pop("actualHours")

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

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        work_order = cls(
            id=id,
            number=number,
            title=title,
            description=description,
            status=status,
            priority=priority,
            asset_id=asset_id,
            assignee_id=assignee_id,
            task_code_id=task_code_id,
            gl_code_id=gl_code_id,
            pm_plan_id=pm_plan_id,
            pm_occurrence=pm_occurrence,
            estimated_hours=estimated_hours,
            actual_hours=actual_hours,
            due_at=due_at,
            completed_at=completed_at,
            created_at=created_at,
            updated_at=updated_at,
        )

        work_order.additional_properties = d
        return work_order

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
