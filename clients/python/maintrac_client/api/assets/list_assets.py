from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.asset_page import AssetPage
from ...models.asset_status import AssetStatus
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    parent_id: UUID | Unset = UNSET,
    root: bool | Unset = UNSET,
    category_id: UUID | Unset = UNSET,
    status: list[AssetStatus] | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    json_parent_id: str | Unset = UNSET
    if not isinstance(parent_id, Unset):
        json_parent_id = str(parent_id)
    params["parentId"] = json_parent_id

    params["root"] = root

    json_category_id: str | Unset = UNSET
    if not isinstance(category_id, Unset):
        json_category_id = str(category_id)
    params["categoryId"] = json_category_id

    json_status: list[str] | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = []
        for status_item_data in status:
            status_item = status_item_data.value
            json_status.append(status_item)

    params["status"] = json_status

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/assets",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AssetPage | Problem:
    if response.status_code == 200:
        response_200 = AssetPage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AssetPage | Problem]:
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
    parent_id: UUID | Unset = UNSET,
    root: bool | Unset = UNSET,
    category_id: UUID | Unset = UNSET,
    status: list[AssetStatus] | Unset = UNSET,
) -> Response[AssetPage | Problem]:
    """List assets

     Assets of the tenant, newest first. `parentId` lists the direct children of an asset;
    `root=true` lists the top of the hierarchy (sites).

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        parent_id (UUID | Unset):
        root (bool | Unset):
        category_id (UUID | Unset):
        status (list[AssetStatus] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetPage | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        parent_id=parent_id,
        root=root,
        category_id=category_id,
        status=status,
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
    parent_id: UUID | Unset = UNSET,
    root: bool | Unset = UNSET,
    category_id: UUID | Unset = UNSET,
    status: list[AssetStatus] | Unset = UNSET,
) -> AssetPage | Problem | None:
    """List assets

     Assets of the tenant, newest first. `parentId` lists the direct children of an asset;
    `root=true` lists the top of the hierarchy (sites).

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        parent_id (UUID | Unset):
        root (bool | Unset):
        category_id (UUID | Unset):
        status (list[AssetStatus] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetPage | Problem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        parent_id=parent_id,
        root=root,
        category_id=category_id,
        status=status,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    parent_id: UUID | Unset = UNSET,
    root: bool | Unset = UNSET,
    category_id: UUID | Unset = UNSET,
    status: list[AssetStatus] | Unset = UNSET,
) -> Response[AssetPage | Problem]:
    """List assets

     Assets of the tenant, newest first. `parentId` lists the direct children of an asset;
    `root=true` lists the top of the hierarchy (sites).

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        parent_id (UUID | Unset):
        root (bool | Unset):
        category_id (UUID | Unset):
        status (list[AssetStatus] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetPage | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        parent_id=parent_id,
        root=root,
        category_id=category_id,
        status=status,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    parent_id: UUID | Unset = UNSET,
    root: bool | Unset = UNSET,
    category_id: UUID | Unset = UNSET,
    status: list[AssetStatus] | Unset = UNSET,
) -> AssetPage | Problem | None:
    """List assets

     Assets of the tenant, newest first. `parentId` lists the direct children of an asset;
    `root=true` lists the top of the hierarchy (sites).

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        parent_id (UUID | Unset):
        root (bool | Unset):
        category_id (UUID | Unset):
        status (list[AssetStatus] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            parent_id=parent_id,
            root=root,
            category_id=category_id,
            status=status,
        )
    ).parsed
