from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.report import Report
from ...models.report_asset_history_create import ReportAssetHistoryCreate
from ...models.report_labour_create import ReportLabourCreate
from ...models.report_pm_compliance_create import ReportPmComplianceCreate
from ...models.report_work_orders_create import ReportWorkOrdersCreate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ReportAssetHistoryCreate | ReportLabourCreate | ReportPmComplianceCreate | ReportWorkOrdersCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/reports",
    }

    if isinstance(body, ReportWorkOrdersCreate):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, ReportPmComplianceCreate):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, ReportLabourCreate):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Report:
    if response.status_code == 202:
        response_202 = Report.from_dict(response.json())

        return response_202

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Report]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ReportAssetHistoryCreate | ReportLabourCreate | ReportPmComplianceCreate | ReportWorkOrdersCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Report]:
    """Request a report

     Queues a report; a worker builds it in the background. Answers 202 with the
    report (`status: queued`) and its `Location`: poll it until `status` is
    `succeeded`, then download `GET /v1/reports/{reportId}/file`.

    Kinds, their `parameters`, and the file's columns (in this order; columns are only
    ever added at the end):

    | kind | parameters | columns |
    |---|---|---|
    | `work-orders` | the work order list's filters, all optional: `status[]`, `priority[]`,
    `assigneeId`, `assetId`, `includeSubAssets` (default true), `pmPlanId`, `dueBefore`, `dueAfter`,
    `updatedSince` | `id, number, title, status, priority, assetCode, assetName, assigneeName, taskCode,
    glCode, pmPlanId, dueAt, completedAt, estimatedHours, actualMinutes, createdAt, updatedAt` (live
    work orders, oldest first) |
    | `pm-compliance` | `fromMonth`, `toMonth` (`YYYY-MM`, inclusive, months in the tenant's time zone),
    optional `pmPlanId` | `pmPlanId, pmPlanName, month, due, completedOnTime, completedLate, notDone`:
    per plan and month of the due time, the occurrences (PM work orders) due, completed by their due
    time, completed after it, and not completed (open, on hold or cancelled) |
    | `labour` | `from` (inclusive), `to` (exclusive) | `personId, personName, taskCode, glCode,
    minutes, entries`: labour logged in the period (corrected entries count as their correction) by
    person and the work order's task code and GL code |
    | `asset-history` | `assetId` | `recordType` (`work_order` or `reading`), `at` (created / taken),
    `assetCode, assetName, workOrderNumber, title, status, completedAt, meterName, value, unit, id`: the
    asset's and all its descendants' work orders and meter readings, oldest first |

    `csv` files are UTF-8 with a byte-order mark, RFC 4180 quoting, LF line ends,
    a header row, timestamps ISO 8601 UTC (`2026-12-01T16:00:00Z`), empty cells for
    nulls. `xlsx` files have one sheet named after the kind, a header row, numbers as
    numbers and timestamps as UTC date-times.

    Args:
        idempotency_key (str | Unset):
        body (ReportAssetHistoryCreate | ReportLabourCreate | ReportPmComplianceCreate |
            ReportWorkOrdersCreate): A report to build, with its kind's parameters (see
            `createReport`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Report]
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
    body: ReportAssetHistoryCreate | ReportLabourCreate | ReportPmComplianceCreate | ReportWorkOrdersCreate,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Report | None:
    """Request a report

     Queues a report; a worker builds it in the background. Answers 202 with the
    report (`status: queued`) and its `Location`: poll it until `status` is
    `succeeded`, then download `GET /v1/reports/{reportId}/file`.

    Kinds, their `parameters`, and the file's columns (in this order; columns are only
    ever added at the end):

    | kind | parameters | columns |
    |---|---|---|
    | `work-orders` | the work order list's filters, all optional: `status[]`, `priority[]`,
    `assigneeId`, `assetId`, `includeSubAssets` (default true), `pmPlanId`, `dueBefore`, `dueAfter`,
    `updatedSince` | `id, number, title, status, priority, assetCode, assetName, assigneeName, taskCode,
    glCode, pmPlanId, dueAt, completedAt, estimatedHours, actualMinutes, createdAt, updatedAt` (live
    work orders, oldest first) |
    | `pm-compliance` | `fromMonth`, `toMonth` (`YYYY-MM`, inclusive, months in the tenant's time zone),
    optional `pmPlanId` | `pmPlanId, pmPlanName, month, due, completedOnTime, completedLate, notDone`:
    per plan and month of the due time, the occurrences (PM work orders) due, completed by their due
    time, completed after it, and not completed (open, on hold or cancelled) |
    | `labour` | `from` (inclusive), `to` (exclusive) | `personId, personName, taskCode, glCode,
    minutes, entries`: labour logged in the period (corrected entries count as their correction) by
    person and the work order's task code and GL code |
    | `asset-history` | `assetId` | `recordType` (`work_order` or `reading`), `at` (created / taken),
    `assetCode, assetName, workOrderNumber, title, status, completedAt, meterName, value, unit, id`: the
    asset's and all its descendants' work orders and meter readings, oldest first |

    `csv` files are UTF-8 with a byte-order mark, RFC 4180 quoting, LF line ends,
    a header row, timestamps ISO 8601 UTC (`2026-12-01T16:00:00Z`), empty cells for
    nulls. `xlsx` files have one sheet named after the kind, a header row, numbers as
    numbers and timestamps as UTC date-times.

    Args:
        idempotency_key (str | Unset):
        body (ReportAssetHistoryCreate | ReportLabourCreate | ReportPmComplianceCreate |
            ReportWorkOrdersCreate): A report to build, with its kind's parameters (see
            `createReport`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Report
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ReportAssetHistoryCreate | ReportLabourCreate | ReportPmComplianceCreate | ReportWorkOrdersCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Report]:
    """Request a report

     Queues a report; a worker builds it in the background. Answers 202 with the
    report (`status: queued`) and its `Location`: poll it until `status` is
    `succeeded`, then download `GET /v1/reports/{reportId}/file`.

    Kinds, their `parameters`, and the file's columns (in this order; columns are only
    ever added at the end):

    | kind | parameters | columns |
    |---|---|---|
    | `work-orders` | the work order list's filters, all optional: `status[]`, `priority[]`,
    `assigneeId`, `assetId`, `includeSubAssets` (default true), `pmPlanId`, `dueBefore`, `dueAfter`,
    `updatedSince` | `id, number, title, status, priority, assetCode, assetName, assigneeName, taskCode,
    glCode, pmPlanId, dueAt, completedAt, estimatedHours, actualMinutes, createdAt, updatedAt` (live
    work orders, oldest first) |
    | `pm-compliance` | `fromMonth`, `toMonth` (`YYYY-MM`, inclusive, months in the tenant's time zone),
    optional `pmPlanId` | `pmPlanId, pmPlanName, month, due, completedOnTime, completedLate, notDone`:
    per plan and month of the due time, the occurrences (PM work orders) due, completed by their due
    time, completed after it, and not completed (open, on hold or cancelled) |
    | `labour` | `from` (inclusive), `to` (exclusive) | `personId, personName, taskCode, glCode,
    minutes, entries`: labour logged in the period (corrected entries count as their correction) by
    person and the work order's task code and GL code |
    | `asset-history` | `assetId` | `recordType` (`work_order` or `reading`), `at` (created / taken),
    `assetCode, assetName, workOrderNumber, title, status, completedAt, meterName, value, unit, id`: the
    asset's and all its descendants' work orders and meter readings, oldest first |

    `csv` files are UTF-8 with a byte-order mark, RFC 4180 quoting, LF line ends,
    a header row, timestamps ISO 8601 UTC (`2026-12-01T16:00:00Z`), empty cells for
    nulls. `xlsx` files have one sheet named after the kind, a header row, numbers as
    numbers and timestamps as UTC date-times.

    Args:
        idempotency_key (str | Unset):
        body (ReportAssetHistoryCreate | ReportLabourCreate | ReportPmComplianceCreate |
            ReportWorkOrdersCreate): A report to build, with its kind's parameters (see
            `createReport`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Report]
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
    body: ReportAssetHistoryCreate | ReportLabourCreate | ReportPmComplianceCreate | ReportWorkOrdersCreate,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Report | None:
    """Request a report

     Queues a report; a worker builds it in the background. Answers 202 with the
    report (`status: queued`) and its `Location`: poll it until `status` is
    `succeeded`, then download `GET /v1/reports/{reportId}/file`.

    Kinds, their `parameters`, and the file's columns (in this order; columns are only
    ever added at the end):

    | kind | parameters | columns |
    |---|---|---|
    | `work-orders` | the work order list's filters, all optional: `status[]`, `priority[]`,
    `assigneeId`, `assetId`, `includeSubAssets` (default true), `pmPlanId`, `dueBefore`, `dueAfter`,
    `updatedSince` | `id, number, title, status, priority, assetCode, assetName, assigneeName, taskCode,
    glCode, pmPlanId, dueAt, completedAt, estimatedHours, actualMinutes, createdAt, updatedAt` (live
    work orders, oldest first) |
    | `pm-compliance` | `fromMonth`, `toMonth` (`YYYY-MM`, inclusive, months in the tenant's time zone),
    optional `pmPlanId` | `pmPlanId, pmPlanName, month, due, completedOnTime, completedLate, notDone`:
    per plan and month of the due time, the occurrences (PM work orders) due, completed by their due
    time, completed after it, and not completed (open, on hold or cancelled) |
    | `labour` | `from` (inclusive), `to` (exclusive) | `personId, personName, taskCode, glCode,
    minutes, entries`: labour logged in the period (corrected entries count as their correction) by
    person and the work order's task code and GL code |
    | `asset-history` | `assetId` | `recordType` (`work_order` or `reading`), `at` (created / taken),
    `assetCode, assetName, workOrderNumber, title, status, completedAt, meterName, value, unit, id`: the
    asset's and all its descendants' work orders and meter readings, oldest first |

    `csv` files are UTF-8 with a byte-order mark, RFC 4180 quoting, LF line ends,
    a header row, timestamps ISO 8601 UTC (`2026-12-01T16:00:00Z`), empty cells for
    nulls. `xlsx` files have one sheet named after the kind, a header row, numbers as
    numbers and timestamps as UTC date-times.

    Args:
        idempotency_key (str | Unset):
        body (ReportAssetHistoryCreate | ReportLabourCreate | ReportPmComplianceCreate |
            ReportWorkOrdersCreate): A report to build, with its kind's parameters (see
            `createReport`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Report
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
