from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.sync_pull_request import SyncPullRequest
from ...models.sync_pull_response import SyncPullResponse
from ...types import Response


def _get_kwargs(
    *,
    body: SyncPullRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/sync/pull",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SyncPullResponse:
    if response.status_code == 200:
        response_200 = SyncPullResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

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

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | SyncPullResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SyncPullRequest,
) -> Response[Problem | SyncPullResponse]:
    """Pull changes to a device

     WatermelonDB's pull. Returns every record of the caller's tenant that changed
    since `lastPulledAt` (everything when it is null: a first sync), each once (live
    records under `updated`: sync with `sendCreatedAsUpdated: true`), and the
    `timestamp` (server clock, milliseconds) to send as `lastPulledAt` next time. Tables
    the caller may not read (by permission) are left out.

    No change is ever missed: change tracking uses the database's transaction ids, so a
    change committed while a pull runs is in that pull or in the next one. A record may
    come again in a later pull (clients apply it idempotently). Records whose client
    change the server overrode or rejected come again too, so the device converges.

    Args:
        body (SyncPullRequest): WatermelonDB's pull arguments.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SyncPullResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: SyncPullRequest,
) -> Problem | SyncPullResponse | None:
    """Pull changes to a device

     WatermelonDB's pull. Returns every record of the caller's tenant that changed
    since `lastPulledAt` (everything when it is null: a first sync), each once (live
    records under `updated`: sync with `sendCreatedAsUpdated: true`), and the
    `timestamp` (server clock, milliseconds) to send as `lastPulledAt` next time. Tables
    the caller may not read (by permission) are left out.

    No change is ever missed: change tracking uses the database's transaction ids, so a
    change committed while a pull runs is in that pull or in the next one. A record may
    come again in a later pull (clients apply it idempotently). Records whose client
    change the server overrode or rejected come again too, so the device converges.

    Args:
        body (SyncPullRequest): WatermelonDB's pull arguments.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SyncPullResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SyncPullRequest,
) -> Response[Problem | SyncPullResponse]:
    """Pull changes to a device

     WatermelonDB's pull. Returns every record of the caller's tenant that changed
    since `lastPulledAt` (everything when it is null: a first sync), each once (live
    records under `updated`: sync with `sendCreatedAsUpdated: true`), and the
    `timestamp` (server clock, milliseconds) to send as `lastPulledAt` next time. Tables
    the caller may not read (by permission) are left out.

    No change is ever missed: change tracking uses the database's transaction ids, so a
    change committed while a pull runs is in that pull or in the next one. A record may
    come again in a later pull (clients apply it idempotently). Records whose client
    change the server overrode or rejected come again too, so the device converges.

    Args:
        body (SyncPullRequest): WatermelonDB's pull arguments.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SyncPullResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: SyncPullRequest,
) -> Problem | SyncPullResponse | None:
    """Pull changes to a device

     WatermelonDB's pull. Returns every record of the caller's tenant that changed
    since `lastPulledAt` (everything when it is null: a first sync), each once (live
    records under `updated`: sync with `sendCreatedAsUpdated: true`), and the
    `timestamp` (server clock, milliseconds) to send as `lastPulledAt` next time. Tables
    the caller may not read (by permission) are left out.

    No change is ever missed: change tracking uses the database's transaction ids, so a
    change committed while a pull runs is in that pull or in the next one. A record may
    come again in a later pull (clients apply it idempotently). Records whose client
    change the server overrode or rejected come again too, so the device converges.

    Args:
        body (SyncPullRequest): WatermelonDB's pull arguments.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SyncPullResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
