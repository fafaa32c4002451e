from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.work_order_event_changes import WorkOrderEventChanges


T = TypeVar("T", bound="WorkOrderEvent")


@_attrs_define
class WorkOrderEvent:
    """One change in a work order's history.

    Attributes:
        id (UUID): The event's id (UUIDv7, in order of occurrence). Example: 0193a3c4-7f1e-7c2a-9b0d-000000000080.
        work_order_id (UUID): The work order that changed. Example: 0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
        actor_id (None | UUID): The user who made the change; null for the system (PM generation). Example:
            0193a3c4-0000-7000-8000-000000000001.
        type_ (str): `created`, `updated`, `status_changed`, `assigned`, `unassigned`, `deleted`,
            `log_entry_added`. New types may be added.
             Example: status_changed.
        changes (WorkOrderEventChanges): Each changed field with its old and new value. Example: {'status': {'from':
            'open', 'to': 'in_progress'}}.
        occurred_at (datetime.datetime): When the change was committed (UTC). Example: 2026-11-25T09:15:00Z.
    """

    id: UUID
    work_order_id: UUID
    actor_id: None | UUID
    type_: str
    changes: WorkOrderEventChanges
    occurred_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        work_order_id = str(self.work_order_id)

        actor_id: None | str
        if isinstance(self.actor_id, UUID):
            actor_id = str(self.actor_id)
        else:
            actor_id = self.actor_id

        type_ = self.type_

        changes = self.changes.to_dict()

        occurred_at = self.occurred_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "workOrderId": work_order_id,
                "actorId": actor_id,
                "type": type_,
                "changes": changes,
                "occurredAt": occurred_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.work_order_event_changes import WorkOrderEventChanges  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        work_order_id = UUID(d.pop("workOrderId"))

        def _parse_actor_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                actor_id_type_0 = UUID(data)

                return actor_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        actor_id = _parse_actor_id(d.pop("actorId"))

        type_ = d.pop("type")

        changes = WorkOrderEventChanges.from_dict(d.pop("changes"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurredAt"))

        work_order_event = cls(
            id=id,
            work_order_id=work_order_id,
            actor_id=actor_id,
            type_=type_,
            changes=changes,
            occurred_at=occurred_at,
        )

        work_order_event.additional_properties = d
        return work_order_event

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
