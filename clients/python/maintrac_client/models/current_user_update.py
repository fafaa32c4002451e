from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.notification_preferences_update import NotificationPreferencesUpdate


T = TypeVar("T", bound="CurrentUserUpdate")


@_attrs_define
class CurrentUserUpdate:
    """The calling user's own settings to change.

    Attributes:
        notification_preferences (NotificationPreferencesUpdate): Kinds of notice to turn on or off; kinds not sent keep
            their setting.
    """

    notification_preferences: NotificationPreferencesUpdate

    def to_dict(self) -> dict[str, Any]:
        notification_preferences = self.notification_preferences.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "notificationPreferences": notification_preferences,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.notification_preferences_update import NotificationPreferencesUpdate  # noqa: PLC0415

        d = dict(src_dict)
        notification_preferences = NotificationPreferencesUpdate.from_dict(d.pop("notificationPreferences"))

        current_user_update = cls(
            notification_preferences=notification_preferences,
        )

        return current_user_update
