from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UserCreate")


@_attrs_define
class UserCreate:
    """A person to add to the tenant.

    Attributes:
        display_name (str): The name shown to other people. Example: Dana Whitfield.
        email (None | str | Unset): E-mail address; unique in the tenant, ignoring case. Example: dana@example.com.
        role (str | Unset): The role (default technician). Example: technician.
        external_id (None | str | Unset): The identity provider's user id, to link the record to their sign-in. Example:
            user_2abcDEF.
        active (bool | Unset): Whether the user may use the API (default true). Example: True.
    """

    display_name: str
    email: None | str | Unset = UNSET
    role: str | Unset = UNSET
    external_id: None | str | Unset = UNSET
    active: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        display_name = self.display_name

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        role = self.role

        external_id: None | str | Unset
        if isinstance(self.external_id, Unset):
            external_id = UNSET
        else:
            external_id = self.external_id

        active = self.active

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "displayName": display_name,
            }
        )
        if email is not UNSET:
            field_dict["email"] = email
        if role is not UNSET:
            field_dict["role"] = role
        if external_id is not UNSET:
            field_dict["externalId"] = external_id
        if active is not UNSET:
            field_dict["active"] = active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        display_name = d.pop("displayName")

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        role = d.pop("role", UNSET)

        def _parse_external_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_id = _parse_external_id(d.pop("externalId", UNSET))

        active = d.pop("active", UNSET)

        user_create = cls(
            display_name=display_name,
            email=email,
            role=role,
            external_id=external_id,
            active=active,
        )

        return user_create
