from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.webhook_event_type import WebhookEventType
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookEndpointUpdate")


@_attrs_define
class WebhookEndpointUpdate:
    """Changes to a webhook endpoint; absent fields stay as they are.

    Attributes:
        url (str | Unset): The https URL to POST events to (http only where private targets are allowed): a
            host name or IP address (IPv6 in brackets, hexadecimal groups only), an optional
            port, a path and query; no user name or password, no fragment. The host must
            resolve to public addresses when the endpoint is saved and before every
            delivery (422 `webhook-target-refused` otherwise, with `errors` at `/url`).
             Example: https://example.com/hooks/maintrac.
        event_types (list[WebhookEventType] | Unset): The event types to send. Example: ['work_order.created'].
        enabled (bool | Unset): Enabling clears `disabledReason`. Example: True.
        description (None | str | Unset): What the endpoint is for. Example: ERP work order sync.
    """

    url: str | Unset = UNSET
    event_types: list[WebhookEventType] | Unset = UNSET
    enabled: bool | Unset = UNSET
    description: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        event_types: list[str] | Unset = UNSET
        if not isinstance(self.event_types, Unset):
            event_types = []
            for event_types_item_data in self.event_types:
                event_types_item = event_types_item_data.value
                event_types.append(event_types_item)

        enabled = self.enabled

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if event_types is not UNSET:
            field_dict["eventTypes"] = event_types
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url", UNSET)

        _event_types = d.pop("eventTypes", UNSET)
        event_types: list[WebhookEventType] | Unset = UNSET
        if _event_types is not UNSET:
            event_types = []
            for event_types_item_data in _event_types:
                event_types_item = WebhookEventType(event_types_item_data)

                event_types.append(event_types_item)

        enabled = d.pop("enabled", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        webhook_endpoint_update = cls(
            url=url,
            event_types=event_types,
            enabled=enabled,
            description=description,
        )

        return webhook_endpoint_update
