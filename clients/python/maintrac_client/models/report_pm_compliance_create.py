from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.report_format import ReportFormat
from ..models.report_pm_compliance_create_kind import ReportPmComplianceCreateKind

if TYPE_CHECKING:
    from ..models.report_pm_compliance_parameters import ReportPmComplianceParameters


T = TypeVar("T", bound="ReportPmComplianceCreate")


@_attrs_define
class ReportPmComplianceCreate:
    """A `pm-compliance` report.

    Attributes:
        kind (ReportPmComplianceCreateKind): The kind. Example: pm-compliance.
        format_ (ReportFormat): `csv` (UTF-8, RFC 4180) or `xlsx` (Excel workbook). Example: csv.
        parameters (ReportPmComplianceParameters): The months to report, inclusive, in the tenant's time zone; a
            `toMonth` before
            `fromMonth` reports nothing.
    """

    kind: ReportPmComplianceCreateKind
    format_: ReportFormat
    parameters: ReportPmComplianceParameters

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        format_ = self.format_.value

        parameters = self.parameters.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "format": format_,
                "parameters": parameters,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.report_pm_compliance_parameters import ReportPmComplianceParameters  # noqa: PLC0415

        d = dict(src_dict)
        kind = ReportPmComplianceCreateKind(d.pop("kind"))

        format_ = ReportFormat(d.pop("format"))

        parameters = ReportPmComplianceParameters.from_dict(d.pop("parameters"))

        report_pm_compliance_create = cls(
            kind=kind,
            format_=format_,
            parameters=parameters,
        )

        return report_pm_compliance_create
