from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_endpoint import WebhookEndpoint
from ...models.webhook_endpoint_create import WebhookEndpointCreate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: WebhookEndpointCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/webhook-endpoints",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WebhookEndpoint:
    if response.status_code == 201:
        response_201 = WebhookEndpoint.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | WebhookEndpoint]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: WebhookEndpointCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | WebhookEndpoint]:
    """Create a webhook endpoint

     Registers a URL that receives the listed event types as signed POSTs (Standard
    Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`). The URL must be
    https and resolve to public addresses (checked now and before every delivery;
    redirects are not followed). The answer carries the signing `secret` this once.

    Args:
        idempotency_key (str | Unset):
        body (WebhookEndpointCreate): A new webhook endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookEndpoint]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: WebhookEndpointCreate,
    idempotency_key: str | Unset = UNSET,
) -> Problem | WebhookEndpoint | None:
    """Create a webhook endpoint

     Registers a URL that receives the listed event types as signed POSTs (Standard
    Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`). The URL must be
    https and resolve to public addresses (checked now and before every delivery;
    redirects are not followed). The answer carries the signing `secret` this once.

    Args:
        idempotency_key (str | Unset):
        body (WebhookEndpointCreate): A new webhook endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookEndpoint
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: WebhookEndpointCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | WebhookEndpoint]:
    """Create a webhook endpoint

     Registers a URL that receives the listed event types as signed POSTs (Standard
    Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`). The URL must be
    https and resolve to public addresses (checked now and before every delivery;
    redirects are not followed). The answer carries the signing `secret` this once.

    Args:
        idempotency_key (str | Unset):
        body (WebhookEndpointCreate): A new webhook endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookEndpoint]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: WebhookEndpointCreate,
    idempotency_key: str | Unset = UNSET,
) -> Problem | WebhookEndpoint | None:
    """Create a webhook endpoint

     Registers a URL that receives the listed event types as signed POSTs (Standard
    Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`). The URL must be
    https and resolve to public addresses (checked now and before every delivery;
    redirects are not followed). The answer carries the signing `secret` this once.

    Args:
        idempotency_key (str | Unset):
        body (WebhookEndpointCreate): A new webhook endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookEndpoint
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
