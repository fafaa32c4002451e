from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.sync_work_orders_record_priority import SyncWorkOrdersRecordPriority
from ..models.sync_work_orders_record_status import SyncWorkOrdersRecordStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="SyncWorkOrdersRecord")


@_attrs_define
class SyncWorkOrdersRecord:
    """A work order as the device stores it. Devices may change title, description, status, priority, asset_id,
    assignee_id, task_code_id, gl_code_id, estimated_hours and due_at; the other columns are the server's.

        Attributes:
            id (UUID): The record's id: a UUIDv7 the device made, for records it creates. Example:
                0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
            title (str): Set by the device. Example: text.
            status (SyncWorkOrdersRecordStatus): Set by the device. Example: open.
            priority (SyncWorkOrdersRecordPriority): Set by the device. Example: low.
            number (int | None | Unset): Set by the server; ignored when a device sends it. Example: 1.
            description (None | str | Unset): Set by the device. Example: text.
            asset_id (None | Unset | UUID): Set by the device. Example: 0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
            assignee_id (None | Unset | UUID): Set by the device. Example: 0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
            task_code_id (None | Unset | UUID): Set by the device. Example: 0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
            gl_code_id (None | Unset | UUID): Set by the device. Example: 0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
            pm_plan_id (None | Unset | UUID): Set by the server; ignored when a device sends it. Example:
                0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
            estimated_hours (float | None | Unset): Set by the device. Example: 1.5.
            actual_hours (float | None | Unset): Set by the server; ignored when a device sends it. Example: 1.5.
            due_at (int | None | Unset): Milliseconds since 1970-01-01T00:00:00Z (negative before it), from
                0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z as in the REST API. Set by the device. Example: 1795600000000.
            completed_at (int | None | Unset): Milliseconds since 1970-01-01T00:00:00Z (negative before it), from
                0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z as in the REST API. Set by the server; ignored when a device sends
                it. Example: 1795600000000.
            created_at (int | Unset): Milliseconds since 1970-01-01T00:00:00Z (negative before it), from
                0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z as in the REST API. Set by the server; ignored when a device sends
                it. Example: 1795600000000.
            updated_at (int | Unset): Milliseconds since 1970-01-01T00:00:00Z (negative before it), from
                0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z as in the REST API. Set by the server; ignored when a device sends
                it. Example: 1795600000000.
            field_status (str | Unset): WatermelonDB's local sync status; ignored. Example: updated.
            field_changed (str | Unset): WatermelonDB's local list of changed columns; ignored. Example: status.
    """

    id: UUID
    title: str
    status: SyncWorkOrdersRecordStatus
    priority: SyncWorkOrdersRecordPriority
    number: int | None | Unset = UNSET
    description: None | str | Unset = UNSET
    asset_id: None | Unset | UUID = UNSET
    assignee_id: None | Unset | UUID = UNSET
    task_code_id: None | Unset | UUID = UNSET
    gl_code_id: None | Unset | UUID = UNSET
    pm_plan_id: None | Unset | UUID = UNSET
    estimated_hours: float | None | Unset = UNSET
    actual_hours: float | None | Unset = UNSET
    due_at: int | None | Unset = UNSET
    completed_at: int | None | Unset = UNSET
    created_at: int | Unset = UNSET
    updated_at: int | Unset = UNSET
    field_status: str | Unset = UNSET
    field_changed: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        title = self.title

        status = self.status.value

        priority = self.priority.value

        number: int | None | Unset
        if isinstance(self.number, Unset):
            number = UNSET
        else:
            number = self.number

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

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

        pm_plan_id: None | str | Unset
        if isinstance(self.pm_plan_id, Unset):
            pm_plan_id = UNSET
        elif isinstance(self.pm_plan_id, UUID):
            pm_plan_id = str(self.pm_plan_id)
        else:
            pm_plan_id = self.pm_plan_id

        estimated_hours: float | None | Unset
        if isinstance(self.estimated_hours, Unset):
            estimated_hours = UNSET
        else:
            estimated_hours = self.estimated_hours

        actual_hours: float | None | Unset
        if isinstance(self.actual_hours, Unset):
            actual_hours = UNSET
        else:
            actual_hours = self.actual_hours

        due_at: int | None | Unset
        if isinstance(self.due_at, Unset):
            due_at = UNSET
        else:
            due_at = self.due_at

        completed_at: int | None | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        else:
            completed_at = self.completed_at

        created_at = self.created_at

        updated_at = self.updated_at

        field_status = self.field_status

        field_changed = self.field_changed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "title": title,
                "status": status,
                "priority": priority,
            }
        )
        if number is not UNSET:
            field_dict["number"] = number
        if description is not UNSET:
            field_dict["description"] = description
        if asset_id is not UNSET:
            field_dict["asset_id"] = asset_id
        if assignee_id is not UNSET:
            field_dict["assignee_id"] = assignee_id
        if task_code_id is not UNSET:
            field_dict["task_code_id"] = task_code_id
        if gl_code_id is not UNSET:
            field_dict["gl_code_id"] = gl_code_id
        if pm_plan_id is not UNSET:
            field_dict["pm_plan_id"] = pm_plan_id
        if estimated_hours is not UNSET:
            field_dict["estimated_hours"] = estimated_hours
        if actual_hours is not UNSET:
            field_dict["actual_hours"] = actual_hours
        if due_at is not UNSET:
            field_dict["due_at"] = due_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if field_status is not UNSET:
            field_dict["_status"] = field_status
        if field_changed is not UNSET:
            field_dict["_changed"] = field_changed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        title = d.pop("title")

        status = SyncWorkOrdersRecordStatus(d.pop("status"))

        priority = SyncWorkOrdersRecordPriority(d.pop("priority"))

        def _parse_number(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        number = _parse_number(d.pop("number", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

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

        asset_id = _parse_asset_id(d.pop("asset_id", UNSET))

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

        assignee_id = _parse_assignee_id(d.pop("assignee_id", UNSET))

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

        task_code_id = _parse_task_code_id(d.pop("task_code_id", UNSET))

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

        gl_code_id = _parse_gl_code_id(d.pop("gl_code_id", UNSET))

        def _parse_pm_plan_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pm_plan_id_type_0 = UUID(data)

                return pm_plan_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        pm_plan_id = _parse_pm_plan_id(d.pop("pm_plan_id", UNSET))

        def _parse_estimated_hours(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        estimated_hours = _parse_estimated_hours(d.pop("estimated_hours", UNSET))

        def _parse_actual_hours(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        actual_hours = _parse_actual_hours(d.pop("actual_hours", UNSET))

        def _parse_due_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        due_at = _parse_due_at(d.pop("due_at", UNSET))

        def _parse_completed_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))

        created_at = d.pop("created_at", UNSET)

        updated_at = d.pop("updated_at", UNSET)

        field_status = d.pop("_status", UNSET)

        field_changed = d.pop("_changed", UNSET)

        sync_work_orders_record = cls(
            id=id,
            title=title,
            status=status,
            priority=priority,
            number=number,
            description=description,
            asset_id=asset_id,
            assignee_id=assignee_id,
            task_code_id=task_code_id,
            gl_code_id=gl_code_id,
            pm_plan_id=pm_plan_id,
            estimated_hours=estimated_hours,
            actual_hours=actual_hours,
            due_at=due_at,
            completed_at=completed_at,
            created_at=created_at,
            updated_at=updated_at,
            field_status=field_status,
            field_changed=field_changed,
        )

        return sync_work_orders_record
