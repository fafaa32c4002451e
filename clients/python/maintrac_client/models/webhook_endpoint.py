from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_event_type import WebhookEventType

T = TypeVar("T", bound="WebhookEndpoint")


@_attrs_define
class WebhookEndpoint:
    """Where the tenant's events are sent.

    Attributes:
        id (UUID): The endpoint's id (UUIDv7). Example: 0193a3c4-7f1e-7c2a-9b0d-000000000090.
        url (str): The https URL that receives the events. Example: https://example.com/hooks/maintrac.
        event_types (list[WebhookEventType]): The event types sent to it. Example: ['work_order.created',
            'work_order.status_changed'].
        enabled (bool): Disabled endpoints get nothing (except a test ping). Example: True.
        description (None | str): What the endpoint is for. Example: ERP work order sync.
        secret (None | str): The signing secret (`whsec_...`, Standard Webhooks), shown only in the answers to
            create and rotate-secret; null everywhere else. Keep it: it cannot be read again.
             Example: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw.
        disabled_reason (None | str): Why the endpoint was disabled automatically (continuous failures), if it was.
        disabled_at (datetime.datetime | None): When it was disabled automatically.
        secret_rotated_at (datetime.datetime | None): When the secret was last rotated; the previous one signs too for
            24 h after.
        created_at (datetime.datetime): When the endpoint was created. Example: 2026-12-01T08:00:00Z.
        updated_at (datetime.datetime): When the endpoint last changed. Example: 2026-12-01T08:00:00Z.
    """

    id: UUID
    url: str
    event_types: list[WebhookEventType]
    enabled: bool
    description: None | str
    secret: None | str
    disabled_reason: None | str
    disabled_at: datetime.datetime | None
    secret_rotated_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        url = self.url

        event_types = []
        for event_types_item_data in self.event_types:
            event_types_item = event_types_item_data.value
            event_types.append(event_types_item)

        enabled = self.enabled

        description: None | str
        description = self.description

        secret: None | str
        secret = self.secret

        disabled_reason: None | str
        disabled_reason = self.disabled_reason

        disabled_at: None | str
        if isinstance(self.disabled_at, datetime.datetime):
            disabled_at = self.disabled_at.isoformat()
        else:
            disabled_at = self.disabled_at

        secret_rotated_at: None | str
        if isinstance(self.secret_rotated_at, datetime.datetime):
            secret_rotated_at = self.secret_rotated_at.isoformat()
        else:
            secret_rotated_at = self.secret_rotated_at

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "url": url,
                "eventTypes": event_types,
                "enabled": enabled,
                "description": description,
                "secret": secret,
                "disabledReason": disabled_reason,
                "disabledAt": disabled_at,
                "secretRotatedAt": secret_rotated_at,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        url = d.pop("url")

        event_types = []
        _event_types = d.pop("eventTypes")
        for event_types_item_data in _event_types:
            event_types_item = WebhookEventType(event_types_item_data)

            event_types.append(event_types_item)

        enabled = d.pop("enabled")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        def _parse_secret(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        secret = _parse_secret(d.pop("secret"))

        def _parse_disabled_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabledReason"))

        def _parse_disabled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                disabled_at_type_0 = datetime.datetime.fromisoformat(data)

                return disabled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        disabled_at = _parse_disabled_at(d.pop("disabledAt"))

        def _parse_secret_rotated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                secret_rotated_at_type_0 = datetime.datetime.fromisoformat(data)

                return secret_rotated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        secret_rotated_at = _parse_secret_rotated_at(d.pop("secretRotatedAt"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        webhook_endpoint = cls(
            id=id,
            url=url,
            event_types=event_types,
            enabled=enabled,
            description=description,
            secret=secret,
            disabled_reason=disabled_reason,
            disabled_at=disabled_at,
            secret_rotated_at=secret_rotated_at,
            created_at=created_at,
            updated_at=updated_at,
        )

        webhook_endpoint.additional_properties = d
        return webhook_endpoint

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
