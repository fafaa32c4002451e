import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.reading_page import ReadingPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    meter_id: UUID,
    *,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    taken_after: datetime.datetime | Unset = UNSET,
    taken_before: datetime.datetime | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    json_taken_after: str | Unset = UNSET
    if not isinstance(taken_after, Unset):
        json_taken_after = taken_after.isoformat()
    params["takenAfter"] = json_taken_after

    json_taken_before: str | Unset = UNSET
    if not isinstance(taken_before, Unset):
        json_taken_before = taken_before.isoformat()
    params["takenBefore"] = json_taken_before

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/meters/{meter_id}/readings".format(
            meter_id=quote(str(meter_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ReadingPage:
    if response.status_code == 200:
        response_200 = ReadingPage.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[Problem | ReadingPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    meter_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    taken_after: datetime.datetime | Unset = UNSET,
    taken_before: datetime.datetime | Unset = UNSET,
) -> Response[Problem | ReadingPage]:
    """List a meter's readings

     The meter's readings, latest `takenAt` first. Readings are never edited or removed.

    Args:
        meter_id (UUID):
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        taken_after (datetime.datetime | Unset):
        taken_before (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReadingPage]
    """

    kwargs = _get_kwargs(
        meter_id=meter_id,
        limit=limit,
        cursor=cursor,
        taken_after=taken_after,
        taken_before=taken_before,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    meter_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    taken_after: datetime.datetime | Unset = UNSET,
    taken_before: datetime.datetime | Unset = UNSET,
) -> Problem | ReadingPage | None:
    """List a meter's readings

     The meter's readings, latest `takenAt` first. Readings are never edited or removed.

    Args:
        meter_id (UUID):
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        taken_after (datetime.datetime | Unset):
        taken_before (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReadingPage
    """

    return sync_detailed(
        meter_id=meter_id,
        client=client,
        limit=limit,
        cursor=cursor,
        taken_after=taken_after,
        taken_before=taken_before,
    ).parsed


async def asyncio_detailed(
    meter_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    taken_after: datetime.datetime | Unset = UNSET,
    taken_before: datetime.datetime | Unset = UNSET,
) -> Response[Problem | ReadingPage]:
    """List a meter's readings

     The meter's readings, latest `takenAt` first. Readings are never edited or removed.

    Args:
        meter_id (UUID):
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        taken_after (datetime.datetime | Unset):
        taken_before (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReadingPage]
    """

    kwargs = _get_kwargs(
        meter_id=meter_id,
        limit=limit,
        cursor=cursor,
        taken_after=taken_after,
        taken_before=taken_before,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    meter_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    taken_after: datetime.datetime | Unset = UNSET,
    taken_before: datetime.datetime | Unset = UNSET,
) -> Problem | ReadingPage | None:
    """List a meter's readings

     The meter's readings, latest `takenAt` first. Readings are never edited or removed.

    Args:
        meter_id (UUID):
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        taken_after (datetime.datetime | Unset):
        taken_before (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReadingPage
    """

    return (
        await asyncio_detailed(
            meter_id=meter_id,
            client=client,
            limit=limit,
            cursor=cursor,
            taken_after=taken_after,
            taken_before=taken_before,
        )
    ).parsed
