from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.webhook_work_order import WebhookWorkOrder


T = TypeVar("T", bound="WebhookPmGeneratedData")


@_attrs_define
class WebhookPmGeneratedData:
    """A PM plan generated a work order.

    Attributes:
        pm_plan_id (UUID): The plan. Example: 0193a3c4-7f1e-7c2a-9b0d-000000000060.
        occurrence (int): The occurrence number in the plan's series. Example: 3.
        sequence (int): The event's place in the work order's history. Example: 1.
        work_order (WebhookWorkOrder): The work order as it is after the event.
    """

    pm_plan_id: UUID
    occurrence: int
    sequence: int
    work_order: WebhookWorkOrder
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pm_plan_id = str(self.pm_plan_id)

        occurrence = self.occurrence

        sequence = self.sequence

        work_order = self.work_order.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "pmPlanId": pm_plan_id,
                "occurrence": occurrence,
                "sequence": sequence,
                "workOrder": work_order,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_work_order import WebhookWorkOrder  # noqa: PLC0415

        d = dict(src_dict)
        pm_plan_id = UUID(d.pop("pmPlanId"))

        occurrence = d.pop("occurrence")

        sequence = d.pop("sequence")

        work_order = WebhookWorkOrder.from_dict(d.pop("workOrder"))

        webhook_pm_generated_data = cls(
            pm_plan_id=pm_plan_id,
            occurrence=occurrence,
            sequence=sequence,
            work_order=work_order,
        )

        webhook_pm_generated_data.additional_properties = d
        return webhook_pm_generated_data

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
