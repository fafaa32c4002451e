from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.webhook_work_order import WebhookWorkOrder
    from ..models.webhook_work_order_data_changes import WebhookWorkOrderDataChanges


T = TypeVar("T", bound="WebhookWorkOrderData")


@_attrs_define
class WebhookWorkOrderData:
    """A work order event. `sequence` grows with every change of the work order: order one
    work order's events by it (deliveries can arrive out of order after a retry).

        Attributes:
            sequence (int): The event's place in the work order's history (1 = created). Example: 2.
            work_order (WebhookWorkOrder): The work order as it is after the event.
            changes (WebhookWorkOrderDataChanges): The changed fields (API names) with their values before and after.
                Example: {'status': {'from': 'open', 'to': 'in_progress'}}.
    """

    sequence: int
    work_order: WebhookWorkOrder
    changes: WebhookWorkOrderDataChanges
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sequence = self.sequence

        work_order = self.work_order.to_dict()

        changes = self.changes.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sequence": sequence,
                "workOrder": work_order,
                "changes": changes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_work_order import WebhookWorkOrder  # noqa: PLC0415
        from ..models.webhook_work_order_data_changes import WebhookWorkOrderDataChanges  # noqa: PLC0415

        d = dict(src_dict)
        sequence = d.pop("sequence")

        work_order = WebhookWorkOrder.from_dict(d.pop("workOrder"))

        changes = WebhookWorkOrderDataChanges.from_dict(d.pop("changes"))

        webhook_work_order_data = cls(
            sequence=sequence,
            work_order=work_order,
            changes=changes,
        )

        webhook_work_order_data.additional_properties = d
        return webhook_work_order_data

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
