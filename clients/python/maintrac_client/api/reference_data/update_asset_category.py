from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.asset_category import AssetCategory
from ...models.problem import Problem
from ...models.reference_item_update import ReferenceItemUpdate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    asset_category_id: UUID,
    *,
    body: ReferenceItemUpdate,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/asset-categories/{asset_category_id}".format(
            asset_category_id=quote(str(asset_category_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AssetCategory | Problem:
    if response.status_code == 200:
        response_200 = AssetCategory.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AssetCategory | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    asset_category_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ReferenceItemUpdate,
    if_match: str | Unset = UNSET,
) -> Response[AssetCategory | Problem]:
    """Update an asset category

     Changes the asset category's code, name or description.

    Args:
        asset_category_id (UUID):
        if_match (str | Unset):
        body (ReferenceItemUpdate): Fields to change. Absent fields are kept.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetCategory | Problem]
    """

    kwargs = _get_kwargs(
        asset_category_id=asset_category_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    asset_category_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ReferenceItemUpdate,
    if_match: str | Unset = UNSET,
) -> AssetCategory | Problem | None:
    """Update an asset category

     Changes the asset category's code, name or description.

    Args:
        asset_category_id (UUID):
        if_match (str | Unset):
        body (ReferenceItemUpdate): Fields to change. Absent fields are kept.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetCategory | Problem
    """

    return sync_detailed(
        asset_category_id=asset_category_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    asset_category_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ReferenceItemUpdate,
    if_match: str | Unset = UNSET,
) -> Response[AssetCategory | Problem]:
    """Update an asset category

     Changes the asset category's code, name or description.

    Args:
        asset_category_id (UUID):
        if_match (str | Unset):
        body (ReferenceItemUpdate): Fields to change. Absent fields are kept.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetCategory | Problem]
    """

    kwargs = _get_kwargs(
        asset_category_id=asset_category_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    asset_category_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ReferenceItemUpdate,
    if_match: str | Unset = UNSET,
) -> AssetCategory | Problem | None:
    """Update an asset category

     Changes the asset category's code, name or description.

    Args:
        asset_category_id (UUID):
        if_match (str | Unset):
        body (ReferenceItemUpdate): Fields to change. Absent fields are kept.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetCategory | Problem
    """

    return (
        await asyncio_detailed(
            asset_category_id=asset_category_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
