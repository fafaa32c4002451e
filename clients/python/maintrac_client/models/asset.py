from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset_status import AssetStatus

T = TypeVar("T", bound="Asset")


@_attrs_define
class Asset:
    """A piece of equipment, or a place that contains equipment.

    Attributes:
        id (UUID): The asset's id (UUIDv7). Example: 0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
        parent_id (None | UUID): The asset this one is part of (site > building > equipment). Example:
            0193a3c4-7f1e-7c2a-9b0d-000000000001.
        category_id (None | UUID): The asset's category. Example: 0193a3c4-7f1e-7c2a-9b0d-000000000010.
        name (str): The asset's name. Example: Boiler 2.
        code (None | str): Asset tag, unique in the tenant ignoring case. Example: BLR-002.
        description (None | str): Notes about the asset. Example: Gas-fired, 1.2 MW..
        location (None | str): Where to find it. Example: Plant room B, level -1.
        serial_number (None | str): The manufacturer's serial number. Example: SN-88123.
        manufacturer (None | str): Who made it. Example: Viessmann.
        model (None | str): The manufacturer's model name. Example: Vitoplex 200.
        status (AssetStatus): Whether the asset is working (`in_service`), broken (`down`) or gone (`retired`). Example:
            in_service.
        created_at (datetime.datetime): When the asset was added (UTC). Example: 2026-11-01T09:00:00Z.
        updated_at (datetime.datetime): When the asset last changed (UTC). Example: 2026-11-20T14:02:00Z.
    """

    id: UUID
    parent_id: None | UUID
    category_id: None | UUID
    name: str
    code: None | str
    description: None | str
    location: None | str
    serial_number: None | str
    manufacturer: None | str
    model: None | str
    status: AssetStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        parent_id: None | str
        if isinstance(self.parent_id, UUID):
            parent_id = str(self.parent_id)
        else:
            parent_id = self.parent_id

        category_id: None | str
        if isinstance(self.category_id, UUID):
            category_id = str(self.category_id)
        else:
            category_id = self.category_id

        name = self.name

        code: None | str
        code = self.code

        description: None | str
        description = self.description

        location: None | str
        location = self.location

        serial_number: None | str
        serial_number = self.serial_number

        manufacturer: None | str
        manufacturer = self.manufacturer

        model: None | str
        model = self.model

        status = self.status.value

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "parentId": parent_id,
                "categoryId": category_id,
                "name": name,
                "code": code,
                "description": description,
                "location": location,
                "serialNumber": serial_number,
                "manufacturer": manufacturer,
                "model": model,
                "status": status,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        def _parse_parent_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                parent_id_type_0 = UUID(data)

                return parent_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        parent_id = _parse_parent_id(d.pop("parentId"))

        def _parse_category_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                category_id_type_0 = UUID(data)

                return category_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        category_id = _parse_category_id(d.pop("categoryId"))

        name = d.pop("name")

        def _parse_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        code = _parse_code(d.pop("code"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        def _parse_location(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        location = _parse_location(d.pop("location"))

        def _parse_serial_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        serial_number = _parse_serial_number(d.pop("serialNumber"))

        def _parse_manufacturer(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        manufacturer = _parse_manufacturer(d.pop("manufacturer"))

        def _parse_model(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        model = _parse_model(d.pop("model"))

        status = AssetStatus(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        asset = cls(
            id=id,
            parent_id=parent_id,
            category_id=category_id,
            name=name,
            code=code,
            description=description,
            location=location,
            serial_number=serial_number,
            manufacturer=manufacturer,
            model=model,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
        )

        asset.additional_properties = d
        return asset

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
