from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.asset_status import AssetStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="AssetUpdate")


@_attrs_define
class AssetUpdate:
    """Fields to change. Absent fields are kept; `null` clears a nullable field.

    Attributes:
        name (str | Unset): The asset's name; not blank. Example: Boiler 2.
        parent_id (None | Unset | UUID): Move the asset under another one (null makes it a root).
        category_id (None | Unset | UUID): The asset's category.
        code (None | str | Unset): Asset tag, unique in the tenant ignoring case. Example: BLR-002.
        description (None | str | Unset): Notes about the asset. Example: Burner replaced 2026-10..
        location (None | str | Unset): Where to find it. Example: Plant room B, level -1.
        serial_number (None | str | Unset): The manufacturer's serial number. Example: SN-88123.
        manufacturer (None | str | Unset): Who made it. Example: Viessmann.
        model (None | str | Unset): The manufacturer's model name. Example: Vitoplex 200.
        status (AssetStatus | Unset): Whether the asset is working (`in_service`), broken (`down`) or gone (`retired`).
            Example: in_service.
    """

    name: str | Unset = UNSET
    parent_id: None | Unset | UUID = UNSET
    category_id: None | Unset | UUID = UNSET
    code: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    location: None | str | Unset = UNSET
    serial_number: None | str | Unset = UNSET
    manufacturer: None | str | Unset = UNSET
    model: None | str | Unset = UNSET
    status: AssetStatus | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        parent_id: None | str | Unset
        if isinstance(self.parent_id, Unset):
            parent_id = UNSET
        elif isinstance(self.parent_id, UUID):
            parent_id = str(self.parent_id)
        else:
            parent_id = self.parent_id

        category_id: None | str | Unset
        if isinstance(self.category_id, Unset):
            category_id = UNSET
        elif isinstance(self.category_id, UUID):
            category_id = str(self.category_id)
        else:
            category_id = self.category_id

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        location: None | str | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        else:
            location = self.location

        serial_number: None | str | Unset
        if isinstance(self.serial_number, Unset):
            serial_number = UNSET
        else:
            serial_number = self.serial_number

        manufacturer: None | str | Unset
        if isinstance(self.manufacturer, Unset):
            manufacturer = UNSET
        else:
            manufacturer = self.manufacturer

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if parent_id is not UNSET:
            field_dict["parentId"] = parent_id
        if category_id is not UNSET:
            field_dict["categoryId"] = category_id
        if code is not UNSET:
            field_dict["code"] = code
        if description is not UNSET:
            field_dict["description"] = description
        if location is not UNSET:
            field_dict["location"] = location
        if serial_number is not UNSET:
            field_dict["serialNumber"] = serial_number
        if manufacturer is not UNSET:
            field_dict["manufacturer"] = manufacturer
        if model is not UNSET:
            field_dict["model"] = model
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        def _parse_parent_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                parent_id_type_0 = UUID(data)

                return parent_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        parent_id = _parse_parent_id(d.pop("parentId", UNSET))

        def _parse_category_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                category_id_type_0 = UUID(data)

                return category_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        category_id = _parse_category_id(d.pop("categoryId", UNSET))

        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_location(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        def _parse_serial_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        serial_number = _parse_serial_number(d.pop("serialNumber", UNSET))

        def _parse_manufacturer(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        manufacturer = _parse_manufacturer(d.pop("manufacturer", UNSET))

        def _parse_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        _status = d.pop("status", UNSET)
        status: AssetStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = AssetStatus(_status)

        asset_update = cls(
            name=name,
            parent_id=parent_id,
            category_id=category_id,
            code=code,
            description=description,
            location=location,
            serial_number=serial_number,
            manufacturer=manufacturer,
            model=model,
            status=status,
        )

        return asset_update
