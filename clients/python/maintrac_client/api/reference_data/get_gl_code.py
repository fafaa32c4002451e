from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.gl_code import GlCode
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    gl_code_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/gl-codes/{gl_code_id}".format(
            gl_code_id=quote(str(gl_code_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> GlCode | Problem:
    if response.status_code == 200:
        response_200 = GlCode.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[GlCode | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    gl_code_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[GlCode | Problem]:
    """Get a GL code

     One GL code.

    Args:
        gl_code_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GlCode | Problem]
    """

    kwargs = _get_kwargs(
        gl_code_id=gl_code_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    gl_code_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> GlCode | Problem | None:
    """Get a GL code

     One GL code.

    Args:
        gl_code_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GlCode | Problem
    """

    return sync_detailed(
        gl_code_id=gl_code_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    gl_code_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[GlCode | Problem]:
    """Get a GL code

     One GL code.

    Args:
        gl_code_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GlCode | Problem]
    """

    kwargs = _get_kwargs(
        gl_code_id=gl_code_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    gl_code_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> GlCode | Problem | None:
    """Get a GL code

     One GL code.

    Args:
        gl_code_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GlCode | Problem
    """

    return (
        await asyncio_detailed(
            gl_code_id=gl_code_id,
            client=client,
        )
    ).parsed
