from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReportPmComplianceParameters")


@_attrs_define
class ReportPmComplianceParameters:
    """The months to report, inclusive, in the tenant's time zone; a `toMonth` before
    `fromMonth` reports nothing.

        Attributes:
            from_month (str): A month, `YYYY-MM`. Example: 2026-11.
            to_month (str): A month, `YYYY-MM`. Example: 2026-11.
            pm_plan_id (UUID | Unset): Only this PM plan. Example: 0193a3c4-7f1e-7c2a-9b0d-000000000060.
    """

    from_month: str
    to_month: str
    pm_plan_id: UUID | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from_month = self.from_month

        to_month = self.to_month

        pm_plan_id: str | Unset = UNSET
        if not isinstance(self.pm_plan_id, Unset):
            pm_plan_id = str(self.pm_plan_id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fromMonth": from_month,
                "toMonth": to_month,
            }
        )
        if pm_plan_id is not UNSET:
            field_dict["pmPlanId"] = pm_plan_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        from_month = d.pop("fromMonth")

        to_month = d.pop("toMonth")

        _pm_plan_id = d.pop("pmPlanId", UNSET)
        pm_plan_id: UUID | Unset
        if isinstance(_pm_plan_id, Unset):
            pm_plan_id = UNSET
        else:
            pm_plan_id = UUID(_pm_plan_id)

        report_pm_compliance_parameters = cls(
            from_month=from_month,
            to_month=to_month,
            pm_plan_id=pm_plan_id,
        )

        return report_pm_compliance_parameters
