from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.current_user_update import CurrentUserUpdate
from ...models.problem import Problem
from ...models.user import User
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CurrentUserUpdate,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/users/me",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | User:
    if response.status_code == 200:
        response_200 = User.from_dict(response.json())

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

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

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

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | User]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CurrentUserUpdate,
    if_match: str | Unset = UNSET,
) -> Response[Problem | User]:
    """Change the calling user's own settings

     Lets every person turn each kind of e-mail notice on or off for themselves
    (`notificationPreferences`; a kind not sent is left as it was). Needs no permission
    beyond a valid token; other fields of a user are changed by `updateUser`.

    Args:
        if_match (str | Unset):
        body (CurrentUserUpdate): The calling user's own settings to change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | User]
    """

    kwargs = _get_kwargs(
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CurrentUserUpdate,
    if_match: str | Unset = UNSET,
) -> Problem | User | None:
    """Change the calling user's own settings

     Lets every person turn each kind of e-mail notice on or off for themselves
    (`notificationPreferences`; a kind not sent is left as it was). Needs no permission
    beyond a valid token; other fields of a user are changed by `updateUser`.

    Args:
        if_match (str | Unset):
        body (CurrentUserUpdate): The calling user's own settings to change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | User
    """

    return sync_detailed(
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CurrentUserUpdate,
    if_match: str | Unset = UNSET,
) -> Response[Problem | User]:
    """Change the calling user's own settings

     Lets every person turn each kind of e-mail notice on or off for themselves
    (`notificationPreferences`; a kind not sent is left as it was). Needs no permission
    beyond a valid token; other fields of a user are changed by `updateUser`.

    Args:
        if_match (str | Unset):
        body (CurrentUserUpdate): The calling user's own settings to change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | User]
    """

    kwargs = _get_kwargs(
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CurrentUserUpdate,
    if_match: str | Unset = UNSET,
) -> Problem | User | None:
    """Change the calling user's own settings

     Lets every person turn each kind of e-mail notice on or off for themselves
    (`notificationPreferences`; a kind not sent is left as it was). Needs no permission
    beyond a valid token; other fields of a user are changed by `updateUser`.

    Args:
        if_match (str | Unset):
        body (CurrentUserUpdate): The calling user's own settings to change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | User
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
