from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="ReportAssetHistoryParameters")


@_attrs_define
class ReportAssetHistoryParameters:
    """The asset whose history (with its descendants') is reported.

    Attributes:
        asset_id (UUID): An asset of the tenant (422 `invalid-reference` otherwise). Example:
            0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
    """

    asset_id: UUID

    def to_dict(self) -> dict[str, Any]:
        asset_id = str(self.asset_id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "assetId": asset_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset_id = UUID(d.pop("assetId"))

        report_asset_history_parameters = cls(
            asset_id=asset_id,
        )

        return report_asset_history_parameters
