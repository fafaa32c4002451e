from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.sync_push_request import SyncPushRequest
from ...models.sync_push_response import SyncPushResponse
from ...types import Response


def _get_kwargs(
    *,
    body: SyncPushRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/sync/push",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SyncPushResponse:
    if response.status_code == 200:
        response_200 = SyncPushResponse.from_dict(response.json())

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
) -> Response[Problem | SyncPushResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SyncPushRequest,
) -> Response[Problem | SyncPushResponse]:
    """Push a device's changes

     WatermelonDB's push, applied in one transaction: either every record is applied
    (under the conflict policy) or, when any record is malformed, names an unknown table
    or column, or references something that does not exist in the tenant, nothing is and
    the answer is a 422 problem with a pointer to each fault.

    Conflict policy, per field: work order **status** and **assignment**: the server
    wins (a terminal server status rejects any client status change; other client status
    changes must pass the status machine); work order **notes, description** and other
    fields: last write wins (the device's `updated_at` against the server's change);
    **work log entries**: last write wins, appended (an edit becomes a correcting entry);
    **asset readings**: last write wins + append (an edit is kept as a new reading).
    Read-only tables (assets, meters, users, reference data) refuse changes. Every
    refused or overridden change is written to the conflict log
    (`GET /v1/sync-conflicts`) and the record comes back in the next pull.

    Conflicts are judged against the device's previous sync: WatermelonDB pushes right
    after a pull, and the device's offline edits were made on top of what it held
    before that pull. A server change made meanwhile by someone else conflicts with
    the device's change of the same field.

    Records a device creates carry its own UUIDv7 ids; an id that is not a UUIDv7, or
    that is already taken, is refused (`experimentalRejectedIds`). Pushing the same
    changes twice changes nothing the second time.

    Tables the server does not sync (an app's local-only tables) may be pushed with
    empty changes; a record in one is a 422 pointing into that table.

    Args:
        body (SyncPushRequest): WatermelonDB's push arguments, plus an optional device id for the
            conflict log.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SyncPushResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: SyncPushRequest,
) -> Problem | SyncPushResponse | None:
    """Push a device's changes

     WatermelonDB's push, applied in one transaction: either every record is applied
    (under the conflict policy) or, when any record is malformed, names an unknown table
    or column, or references something that does not exist in the tenant, nothing is and
    the answer is a 422 problem with a pointer to each fault.

    Conflict policy, per field: work order **status** and **assignment**: the server
    wins (a terminal server status rejects any client status change; other client status
    changes must pass the status machine); work order **notes, description** and other
    fields: last write wins (the device's `updated_at` against the server's change);
    **work log entries**: last write wins, appended (an edit becomes a correcting entry);
    **asset readings**: last write wins + append (an edit is kept as a new reading).
    Read-only tables (assets, meters, users, reference data) refuse changes. Every
    refused or overridden change is written to the conflict log
    (`GET /v1/sync-conflicts`) and the record comes back in the next pull.

    Conflicts are judged against the device's previous sync: WatermelonDB pushes right
    after a pull, and the device's offline edits were made on top of what it held
    before that pull. A server change made meanwhile by someone else conflicts with
    the device's change of the same field.

    Records a device creates carry its own UUIDv7 ids; an id that is not a UUIDv7, or
    that is already taken, is refused (`experimentalRejectedIds`). Pushing the same
    changes twice changes nothing the second time.

    Tables the server does not sync (an app's local-only tables) may be pushed with
    empty changes; a record in one is a 422 pointing into that table.

    Args:
        body (SyncPushRequest): WatermelonDB's push arguments, plus an optional device id for the
            conflict log.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SyncPushResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SyncPushRequest,
) -> Response[Problem | SyncPushResponse]:
    """Push a device's changes

     WatermelonDB's push, applied in one transaction: either every record is applied
    (under the conflict policy) or, when any record is malformed, names an unknown table
    or column, or references something that does not exist in the tenant, nothing is and
    the answer is a 422 problem with a pointer to each fault.

    Conflict policy, per field: work order **status** and **assignment**: the server
    wins (a terminal server status rejects any client status change; other client status
    changes must pass the status machine); work order **notes, description** and other
    fields: last write wins (the device's `updated_at` against the server's change);
    **work log entries**: last write wins, appended (an edit becomes a correcting entry);
    **asset readings**: last write wins + append (an edit is kept as a new reading).
    Read-only tables (assets, meters, users, reference data) refuse changes. Every
    refused or overridden change is written to the conflict log
    (`GET /v1/sync-conflicts`) and the record comes back in the next pull.

    Conflicts are judged against the device's previous sync: WatermelonDB pushes right
    after a pull, and the device's offline edits were made on top of what it held
    before that pull. A server change made meanwhile by someone else conflicts with
    the device's change of the same field.

    Records a device creates carry its own UUIDv7 ids; an id that is not a UUIDv7, or
    that is already taken, is refused (`experimentalRejectedIds`). Pushing the same
    changes twice changes nothing the second time.

    Tables the server does not sync (an app's local-only tables) may be pushed with
    empty changes; a record in one is a 422 pointing into that table.

    Args:
        body (SyncPushRequest): WatermelonDB's push arguments, plus an optional device id for the
            conflict log.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SyncPushResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: SyncPushRequest,
) -> Problem | SyncPushResponse | None:
    """Push a device's changes

     WatermelonDB's push, applied in one transaction: either every record is applied
    (under the conflict policy) or, when any record is malformed, names an unknown table
    or column, or references something that does not exist in the tenant, nothing is and
    the answer is a 422 problem with a pointer to each fault.

    Conflict policy, per field: work order **status** and **assignment**: the server
    wins (a terminal server status rejects any client status change; other client status
    changes must pass the status machine); work order **notes, description** and other
    fields: last write wins (the device's `updated_at` against the server's change);
    **work log entries**: last write wins, appended (an edit becomes a correcting entry);
    **asset readings**: last write wins + append (an edit is kept as a new reading).
    Read-only tables (assets, meters, users, reference data) refuse changes. Every
    refused or overridden change is written to the conflict log
    (`GET /v1/sync-conflicts`) and the record comes back in the next pull.

    Conflicts are judged against the device's previous sync: WatermelonDB pushes right
    after a pull, and the device's offline edits were made on top of what it held
    before that pull. A server change made meanwhile by someone else conflicts with
    the device's change of the same field.

    Records a device creates carry its own UUIDv7 ids; an id that is not a UUIDv7, or
    that is already taken, is refused (`experimentalRejectedIds`). Pushing the same
    changes twice changes nothing the second time.

    Tables the server does not sync (an app's local-only tables) may be pushed with
    empty changes; a record in one is a 422 pointing into that table.

    Args:
        body (SyncPushRequest): WatermelonDB's push arguments, plus an optional device id for the
            conflict log.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SyncPushResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
