from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.work_order import WorkOrder
from ...types import UNSET, Response, Unset


def _get_kwargs(
    pm_plan_id: UUID,
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/pm-plans/{pm_plan_id}/generate".format(
            pm_plan_id=quote(str(pm_plan_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WorkOrder:
    if response.status_code == 200:
        response_200 = WorkOrder.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = WorkOrder.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | WorkOrder]:
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
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | WorkOrder]:
    """Generate the plan's next work order now

     Creates the work order of the plan's next occurrence now, even before it is due
    (or, when several are overdue, of the most recent one: the older ones are recorded
    as skipped, as the generator does). Idempotent: while the plan's newest work order
    is still open (not complete, cancelled or deleted), that work order is returned
    with 200 and nothing is created, so repeating the call is harmless. Works on a
    paused plan too: pausing stops only the automatic generation. The work order's
    `created` event names the plan, the occurrence and `pmReason: manual`.

    Args:
        pm_plan_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkOrder]
    """

    kwargs = _get_kwargs(
        pm_plan_id=pm_plan_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    pm_plan_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,
) -> Problem | WorkOrder | None:
    """Generate the plan's next work order now

     Creates the work order of the plan's next occurrence now, even before it is due
    (or, when several are overdue, of the most recent one: the older ones are recorded
    as skipped, as the generator does). Idempotent: while the plan's newest work order
    is still open (not complete, cancelled or deleted), that work order is returned
    with 200 and nothing is created, so repeating the call is harmless. Works on a
    paused plan too: pausing stops only the automatic generation. The work order's
    `created` event names the plan, the occurrence and `pmReason: manual`.

    Args:
        pm_plan_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkOrder
    """

    return sync_detailed(
        pm_plan_id=pm_plan_id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    pm_plan_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | WorkOrder]:
    """Generate the plan's next work order now

     Creates the work order of the plan's next occurrence now, even before it is due
    (or, when several are overdue, of the most recent one: the older ones are recorded
    as skipped, as the generator does). Idempotent: while the plan's newest work order
    is still open (not complete, cancelled or deleted), that work order is returned
    with 200 and nothing is created, so repeating the call is harmless. Works on a
    paused plan too: pausing stops only the automatic generation. The work order's
    `created` event names the plan, the occurrence and `pmReason: manual`.

    Args:
        pm_plan_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkOrder]
    """

    kwargs = _get_kwargs(
        pm_plan_id=pm_plan_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    pm_plan_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,
) -> Problem | WorkOrder | None:
    """Generate the plan's next work order now

     Creates the work order of the plan's next occurrence now, even before it is due
    (or, when several are overdue, of the most recent one: the older ones are recorded
    as skipped, as the generator does). Idempotent: while the plan's newest work order
    is still open (not complete, cancelled or deleted), that work order is returned
    with 200 and nothing is created, so repeating the call is harmless. Works on a
    paused plan too: pausing stops only the automatic generation. The work order's
    `created` event names the plan, the occurrence and `pmReason: manual`.

    Args:
        pm_plan_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkOrder
    """

    return (
        await asyncio_detailed(
            pm_plan_id=pm_plan_id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
