"""Webhook endpoint operations: map HTTP to service calls and back."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from connexion.lifecycle import ConnexionResponse

from maintrac.api.operations import Handler, RequestContext
from maintrac.api.responses import empty_response, json_response
from maintrac.config import get_settings
from maintrac.core.webhooks import WebhookDelivery, WebhookEndpoint
from maintrac.services import webhooks as service
from maintrac_contract import models


def _policy() -> service.Policy:
    return service.Policy.from_settings(get_settings())


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


def _endpoint_out(endpoint: WebhookEndpoint) -> models.WebhookEndpoint:
    return models.WebhookEndpoint(
        id=endpoint.id,
        url=endpoint.url,
        event_types=[models.WebhookEventType(t) for t in endpoint.event_types],
        enabled=endpoint.enabled,
        description=endpoint.description,
        secret=endpoint.secret,
        disabled_reason=endpoint.disabled_reason,
        disabled_at=_utc(endpoint.disabled_at),
        secret_rotated_at=_utc(endpoint.secret_rotated_at),
        created_at=_utc(endpoint.created_at),
        updated_at=_utc(endpoint.updated_at),
    )


def _delivery_out(delivery: WebhookDelivery) -> models.WebhookDelivery:
    return models.WebhookDelivery(
        id=delivery.id,
        endpoint_id=delivery.endpoint_id,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        status=models.WebhookDeliveryStatus(delivery.status.value),
        attempts=[
            models.WebhookAttempt(
                attempted_at=_utc(a.attempted_at),
                status_code=a.status_code,
                duration_ms=a.duration_ms,
                error=a.error,
            )
            for a in delivery.attempts
        ],
        next_retry_at=_utc(delivery.next_retry_at),
        last_error=delivery.last_error,
        created_at=_utc(delivery.created_at),
        updated_at=_utc(delivery.updated_at),
    )


def _one(endpoint: WebhookEndpoint, status: int = 200) -> ConnexionResponse:
    location = f"/v1/webhook-endpoints/{endpoint.id}" if status == 201 else None
    return json_response(
        _endpoint_out(endpoint), status, version=endpoint.version, location=location
    )


def list_webhook_endpoints(
    ctx: RequestContext, *, limit: int = 50, cursor: str | None = None
) -> ConnexionResponse:
    page = service.list_endpoints(ctx.session, limit, cursor, ctx.codec)
    return json_response(
        models.WebhookEndpointPage(
            data=[_endpoint_out(e) for e in page.items],
            next_cursor=page.next_cursor,
            has_more=page.has_more,
        )
    )


def create_webhook_endpoint(ctx: RequestContext, body: dict[str, Any]) -> ConnexionResponse:
    data = models.WebhookEndpointCreate.model_validate(body)
    created = service.create_endpoint(
        ctx.session,
        data.url,
        [t.value for t in data.event_types],
        True if data.enabled is None else data.enabled,
        data.description,
        _policy(),
    )
    return _one(created, 201)


def get_webhook_endpoint(ctx: RequestContext, webhook_endpoint_id: str) -> ConnexionResponse:
    return _one(service.get_endpoint(ctx.session, uuid.UUID(webhook_endpoint_id)))


def update_webhook_endpoint(
    ctx: RequestContext, webhook_endpoint_id: str, body: dict[str, Any]
) -> ConnexionResponse:
    data = models.WebhookEndpointUpdate.model_validate(body)
    sent = data.model_fields_set
    changes: service.EndpointChanges = {}
    if "url" in sent and data.url is not None:
        changes["url"] = data.url
    if "event_types" in sent and data.event_types is not None:
        changes["event_types"] = [t.value for t in data.event_types]
    if "enabled" in sent and data.enabled is not None:
        changes["enabled"] = data.enabled
    if "description" in sent:
        changes["description"] = data.description
    updated = service.update_endpoint(
        ctx.session, uuid.UUID(webhook_endpoint_id), changes, ctx.expected_version, _policy()
    )
    return _one(updated)


def delete_webhook_endpoint(ctx: RequestContext, webhook_endpoint_id: str) -> ConnexionResponse:
    service.delete_endpoint(ctx.session, uuid.UUID(webhook_endpoint_id), ctx.expected_version)
    return empty_response()


def rotate_webhook_endpoint_secret(
    ctx: RequestContext, webhook_endpoint_id: str
) -> ConnexionResponse:
    return _one(service.rotate_secret(ctx.session, uuid.UUID(webhook_endpoint_id), _policy()))


def send_test_event(ctx: RequestContext, webhook_endpoint_id: str) -> ConnexionResponse:
    delivery = service.send_ping(ctx.session, uuid.UUID(webhook_endpoint_id))
    return json_response(_delivery_out(delivery), 202)


def list_webhook_deliveries(
    ctx: RequestContext, webhook_endpoint_id: str, *, limit: int = 50, cursor: str | None = None
) -> ConnexionResponse:
    page = service.list_deliveries(
        ctx.session, uuid.UUID(webhook_endpoint_id), limit, cursor, ctx.codec
    )
    return json_response(
        models.WebhookDeliveryPage(
            data=[_delivery_out(d) for d in page.items],
            next_cursor=page.next_cursor,
            has_more=page.has_more,
        )
    )


def retry_webhook_delivery(
    ctx: RequestContext, webhook_endpoint_id: str, delivery_id: str
) -> ConnexionResponse:
    delivery = service.retry_delivery(
        ctx.session, uuid.UUID(webhook_endpoint_id), uuid.UUID(delivery_id)
    )
    return json_response(_delivery_out(delivery), 202)


HANDLERS: dict[str, Handler] = {
    "listWebhookEndpoints": list_webhook_endpoints,
    "createWebhookEndpoint": create_webhook_endpoint,
    "getWebhookEndpoint": get_webhook_endpoint,
    "updateWebhookEndpoint": update_webhook_endpoint,
    "deleteWebhookEndpoint": delete_webhook_endpoint,
    "rotateWebhookEndpointSecret": rotate_webhook_endpoint_secret,
    "testWebhookEndpoint": send_test_event,
    "listWebhookDeliveries": list_webhook_deliveries,
    "retryWebhookDelivery": retry_webhook_delivery,
}
