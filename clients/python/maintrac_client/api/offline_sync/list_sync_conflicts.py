from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.list_sync_conflicts_table import ListSyncConflictsTable
from ...models.problem import Problem
from ...models.sync_conflict_page import SyncConflictPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    table: ListSyncConflictsTable | Unset = UNSET,
    record_id: UUID | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    json_table: str | Unset = UNSET
    if not isinstance(table, Unset):
        json_table = table.value

    params["table"] = json_table

    json_record_id: str | Unset = UNSET
    if not isinstance(record_id, Unset):
        json_record_id = str(record_id)
    params["recordId"] = json_record_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/sync-conflicts",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SyncConflictPage:
    if response.status_code == 200:
        response_200 = SyncConflictPage.from_dict(response.json())

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
) -> Response[Problem | SyncConflictPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    table: ListSyncConflictsTable | Unset = UNSET,
    record_id: UUID | Unset = UNSET,
) -> Response[Problem | SyncConflictPage]:
    """List sync conflicts

     The audit log of client changes that the conflict policy rejected or overrode,
    newest first: table, record, field, the client's and the server's value, the
    resolution, the user and device.

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        table (ListSyncConflictsTable | Unset):
        record_id (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SyncConflictPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        table=table,
        record_id=record_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    table: ListSyncConflictsTable | Unset = UNSET,
    record_id: UUID | Unset = UNSET,
) -> Problem | SyncConflictPage | None:
    """List sync conflicts

     The audit log of client changes that the conflict policy rejected or overrode,
    newest first: table, record, field, the client's and the server's value, the
    resolution, the user and device.

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        table (ListSyncConflictsTable | Unset):
        record_id (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SyncConflictPage
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        table=table,
        record_id=record_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    table: ListSyncConflictsTable | Unset = UNSET,
    record_id: UUID | Unset = UNSET,
) -> Response[Problem | SyncConflictPage]:
    """List sync conflicts

     The audit log of client changes that the conflict policy rejected or overrode,
    newest first: table, record, field, the client's and the server's value, the
    resolution, the user and device.

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        table (ListSyncConflictsTable | Unset):
        record_id (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SyncConflictPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        table=table,
        record_id=record_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    table: ListSyncConflictsTable | Unset = UNSET,
    record_id: UUID | Unset = UNSET,
) -> Problem | SyncConflictPage | None:
    """List sync conflicts

     The audit log of client changes that the conflict policy rejected or overrode,
    newest first: table, record, field, the client's and the server's value, the
    resolution, the user and device.

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        table (ListSyncConflictsTable | Unset):
        record_id (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SyncConflictPage
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            table=table,
            record_id=record_id,
        )
    ).parsed
