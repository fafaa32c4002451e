from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.work_order import WorkOrder
from ...models.work_order_update import WorkOrderUpdate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    work_order_id: UUID,
    *,
    body: WorkOrderUpdate,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/work-orders/{work_order_id}".format(
            work_order_id=quote(str(work_order_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WorkOrder:
    if response.status_code == 200:
        response_200 = WorkOrder.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

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
    work_order_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: WorkOrderUpdate,
    if_match: str | Unset = UNSET,
) -> Response[Problem | WorkOrder]:
    """Update a work order

     Changes the given fields; absent fields keep their value and `null` clears a
    nullable field. A status change must be allowed by the status state machine:

    | from | allowed next |
    |---|---|
    | open | in_progress, on_hold, complete, cancelled |
    | in_progress | open, on_hold, complete, cancelled |
    | on_hold | open, in_progress, cancelled |
    | complete | (none: final) |
    | cancelled | (none: final) |

    Any other change is a 409 problem (`invalid-status-transition`) whose
    `allowedStatuses` lists the allowed next states. Moving to `complete` sets
    `completedAt`. Send the `ETag` you read as `If-Match` to refuse the change (412)
    when someone else changed the work order meanwhile.

    Args:
        work_order_id (UUID):
        if_match (str | Unset):
        body (WorkOrderUpdate): Fields to change. Absent fields are kept; `null` clears a nullable
            field.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkOrder]
    """

    kwargs = _get_kwargs(
        work_order_id=work_order_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    work_order_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: WorkOrderUpdate,
    if_match: str | Unset = UNSET,
) -> Problem | WorkOrder | None:
    """Update a work order

     Changes the given fields; absent fields keep their value and `null` clears a
    nullable field. A status change must be allowed by the status state machine:

    | from | allowed next |
    |---|---|
    | open | in_progress, on_hold, complete, cancelled |
    | in_progress | open, on_hold, complete, cancelled |
    | on_hold | open, in_progress, cancelled |
    | complete | (none: final) |
    | cancelled | (none: final) |

    Any other change is a 409 problem (`invalid-status-transition`) whose
    `allowedStatuses` lists the allowed next states. Moving to `complete` sets
    `completedAt`. Send the `ETag` you read as `If-Match` to refuse the change (412)
    when someone else changed the work order meanwhile.

    Args:
        work_order_id (UUID):
        if_match (str | Unset):
        body (WorkOrderUpdate): Fields to change. Absent fields are kept; `null` clears a nullable
            field.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkOrder
    """

    return sync_detailed(
        work_order_id=work_order_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    work_order_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: WorkOrderUpdate,
    if_match: str | Unset = UNSET,
) -> Response[Problem | WorkOrder]:
    """Update a work order

     Changes the given fields; absent fields keep their value and `null` clears a
    nullable field. A status change must be allowed by the status state machine:

    | from | allowed next |
    |---|---|
    | open | in_progress, on_hold, complete, cancelled |
    | in_progress | open, on_hold, complete, cancelled |
    | on_hold | open, in_progress, cancelled |
    | complete | (none: final) |
    | cancelled | (none: final) |

    Any other change is a 409 problem (`invalid-status-transition`) whose
    `allowedStatuses` lists the allowed next states. Moving to `complete` sets
    `completedAt`. Send the `ETag` you read as `If-Match` to refuse the change (412)
    when someone else changed the work order meanwhile.

    Args:
        work_order_id (UUID):
        if_match (str | Unset):
        body (WorkOrderUpdate): Fields to change. Absent fields are kept; `null` clears a nullable
            field.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkOrder]
    """

    kwargs = _get_kwargs(
        work_order_id=work_order_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    work_order_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: WorkOrderUpdate,
    if_match: str | Unset = UNSET,
) -> Problem | WorkOrder | None:
    """Update a work order

     Changes the given fields; absent fields keep their value and `null` clears a
    nullable field. A status change must be allowed by the status state machine:

    | from | allowed next |
    |---|---|
    | open | in_progress, on_hold, complete, cancelled |
    | in_progress | open, on_hold, complete, cancelled |
    | on_hold | open, in_progress, cancelled |
    | complete | (none: final) |
    | cancelled | (none: final) |

    Any other change is a 409 problem (`invalid-status-transition`) whose
    `allowedStatuses` lists the allowed next states. Moving to `complete` sets
    `completedAt`. Send the `ETag` you read as `If-Match` to refuse the change (412)
    when someone else changed the work order meanwhile.

    Args:
        work_order_id (UUID):
        if_match (str | Unset):
        body (WorkOrderUpdate): Fields to change. Absent fields are kept; `null` clears a nullable
            field.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkOrder
    """

    return (
        await asyncio_detailed(
            work_order_id=work_order_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
