from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.work_order_priority import WorkOrderPriority
from ..types import UNSET, Unset

T = TypeVar("T", bound="WorkOrderCreate")


@_attrs_define
class WorkOrderCreate:
    """A new work order. It starts in status `open`.

    Attributes:
        title (str): Short summary of the work; not blank. Example: Replace conveyor belt on line 3.
        description (None | str | Unset): Details and notes for the technician. Example: Belt frayed at the splice;
            replace and re-tension..
        priority (WorkOrderPriority | Unset): How urgent the work is. Example: medium.
        asset_id (None | Unset | UUID): The asset the work is on.
        assignee_id (None | Unset | UUID): The user to assign the work to.
        due_at (datetime.datetime | None | Unset): When the work should be done by; any offset, stored in UTC. Example:
            2026-12-01T16:00:00Z.
        task_code_id (None | Unset | UUID): The kind of task.
        gl_code_id (None | Unset | UUID): The general-ledger account to book the cost to.
        estimated_hours (float | None | Unset): Planned labour hours. Example: 2.5.
    """

    title: str
    description: None | str | Unset = UNSET
    priority: WorkOrderPriority | Unset = UNSET
    asset_id: None | Unset | UUID = UNSET
    assignee_id: None | Unset | UUID = UNSET
    due_at: datetime.datetime | None | Unset = UNSET
    task_code_id: None | Unset | UUID = UNSET
    gl_code_id: None | Unset | UUID = UNSET
    estimated_hours: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        priority: str | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value

        asset_id: None | str | Unset
        if isinstance(self.asset_id, Unset):
            asset_id = UNSET
        elif isinstance(self.asset_id, UUID):
            asset_id = str(self.asset_id)
        else:
            asset_id = self.asset_id

        assignee_id: None | str | Unset
        if isinstance(self.assignee_id, Unset):
            assignee_id = UNSET
        elif isinstance(self.assignee_id, UUID):
            assignee_id = str(self.assignee_id)
        else:
            assignee_id = self.assignee_id

        due_at: None | str | Unset
        if isinstance(self.due_at, Unset):
            due_at = UNSET
        elif isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        task_code_id: None | str | Unset
        if isinstance(self.task_code_id, Unset):
            task_code_id = UNSET
        elif isinstance(self.task_code_id, UUID):
            task_code_id = str(self.task_code_id)
        else:
            task_code_id = self.task_code_id

        gl_code_id: None | str | Unset
        if isinstance(self.gl_code_id, Unset):
            gl_code_id = UNSET
        elif isinstance(self.gl_code_id, UUID):
            gl_code_id = str(self.gl_code_id)
        else:
            gl_code_id = self.gl_code_id

        estimated_hours: float | None | Unset
        if isinstance(self.estimated_hours, Unset):
            estimated_hours = UNSET
        else:
            estimated_hours = self.estimated_hours

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "title": title,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if priority is not UNSET:
            field_dict["priority"] = priority
        if asset_id is not UNSET:
            field_dict["assetId"] = asset_id
        if assignee_id is not UNSET:
            field_dict["assigneeId"] = assignee_id
        if due_at is not UNSET:
            field_dict["dueAt"] = due_at
        if task_code_id is not UNSET:
            field_dict["taskCodeId"] = task_code_id
        if gl_code_id is not UNSET:
            field_dict["glCodeId"] = gl_code_id
        if estimated_hours is not UNSET:
            field_dict["estimatedHours"] = estimated_hours

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        title = d.pop("title")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _priority = d.pop("priority", UNSET)
        priority: WorkOrderPriority | Unset
        if isinstance(_priority, Unset):
            priority = UNSET
        else:
            priority = WorkOrderPriority(_priority)

        def _parse_asset_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                asset_id_type_0 = UUID(data)

                return asset_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        asset_id = _parse_asset_id(d.pop("assetId", UNSET))

        def _parse_assignee_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                assignee_id_type_0 = UUID(data)

                return assignee_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        assignee_id = _parse_assignee_id(d.pop("assigneeId", UNSET))

        def _parse_due_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_at_type_0 = datetime.datetime.fromisoformat(data)

                return due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        due_at = _parse_due_at(d.pop("dueAt", UNSET))

        def _parse_task_code_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                task_code_id_type_0 = UUID(data)

                return task_code_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        task_code_id = _parse_task_code_id(d.pop("taskCodeId", UNSET))

        def _parse_gl_code_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                gl_code_id_type_0 = UUID(data)

                return gl_code_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        gl_code_id = _parse_gl_code_id(d.pop("glCodeId", UNSET))

        def _parse_estimated_hours(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        estimated_hours = _parse_estimated_hours(d.pop("estimatedHours", UNSET))

        work_order_create = cls(
            title=title,
            description=description,
            priority=priority,
            asset_id=asset_id,
            assignee_id=assignee_id,
            due_at=due_at,
            task_code_id=task_code_id,
            gl_code_id=gl_code_id,
            estimated_hours=estimated_hours,
        )

        return work_order_create
