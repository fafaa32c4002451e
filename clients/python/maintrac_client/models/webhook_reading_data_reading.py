from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_reading_data_reading_source import WebhookReadingDataReadingSource

T = TypeVar("T", bound="WebhookReadingDataReading")


@_attrs_define
class WebhookReadingDataReading:
    """The reading.

    Attributes:
        id (UUID): The reading's id. Example: 0193a3c4-7f1e-7c2a-9b0d-000000000070.
        meter_id (UUID): The meter. Example: 0193a3c4-7f1e-7c2a-9b0d-000000000071.
        asset_id (UUID): The meter's asset. Example: 0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
        value (float): The value read. Example: 1234.5.
        taken_at (datetime.datetime): When it was read (UTC). Example: 2026-12-01T08:00:00Z.
        work_order_id (None | UUID): The work order it was read during.
        source (WebhookReadingDataReadingSource): How it arrived. Example: api.
    """

    id: UUID
    meter_id: UUID
    asset_id: UUID
    value: float
    taken_at: datetime.datetime
    work_order_id: None | UUID
    source: WebhookReadingDataReadingSource
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        meter_id = str(self.meter_id)

        asset_id = str(self.asset_id)

        value = self.value

        taken_at = self.taken_at.isoformat()

        work_order_id: None | str
        if isinstance(self.work_order_id, UUID):
            work_order_id = str(self.work_order_id)
        else:
            work_order_id = self.work_order_id

        source = self.source.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "meterId": meter_id,
                "assetId": asset_id,
                "value": value,
                "takenAt": taken_at,
                "workOrderId": work_order_id,
                "source": source,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        meter_id = UUID(d.pop("meterId"))

        asset_id = UUID(d.pop("assetId"))

        value = d.pop("value")

        taken_at = datetime.datetime.fromisoformat(d.pop("takenAt"))

        def _parse_work_order_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                work_order_id_type_0 = UUID(data)

                return work_order_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        work_order_id = _parse_work_order_id(d.pop("workOrderId"))

        source = WebhookReadingDataReadingSource(d.pop("source"))

        webhook_reading_data_reading = cls(
            id=id,
            meter_id=meter_id,
            asset_id=asset_id,
            value=value,
            taken_at=taken_at,
            work_order_id=work_order_id,
            source=source,
        )

        webhook_reading_data_reading.additional_properties = d
        return webhook_reading_data_reading

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
