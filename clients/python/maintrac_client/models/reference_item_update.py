from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReferenceItemUpdate")


@_attrs_define
class ReferenceItemUpdate:
    """Fields to change. Absent fields are kept.

    Attributes:
        code (str | Unset): 1 to 40 letters, digits and `._/-`, starting with a letter or digit. Example: PUMPS.
        name (str | Unset): Human-readable name. Example: Pumps and compressors.
        description (None | str | Unset): What the item is for.
    """

    code: str | Unset = UNSET
    name: str | Unset = UNSET
    description: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if code is not UNSET:
            field_dict["code"] = code
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code", UNSET)

        name = d.pop("name", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        reference_item_update = cls(
            code=code,
            name=name,
            description=description,
        )

        return reference_item_update
