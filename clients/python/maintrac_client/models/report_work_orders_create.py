from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.report_format import ReportFormat
from ..models.report_work_orders_create_kind import ReportWorkOrdersCreateKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.report_work_orders_parameters import ReportWorkOrdersParameters


T = TypeVar("T", bound="ReportWorkOrdersCreate")


@_attrs_define
class ReportWorkOrdersCreate:
    """A `work-orders` report.

    Attributes:
        kind (ReportWorkOrdersCreateKind): The kind. Example: work-orders.
        format_ (ReportFormat): `csv` (UTF-8, RFC 4180) or `xlsx` (Excel workbook). Example: csv.
        parameters (ReportWorkOrdersParameters | Unset): The work order list's filters, all optional (no filter reports
            every live work order).
    """

    kind: ReportWorkOrdersCreateKind
    format_: ReportFormat
    parameters: ReportWorkOrdersParameters | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        format_ = self.format_.value

        parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.parameters, Unset):
            parameters = self.parameters.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "format": format_,
            }
        )
        if parameters is not UNSET:
            field_dict["parameters"] = parameters

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.report_work_orders_parameters import ReportWorkOrdersParameters  # noqa: PLC0415

        d = dict(src_dict)
        kind = ReportWorkOrdersCreateKind(d.pop("kind"))

        format_ = ReportFormat(d.pop("format"))

        _parameters = d.pop("parameters", UNSET)
        parameters: ReportWorkOrdersParameters | Unset
        if isinstance(_parameters, Unset):
            parameters = UNSET
        else:
            parameters = ReportWorkOrdersParameters.from_dict(_parameters)

        report_work_orders_create = cls(
            kind=kind,
            format_=format_,
            parameters=parameters,
        )

        return report_work_orders_create
