from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SyncAssetCategoriesRecord")


@_attrs_define
class SyncAssetCategoriesRecord:
    """An asset category (read-only for devices).

    Attributes:
        id (UUID): The record's id: a UUIDv7 the device made, for records it creates. Example:
            0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
        code (None | str | Unset): Set by the server; ignored when a device sends it. Example: text.
        name (None | str | Unset): Set by the server; ignored when a device sends it. Example: text.
        description (None | str | Unset): Set by the server; ignored when a device sends it. Example: text.
        created_at (int | Unset): Milliseconds since 1970-01-01T00:00:00Z (negative before it), from
            0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z as in the REST API. Set by the server; ignored when a device sends
            it. Example: 1795600000000.
        updated_at (int | Unset): Milliseconds since 1970-01-01T00:00:00Z (negative before it), from
            0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z as in the REST API. Set by the server; ignored when a device sends
            it. Example: 1795600000000.
        field_status (str | Unset): WatermelonDB's local sync status; ignored. Example: updated.
        field_changed (str | Unset): WatermelonDB's local list of changed columns; ignored. Example: status.
    """

    id: UUID
    code: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    created_at: int | Unset = UNSET
    updated_at: int | Unset = UNSET
    field_status: str | Unset = UNSET
    field_changed: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        created_at = self.created_at

        updated_at = self.updated_at

        field_status = self.field_status

        field_changed = self.field_changed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if field_status is not UNSET:
            field_dict["_status"] = field_status
        if field_changed is not UNSET:
            field_dict["_changed"] = field_changed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        created_at = d.pop("created_at", UNSET)

        updated_at = d.pop("updated_at", UNSET)

        field_status = d.pop("_status", UNSET)

        field_changed = d.pop("_changed", UNSET)

        sync_asset_categories_record = cls(
            id=id,
            code=code,
            name=name,
            description=description,
            created_at=created_at,
            updated_at=updated_at,
            field_status=field_status,
            field_changed=field_changed,
        )

        return sync_asset_categories_record
