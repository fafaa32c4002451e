from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.work_order_priority import WorkOrderPriority
from ..types import UNSET, Unset

T = TypeVar("T", bound="PmWorkOrderTemplate")


@_attrs_define
class PmWorkOrderTemplate:
    """What each generated work order looks like.

    Attributes:
        title (str): The work order's title. Example: Boiler 2 monthly inspection.
        description (None | str | Unset): The work order's description. Example: Check flue, burner flame, safety
            valves..
        task_code_id (None | Unset | UUID): The task code of the work.
        priority (WorkOrderPriority | Unset): How urgent the work is. Example: medium.
        assignee_id (None | Unset | UUID): Who the work orders are assigned to.
        estimated_hours (float | None | Unset): Planned labour hours. Example: 1.5.
        gl_code_id (None | Unset | UUID): The GL code the work is charged to.
    """

    title: str
    description: None | str | Unset = UNSET
    task_code_id: None | Unset | UUID = UNSET
    priority: WorkOrderPriority | Unset = UNSET
    assignee_id: None | Unset | UUID = UNSET
    estimated_hours: float | None | Unset = UNSET
    gl_code_id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        task_code_id: None | str | Unset
        if isinstance(self.task_code_id, Unset):
            task_code_id = UNSET
        elif isinstance(self.task_code_id, UUID):
            task_code_id = str(self.task_code_id)
        else:
            task_code_id = self.task_code_id

        priority: str | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value

        assignee_id: None | str | Unset
        if isinstance(self.assignee_id, Unset):
            assignee_id = UNSET
        elif isinstance(self.assignee_id, UUID):
            assignee_id = str(self.assignee_id)
        else:
            assignee_id = self.assignee_id

        estimated_hours: float | None | Unset
        if isinstance(self.estimated_hours, Unset):
            estimated_hours = UNSET
        else:
            estimated_hours = self.estimated_hours

        gl_code_id: None | str | Unset
        if isinstance(self.gl_code_id, Unset):
            gl_code_id = UNSET
        elif isinstance(self.gl_code_id, UUID):
            gl_code_id = str(self.gl_code_id)
        else:
            gl_code_id = self.gl_code_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "title": title,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if task_code_id is not UNSET:
            field_dict["taskCodeId"] = task_code_id
        if priority is not UNSET:
            field_dict["priority"] = priority
        if assignee_id is not UNSET:
            field_dict["assigneeId"] = assignee_id
        if estimated_hours is not UNSET:
            field_dict["estimatedHours"] = estimated_hours
        if gl_code_id is not UNSET:
            field_dict["glCodeId"] = gl_code_id

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

        _priority = d.pop("priority", UNSET)
        priority: WorkOrderPriority | Unset
        if isinstance(_priority, Unset):
            priority = UNSET
        else:
            priority = WorkOrderPriority(_priority)

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

        def _parse_estimated_hours(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        estimated_hours = _parse_estimated_hours(d.pop("estimatedHours", UNSET))

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

        pm_work_order_template = cls(
            title=title,
            description=description,
            task_code_id=task_code_id,
            priority=priority,
            assignee_id=assignee_id,
            estimated_hours=estimated_hours,
            gl_code_id=gl_code_id,
        )

        return pm_work_order_template
