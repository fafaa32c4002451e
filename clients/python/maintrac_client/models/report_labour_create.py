from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.report_format import ReportFormat
from ..models.report_labour_create_kind import ReportLabourCreateKind

if TYPE_CHECKING:
    from ..models.report_labour_parameters import ReportLabourParameters


T = TypeVar("T", bound="ReportLabourCreate")


@_attrs_define
class ReportLabourCreate:
    """A `labour` report.

    Attributes:
        kind (ReportLabourCreateKind): The kind. Example: labour.
        format_ (ReportFormat): `csv` (UTF-8, RFC 4180) or `xlsx` (Excel workbook). Example: csv.
        parameters (ReportLabourParameters): The period, `from` inclusive, `to` exclusive; a `to` at or before `from`
            reports nothing.
    """

    kind: ReportLabourCreateKind
    format_: ReportFormat
    parameters: ReportLabourParameters

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
        from ..models.report_labour_parameters import ReportLabourParameters  # noqa: PLC0415

        d = dict(src_dict)
        kind = ReportLabourCreateKind(d.pop("kind"))

        format_ = ReportFormat(d.pop("format"))

        parameters = ReportLabourParameters.from_dict(d.pop("parameters"))

        report_labour_create = cls(
            kind=kind,
            format_=format_,
            parameters=parameters,
        )

        return report_labour_create
