from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GlCode")


@_attrs_define
class GlCode:
    """An asset category, task code or GL code.

    Attributes:
        id (UUID): The item's id (UUIDv7). Example: 0193a3c4-7f1e-7c2a-9b0d-000000000010.
        code (str): Short code, unique in the tenant ignoring case. Example: PUMP.
        name (str): Human-readable name. Example: Pumps.
        description (None | str): What the item is for. Example: Centrifugal and positive-displacement pumps..
        created_at (datetime.datetime): When the item was created (UTC). Example: 2026-11-01T09:00:00Z.
        updated_at (datetime.datetime): When the item last changed (UTC). Example: 2026-11-01T09:00:00Z.
    """

    id: UUID
    code: str
    name: str
    description: None | str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        code = self.code

        name = self.name

        description: None | str
        description = self.description

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "code": code,
                "name": name,
                "description": description,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        code = d.pop("code")

        name = d.pop("name")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        gl_code = cls(
            id=id,
            code=code,
            name=name,
            description=description,
            created_at=created_at,
            updated_at=updated_at,
        )

        gl_code.additional_properties = d
        return gl_code

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
