import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.pm_occurrence_page import PmOccurrencePage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    pm_plan_id: UUID,
    *,
    limit: int | Unset = 50,
    until: datetime.datetime | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_until: str | Unset = UNSET
    if not isinstance(until, Unset):
        json_until = until.isoformat()
    params["until"] = json_until

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/pm-plans/{pm_plan_id}/due".format(
            pm_plan_id=quote(str(pm_plan_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PmOccurrencePage | Problem:
    if response.status_code == 200:
        response_200 = PmOccurrencePage.from_dict(response.json())

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
) -> Response[PmOccurrencePage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    pm_plan_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    until: datetime.datetime | Unset = UNSET,
) -> Response[PmOccurrencePage | Problem]:
    """Preview what a plan has due

     The plan's occurrences that are due up to `until` (default: now) and have no work
    order yet, oldest first. Missed occurrences are all listed here; the generator
    creates a work order for the most recent overdue one and records the older ones as
    skipped (the catch-up policy: never a flood after downtime). At most `limit` are
    returned; `hasMore` says whether more are due.

    Args:
        pm_plan_id (UUID):
        limit (int | Unset):  Default: 50.
        until (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PmOccurrencePage | Problem]
    """

    kwargs = _get_kwargs(
        pm_plan_id=pm_plan_id,
        limit=limit,
        until=until,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    pm_plan_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    until: datetime.datetime | Unset = UNSET,
) -> PmOccurrencePage | Problem | None:
    """Preview what a plan has due

     The plan's occurrences that are due up to `until` (default: now) and have no work
    order yet, oldest first. Missed occurrences are all listed here; the generator
    creates a work order for the most recent overdue one and records the older ones as
    skipped (the catch-up policy: never a flood after downtime). At most `limit` are
    returned; `hasMore` says whether more are due.

    Args:
        pm_plan_id (UUID):
        limit (int | Unset):  Default: 50.
        until (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PmOccurrencePage | Problem
    """

    return sync_detailed(
        pm_plan_id=pm_plan_id,
        client=client,
        limit=limit,
        until=until,
    ).parsed


async def asyncio_detailed(
    pm_plan_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    until: datetime.datetime | Unset = UNSET,
) -> Response[PmOccurrencePage | Problem]:
    """Preview what a plan has due

     The plan's occurrences that are due up to `until` (default: now) and have no work
    order yet, oldest first. Missed occurrences are all listed here; the generator
    creates a work order for the most recent overdue one and records the older ones as
    skipped (the catch-up policy: never a flood after downtime). At most `limit` are
    returned; `hasMore` says whether more are due.

    Args:
        pm_plan_id (UUID):
        limit (int | Unset):  Default: 50.
        until (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PmOccurrencePage | Problem]
    """

    kwargs = _get_kwargs(
        pm_plan_id=pm_plan_id,
        limit=limit,
        until=until,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    pm_plan_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    until: datetime.datetime | Unset = UNSET,
) -> PmOccurrencePage | Problem | None:
    """Preview what a plan has due

     The plan's occurrences that are due up to `until` (default: now) and have no work
    order yet, oldest first. Missed occurrences are all listed here; the generator
    creates a work order for the most recent overdue one and records the older ones as
    skipped (the catch-up policy: never a flood after downtime). At most `limit` are
    returned; `hasMore` says whether more are due.

    Args:
        pm_plan_id (UUID):
        limit (int | Unset):  Default: 50.
        until (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PmOccurrencePage | Problem
    """

    return (
        await asyncio_detailed(
            pm_plan_id=pm_plan_id,
            client=client,
            limit=limit,
            until=until,
        )
    ).parsed
