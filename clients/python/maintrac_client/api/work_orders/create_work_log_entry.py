from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.work_log_entry import WorkLogEntry
from ...models.work_log_entry_create import WorkLogEntryCreate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    work_order_id: UUID,
    *,
    body: WorkLogEntryCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/work-orders/{work_order_id}/log-entries".format(
            work_order_id=quote(str(work_order_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WorkLogEntry:
    if response.status_code == 201:
        response_201 = WorkLogEntry.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[Problem | WorkLogEntry]:
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
    body: WorkLogEntryCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | WorkLogEntry]:
    """Append a log entry

     Appends labour time (`minutes`), material used (`materialName`, `quantity`) or an
    observation (`note`). Entries are never edited: to correct one, append an entry of the
    same kind with `correctsEntryId`; the original stays, marked superseded, and only the
    correction counts towards `actualHours`. An entry can be corrected once (409).

    Args:
        work_order_id (UUID):
        idempotency_key (str | Unset):
        body (WorkLogEntryCreate): A new entry. `labor` needs `minutes`; `material` needs
            `materialName` and
            `quantity`; `observation` needs `note`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkLogEntry]
    """

    kwargs = _get_kwargs(
        work_order_id=work_order_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    work_order_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: WorkLogEntryCreate,
    idempotency_key: str | Unset = UNSET,
) -> Problem | WorkLogEntry | None:
    """Append a log entry

     Appends labour time (`minutes`), material used (`materialName`, `quantity`) or an
    observation (`note`). Entries are never edited: to correct one, append an entry of the
    same kind with `correctsEntryId`; the original stays, marked superseded, and only the
    correction counts towards `actualHours`. An entry can be corrected once (409).

    Args:
        work_order_id (UUID):
        idempotency_key (str | Unset):
        body (WorkLogEntryCreate): A new entry. `labor` needs `minutes`; `material` needs
            `materialName` and
            `quantity`; `observation` needs `note`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkLogEntry
    """

    return sync_detailed(
        work_order_id=work_order_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    work_order_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: WorkLogEntryCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | WorkLogEntry]:
    """Append a log entry

     Appends labour time (`minutes`), material used (`materialName`, `quantity`) or an
    observation (`note`). Entries are never edited: to correct one, append an entry of the
    same kind with `correctsEntryId`; the original stays, marked superseded, and only the
    correction counts towards `actualHours`. An entry can be corrected once (409).

    Args:
        work_order_id (UUID):
        idempotency_key (str | Unset):
        body (WorkLogEntryCreate): A new entry. `labor` needs `minutes`; `material` needs
            `materialName` and
            `quantity`; `observation` needs `note`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkLogEntry]
    """

    kwargs = _get_kwargs(
        work_order_id=work_order_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    work_order_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: WorkLogEntryCreate,
    idempotency_key: str | Unset = UNSET,
) -> Problem | WorkLogEntry | None:
    """Append a log entry

     Appends labour time (`minutes`), material used (`materialName`, `quantity`) or an
    observation (`note`). Entries are never edited: to correct one, append an entry of the
    same kind with `correctsEntryId`; the original stays, marked superseded, and only the
    correction counts towards `actualHours`. An entry can be corrected once (409).

    Args:
        work_order_id (UUID):
        idempotency_key (str | Unset):
        body (WorkLogEntryCreate): A new entry. `labor` needs `minutes`; `material` needs
            `materialName` and
            `quantity`; `observation` needs `note`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkLogEntry
    """

    return (
        await asyncio_detailed(
            work_order_id=work_order_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
