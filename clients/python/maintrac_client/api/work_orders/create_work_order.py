from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.work_order import WorkOrder
from ...models.work_order_create import WorkOrderCreate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: WorkOrderCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/work-orders",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WorkOrder:
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | WorkOrder]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: WorkOrderCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | WorkOrder]:
    """Create a work order

     Creates a work order in status `open` and gives it the tenant's next work order
    `number`. Returns 201 with the new work order and its URL in `Location`. The asset,
    assignee, task code and GL code must exist in the tenant (422 `invalid-reference`).

    Args:
        idempotency_key (str | Unset):
        body (WorkOrderCreate): A new work order. It starts in status `open`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkOrder]
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
    body: WorkOrderCreate,
    idempotency_key: str | Unset = UNSET,
) -> Problem | WorkOrder | None:
    """Create a work order

     Creates a work order in status `open` and gives it the tenant's next work order
    `number`. Returns 201 with the new work order and its URL in `Location`. The asset,
    assignee, task code and GL code must exist in the tenant (422 `invalid-reference`).

    Args:
        idempotency_key (str | Unset):
        body (WorkOrderCreate): A new work order. It starts in status `open`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkOrder
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: WorkOrderCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | WorkOrder]:
    """Create a work order

     Creates a work order in status `open` and gives it the tenant's next work order
    `number`. Returns 201 with the new work order and its URL in `Location`. The asset,
    assignee, task code and GL code must exist in the tenant (422 `invalid-reference`).

    Args:
        idempotency_key (str | Unset):
        body (WorkOrderCreate): A new work order. It starts in status `open`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkOrder]
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
    body: WorkOrderCreate,
    idempotency_key: str | Unset = UNSET,
) -> Problem | WorkOrder | None:
    """Create a work order

     Creates a work order in status `open` and gives it the tenant's next work order
    `number`. Returns 201 with the new work order and its URL in `Location`. The asset,
    assignee, task code and GL code must exist in the tenant (422 `invalid-reference`).

    Args:
        idempotency_key (str | Unset):
        body (WorkOrderCreate): A new work order. It starts in status `open`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkOrder
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
