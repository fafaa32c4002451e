from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.report_asset_history_create_kind import ReportAssetHistoryCreateKind
from ..models.report_format import ReportFormat

if TYPE_CHECKING:
    from ..models.report_asset_history_parameters import ReportAssetHistoryParameters


T = TypeVar("T", bound="ReportAssetHistoryCreate")


@_attrs_define
class ReportAssetHistoryCreate:
    """An `asset-history` report.

    Attributes:
        kind (ReportAssetHistoryCreateKind): The kind. Example: asset-history.
        format_ (ReportFormat): `csv` (UTF-8, RFC 4180) or `xlsx` (Excel workbook). Example: csv.
        parameters (ReportAssetHistoryParameters): The asset whose history (with its descendants') is reported.
    """

    kind: ReportAssetHistoryCreateKind
    format_: ReportFormat
    parameters: ReportAssetHistoryParameters

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
        from ..models.report_asset_history_parameters import ReportAssetHistoryParameters  # noqa: PLC0415

        d = dict(src_dict)
        kind = ReportAssetHistoryCreateKind(d.pop("kind"))

        format_ = ReportFormat(d.pop("format"))

        parameters = ReportAssetHistoryParameters.from_dict(d.pop("parameters"))

        report_asset_history_create = cls(
            kind=kind,
            format_=format_,
            parameters=parameters,
        )

        return report_asset_history_create
