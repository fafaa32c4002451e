from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.notification_preferences import NotificationPreferences


T = TypeVar("T", bound="User")


@_attrs_define
class User:
    """A person of the tenant.

    Attributes:
        id (UUID): The user's id (UUIDv7); work orders are assigned to it. Example:
            0193a3c4-0000-7000-8000-000000000001.
        external_id (None | str): The identity provider's user id (the token's `sub`), once known. Example:
            user_2abcDEF.
        display_name (str): The name shown to other people. Example: Dana Whitfield.
        email (None | str): E-mail address for notices. Example: dana@example.com.
        role (str): The role, as the identity provider names it (admin, planner, technician, viewer, integration).
            Example: technician.
        active (bool): Whether the user may use the API; a deactivated user's tokens are refused. Example: True.
        notification_preferences (NotificationPreferences): Which e-mail notices the user gets (each on unless turned
            off). Nobody is mailed
            about their own action, and a deactivated user gets nothing, whatever this says.
        last_seen_at (datetime.datetime | None): When the user's token was first seen by this API (UTC). Example:
            2026-11-25T07:58:00Z.
        created_at (datetime.datetime): When the user was added (UTC). Example: 2026-11-01T09:00:00Z.
        updated_at (datetime.datetime): When the user last changed (UTC). Example: 2026-11-01T09:00:00Z.
    """

    id: UUID
    external_id: None | str
    display_name: str
    email: None | str
    role: str
    active: bool
    notification_preferences: NotificationPreferences
    last_seen_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        external_id: None | str
        external_id = self.external_id

        display_name = self.display_name

        email: None | str
        email = self.email

        role = self.role

        active = self.active

        notification_preferences = self.notification_preferences.to_dict()

        last_seen_at: None | str
        if isinstance(self.last_seen_at, datetime.datetime):
            last_seen_at = self.last_seen_at.isoformat()
        else:
            last_seen_at = self.last_seen_at

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "externalId": external_id,
                "displayName": display_name,
                "email": email,
                "role": role,
                "active": active,
                "notificationPreferences": notification_preferences,
                "lastSeenAt": last_seen_at,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.notification_preferences import NotificationPreferences  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        def _parse_external_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_id = _parse_external_id(d.pop("externalId"))

        display_name = d.pop("displayName")

        def _parse_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email = _parse_email(d.pop("email"))

        role = d.pop("role")

        active = d.pop("active")

        notification_preferences = NotificationPreferences.from_dict(d.pop("notificationPreferences"))

        def _parse_last_seen_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_seen_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_seen_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_seen_at = _parse_last_seen_at(d.pop("lastSeenAt"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        user = cls(
            id=id,
            external_id=external_id,
            display_name=display_name,
            email=email,
            role=role,
            active=active,
            notification_preferences=notification_preferences,
            last_seen_at=last_seen_at,
            created_at=created_at,
            updated_at=updated_at,
        )

        user.additional_properties = d
        return user

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
