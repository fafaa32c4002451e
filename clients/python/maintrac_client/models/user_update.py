from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.notification_preferences_update import NotificationPreferencesUpdate


T = TypeVar("T", bound="UserUpdate")


@_attrs_define
class UserUpdate:
    """Fields to change. Absent fields are kept.

    Attributes:
        display_name (str | Unset): The name shown to other people. Example: Dana W..
        email (None | str | Unset): E-mail address; unique in the tenant, ignoring case. Example: dana.w@example.com.
        role (str | Unset): The role. Example: planner.
        external_id (None | str | Unset): The identity provider's user id. Example: user_2abcDEF.
        active (bool | Unset): Whether the user may use the API. Example: False.
        notification_preferences (NotificationPreferencesUpdate | Unset): Kinds of notice to turn on or off; kinds not
            sent keep their setting.
    """

    display_name: str | Unset = UNSET
    email: None | str | Unset = UNSET
    role: str | Unset = UNSET
    external_id: None | str | Unset = UNSET
    active: bool | Unset = UNSET
    notification_preferences: NotificationPreferencesUpdate | Unset = UNSET

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

        notification_preferences: dict[str, Any] | Unset = UNSET
        if not isinstance(self.notification_preferences, Unset):
            notification_preferences = self.notification_preferences.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if display_name is not UNSET:
            field_dict["displayName"] = display_name
        if email is not UNSET:
            field_dict["email"] = email
        if role is not UNSET:
            field_dict["role"] = role
        if external_id is not UNSET:
            field_dict["externalId"] = external_id
        if active is not UNSET:
            field_dict["active"] = active
        if notification_preferences is not UNSET:
            field_dict["notificationPreferences"] = notification_preferences

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.notification_preferences_update import NotificationPreferencesUpdate  # noqa: PLC0415

        d = dict(src_dict)
        display_name = d.pop("displayName", UNSET)

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

        _notification_preferences = d.pop("notificationPreferences", UNSET)
        notification_preferences: NotificationPreferencesUpdate | Unset
        if isinstance(_notification_preferences, Unset):
            notification_preferences = UNSET
        else:
            notification_preferences = NotificationPreferencesUpdate.from_dict(_notification_preferences)

        user_update = cls(
            display_name=display_name,
            email=email,
            role=role,
            external_id=external_id,
            active=active,
            notification_preferences=notification_preferences,
        )

        return user_update
