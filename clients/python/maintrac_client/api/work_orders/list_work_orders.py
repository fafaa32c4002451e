import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.list_work_orders_sort import ListWorkOrdersSort
from ...models.problem import Problem
from ...models.work_order_page import WorkOrderPage
from ...models.work_order_priority import WorkOrderPriority
from ...models.work_order_status import WorkOrderStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    sort: ListWorkOrdersSort | Unset = ListWorkOrdersSort.VALUE_0,
    status: list[WorkOrderStatus] | Unset = UNSET,
    priority: list[WorkOrderPriority] | Unset = UNSET,
    assignee_id: UUID | Unset = UNSET,
    asset_id: UUID | Unset = UNSET,
    include_sub_assets: bool | Unset = True,
    pm_plan_id: UUID | Unset = UNSET,
    due_before: datetime.datetime | Unset = UNSET,
    due_after: datetime.datetime | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    json_status: list[str] | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = []
        for status_item_data in status:
            status_item = status_item_data.value
            json_status.append(status_item)

    params["status"] = json_status

    json_priority: list[str] | Unset = UNSET
    if not isinstance(priority, Unset):
        json_priority = []
        for priority_item_data in priority:
            priority_item = priority_item_data.value
            json_priority.append(priority_item)

    params["priority"] = json_priority

    json_assignee_id: str | Unset = UNSET
    if not isinstance(assignee_id, Unset):
        json_assignee_id = str(assignee_id)
    params["assigneeId"] = json_assignee_id

    json_asset_id: str | Unset = UNSET
    if not isinstance(asset_id, Unset):
        json_asset_id = str(asset_id)
    params["assetId"] = json_asset_id

    params["includeSubAssets"] = include_sub_assets

    json_pm_plan_id: str | Unset = UNSET
    if not isinstance(pm_plan_id, Unset):
        json_pm_plan_id = str(pm_plan_id)
    params["pmPlanId"] = json_pm_plan_id

    json_due_before: str | Unset = UNSET
    if not isinstance(due_before, Unset):
        json_due_before = due_before.isoformat()
    params["dueBefore"] = json_due_before

    json_due_after: str | Unset = UNSET
    if not isinstance(due_after, Unset):
        json_due_after = due_after.isoformat()
    params["dueAfter"] = json_due_after

    json_updated_since: str | Unset = UNSET
    if not isinstance(updated_since, Unset):
        json_updated_since = updated_since.isoformat()
    params["updatedSince"] = json_updated_since

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/work-orders",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WorkOrderPage:
    if response.status_code == 200:
        response_200 = WorkOrderPage.from_dict(response.json())

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
) -> Response[Problem | WorkOrderPage]:
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
    sort: ListWorkOrdersSort | Unset = ListWorkOrdersSort.VALUE_0,
    status: list[WorkOrderStatus] | Unset = UNSET,
    priority: list[WorkOrderPriority] | Unset = UNSET,
    assignee_id: UUID | Unset = UNSET,
    asset_id: UUID | Unset = UNSET,
    include_sub_assets: bool | Unset = True,
    pm_plan_id: UUID | Unset = UNSET,
    due_before: datetime.datetime | Unset = UNSET,
    due_after: datetime.datetime | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
) -> Response[Problem | WorkOrderPage]:
    """List work orders

     Work orders of the caller's tenant, newest first by default. Soft-deleted work
    orders are never listed. Filters combine with AND; a repeated `status` or
    `priority` matches any of the given values. To poll for changes, list with
    `sort=updatedAt&updatedSince=<the last updatedAt you saw>`.

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        sort (ListWorkOrdersSort | Unset):  Default: ListWorkOrdersSort.VALUE_0.
        status (list[WorkOrderStatus] | Unset):
        priority (list[WorkOrderPriority] | Unset):
        assignee_id (UUID | Unset):
        asset_id (UUID | Unset):
        include_sub_assets (bool | Unset):  Default: True.
        pm_plan_id (UUID | Unset):
        due_before (datetime.datetime | Unset):
        due_after (datetime.datetime | Unset):
        updated_since (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkOrderPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        sort=sort,
        status=status,
        priority=priority,
        assignee_id=assignee_id,
        asset_id=asset_id,
        include_sub_assets=include_sub_assets,
        pm_plan_id=pm_plan_id,
        due_before=due_before,
        due_after=due_after,
        updated_since=updated_since,
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
    sort: ListWorkOrdersSort | Unset = ListWorkOrdersSort.VALUE_0,
    status: list[WorkOrderStatus] | Unset = UNSET,
    priority: list[WorkOrderPriority] | Unset = UNSET,
    assignee_id: UUID | Unset = UNSET,
    asset_id: UUID | Unset = UNSET,
    include_sub_assets: bool | Unset = True,
    pm_plan_id: UUID | Unset = UNSET,
    due_before: datetime.datetime | Unset = UNSET,
    due_after: datetime.datetime | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
) -> Problem | WorkOrderPage | None:
    """List work orders

     Work orders of the caller's tenant, newest first by default. Soft-deleted work
    orders are never listed. Filters combine with AND; a repeated `status` or
    `priority` matches any of the given values. To poll for changes, list with
    `sort=updatedAt&updatedSince=<the last updatedAt you saw>`.

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        sort (ListWorkOrdersSort | Unset):  Default: ListWorkOrdersSort.VALUE_0.
        status (list[WorkOrderStatus] | Unset):
        priority (list[WorkOrderPriority] | Unset):
        assignee_id (UUID | Unset):
        asset_id (UUID | Unset):
        include_sub_assets (bool | Unset):  Default: True.
        pm_plan_id (UUID | Unset):
        due_before (datetime.datetime | Unset):
        due_after (datetime.datetime | Unset):
        updated_since (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkOrderPage
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        sort=sort,
        status=status,
        priority=priority,
        assignee_id=assignee_id,
        asset_id=asset_id,
        include_sub_assets=include_sub_assets,
        pm_plan_id=pm_plan_id,
        due_before=due_before,
        due_after=due_after,
        updated_since=updated_since,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    sort: ListWorkOrdersSort | Unset = ListWorkOrdersSort.VALUE_0,
    status: list[WorkOrderStatus] | Unset = UNSET,
    priority: list[WorkOrderPriority] | Unset = UNSET,
    assignee_id: UUID | Unset = UNSET,
    asset_id: UUID | Unset = UNSET,
    include_sub_assets: bool | Unset = True,
    pm_plan_id: UUID | Unset = UNSET,
    due_before: datetime.datetime | Unset = UNSET,
    due_after: datetime.datetime | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
) -> Response[Problem | WorkOrderPage]:
    """List work orders

     Work orders of the caller's tenant, newest first by default. Soft-deleted work
    orders are never listed. Filters combine with AND; a repeated `status` or
    `priority` matches any of the given values. To poll for changes, list with
    `sort=updatedAt&updatedSince=<the last updatedAt you saw>`.

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        sort (ListWorkOrdersSort | Unset):  Default: ListWorkOrdersSort.VALUE_0.
        status (list[WorkOrderStatus] | Unset):
        priority (list[WorkOrderPriority] | Unset):
        assignee_id (UUID | Unset):
        asset_id (UUID | Unset):
        include_sub_assets (bool | Unset):  Default: True.
        pm_plan_id (UUID | Unset):
        due_before (datetime.datetime | Unset):
        due_after (datetime.datetime | Unset):
        updated_since (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkOrderPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        sort=sort,
        status=status,
        priority=priority,
        assignee_id=assignee_id,
        asset_id=asset_id,
        include_sub_assets=include_sub_assets,
        pm_plan_id=pm_plan_id,
        due_before=due_before,
        due_after=due_after,
        updated_since=updated_since,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    sort: ListWorkOrdersSort | Unset = ListWorkOrdersSort.VALUE_0,
    status: list[WorkOrderStatus] | Unset = UNSET,
    priority: list[WorkOrderPriority] | Unset = UNSET,
    assignee_id: UUID | Unset = UNSET,
    asset_id: UUID | Unset = UNSET,
    include_sub_assets: bool | Unset = True,
    pm_plan_id: UUID | Unset = UNSET,
    due_before: datetime.datetime | Unset = UNSET,
    due_after: datetime.datetime | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
) -> Problem | WorkOrderPage | None:
    """List work orders

     Work orders of the caller's tenant, newest first by default. Soft-deleted work
    orders are never listed. Filters combine with AND; a repeated `status` or
    `priority` matches any of the given values. To poll for changes, list with
    `sort=updatedAt&updatedSince=<the last updatedAt you saw>`.

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        sort (ListWorkOrdersSort | Unset):  Default: ListWorkOrdersSort.VALUE_0.
        status (list[WorkOrderStatus] | Unset):
        priority (list[WorkOrderPriority] | Unset):
        assignee_id (UUID | Unset):
        asset_id (UUID | Unset):
        include_sub_assets (bool | Unset):  Default: True.
        pm_plan_id (UUID | Unset):
        due_before (datetime.datetime | Unset):
        due_after (datetime.datetime | Unset):
        updated_since (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkOrderPage
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            sort=sort,
            status=status,
            priority=priority,
            assignee_id=assignee_id,
            asset_id=asset_id,
            include_sub_assets=include_sub_assets,
            pm_plan_id=pm_plan_id,
            due_before=due_before,
            due_after=due_after,
            updated_since=updated_since,
        )
    ).parsed
