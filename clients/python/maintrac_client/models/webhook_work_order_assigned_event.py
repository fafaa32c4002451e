from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.webhook_work_order_data import WebhookWorkOrderData


T = TypeVar("T", bound="WebhookWorkOrderAssignedEvent")


@_attrs_define
class WebhookWorkOrderAssignedEvent:
    """A work order got an assignee. The body of a `work_order.assigned` delivery.

    Attributes:
        id (UUID): The event's id (UUIDv7), also the `webhook-id` header; deduplicate on it. Example:
            0193a3c4-7f1e-7c2a-9b0d-000000000092.
        type_ (Literal['work_order.assigned']): The event type.
        occurred_at (datetime.datetime): When it happened (UTC). Example: 2026-12-01T08:00:00Z.
        tenant_id (UUID): The tenant it happened in. Example: 0193a3c4-7f1e-7c2a-9b0d-000000000010.
        actor_id (None | UUID): The user who caused it (null for the system).
        data (WebhookWorkOrderData): A work order event. `sequence` grows with every change of the work order: order one
            work order's events by it (deliveries can arrive out of order after a retry).
    """

    id: UUID
    type_: Literal["work_order.assigned"]
    occurred_at: datetime.datetime
    tenant_id: UUID
    actor_id: None | UUID
    data: WebhookWorkOrderData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        type_ = self.type_

        occurred_at = self.occurred_at.isoformat()

        tenant_id = str(self.tenant_id)

        actor_id: None | str
        if isinstance(self.actor_id, UUID):
            actor_id = str(self.actor_id)
        else:
            actor_id = self.actor_id

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "occurredAt": occurred_at,
                "tenantId": tenant_id,
                "actorId": actor_id,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_work_order_data import WebhookWorkOrderData  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        type_ = cast(Literal["work_order.assigned"], d.pop("type"))
        if type_ != "work_order.assigned":
            raise ValueError(f"type must match const 'work_order.assigned', got '{type_}'")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurredAt"))

        tenant_id = UUID(d.pop("tenantId"))

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

        data = WebhookWorkOrderData.from_dict(d.pop("data"))

        webhook_work_order_assigned_event = cls(
            id=id,
            type_=type_,
            occurred_at=occurred_at,
            tenant_id=tenant_id,
            actor_id=actor_id,
            data=data,
        )

        webhook_work_order_assigned_event.additional_properties = d
        return webhook_work_order_assigned_event

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
