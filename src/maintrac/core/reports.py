"""Reports: the kinds, their parameters and their documented column sets.

A report is requested (``queued``), built by a worker (``running``, with progress), and
ends ``succeeded`` (its file can be downloaded until ``expires_at``) or ``failed`` (with
its error). The column set of each kind is part of the public contract, like a field:
columns may be added at the end, never removed, renamed or reordered.

Files are CSV (UTF-8 with a byte-order mark so that spreadsheet programs detect the
encoding; RFC 4180 quoting; timestamps ISO 8601 UTC with ``Z``) or xlsx (one sheet, a
header row, numbers as numbers, timestamps as UTC date-times).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from maintrac.core.errors import InvalidFields


class ReportKind(StrEnum):
    WORK_ORDERS = "work-orders"
    PM_COMPLIANCE = "pm-compliance"
    LABOUR = "labour"
    ASSET_HISTORY = "asset-history"


class ReportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class ReportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class ColumnType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    TIMESTAMP = "timestamp"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: ColumnType


def _columns(*spec: tuple[str, ColumnType]) -> tuple[Column, ...]:
    return tuple(Column(name, kind) for name, kind in spec)


T, INT, N, TS = ColumnType.TEXT, ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.TIMESTAMP

#: The header row of each kind, in order (documented in the spec and the README).
COLUMNS: Final[dict[ReportKind, tuple[Column, ...]]] = {
    ReportKind.WORK_ORDERS: _columns(
        ("id", T),
        ("number", INT),
        ("title", T),
        ("status", T),
        ("priority", T),
        ("assetCode", T),
        ("assetName", T),
        ("assigneeName", T),
        ("taskCode", T),
        ("glCode", T),
        ("pmPlanId", T),
        ("dueAt", TS),
        ("completedAt", TS),
        ("estimatedHours", N),
        ("actualMinutes", INT),
        ("createdAt", TS),
        ("updatedAt", TS),
    ),
    ReportKind.PM_COMPLIANCE: _columns(
        ("pmPlanId", T),
        ("pmPlanName", T),
        ("month", T),
        ("due", INT),
        ("completedOnTime", INT),
        ("completedLate", INT),
        ("notDone", INT),
    ),
    ReportKind.LABOUR: _columns(
        ("personId", T),
        ("personName", T),
        ("taskCode", T),
        ("glCode", T),
        ("minutes", INT),
        ("entries", INT),
    ),
    ReportKind.ASSET_HISTORY: _columns(
        ("recordType", T),
        ("at", TS),
        ("assetCode", T),
        ("assetName", T),
        ("workOrderNumber", INT),
        ("title", T),
        ("status", T),
        ("completedAt", TS),
        ("meterName", T),
        ("value", N),
        ("unit", T),
        ("id", T),
    ),
}

CONTENT_TYPES: Final = {
    ReportFormat.CSV: "text/csv; charset=utf-8",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

#: Parameters each kind accepts (wire names), and which of them it requires.
ACCEPTED: Final[dict[ReportKind, frozenset[str]]] = {
    ReportKind.WORK_ORDERS: frozenset(
        {
            "status",
            "priority",
            "assigneeId",
            "assetId",
            "includeSubAssets",
            "pmPlanId",
            "dueBefore",
            "dueAfter",
            "updatedSince",
        }
    ),
    ReportKind.PM_COMPLIANCE: frozenset({"fromMonth", "toMonth", "pmPlanId"}),
    ReportKind.LABOUR: frozenset({"from", "to"}),
    ReportKind.ASSET_HISTORY: frozenset({"assetId"}),
}
REQUIRED: Final[dict[ReportKind, frozenset[str]]] = {
    ReportKind.WORK_ORDERS: frozenset(),
    ReportKind.PM_COMPLIANCE: frozenset({"fromMonth", "toMonth"}),
    ReportKind.LABOUR: frozenset({"from", "to"}),
    ReportKind.ASSET_HISTORY: frozenset({"assetId"}),
}


def check_parameters(kind: ReportKind, parameters: Mapping[str, Any]) -> None:
    """Raise InvalidFields for a parameter ``kind`` does not take or one it needs and
    lacks (the contract's per-kind schemas say the same; this guards other callers).

    ``work-orders`` takes the work order list's filters (all optional);
    ``pm-compliance`` needs ``fromMonth`` and ``toMonth`` (``YYYY-MM``, inclusive),
    months in the tenant's time zone, and may name a ``pmPlanId``; ``labour`` needs the
    period ``from`` (inclusive) .. ``to`` (exclusive); ``asset-history`` needs
    ``assetId`` (the asset and all its descendants). A period that ends before it starts
    is not an error: it reports nothing.
    """
    errors = [
        {"pointer": f"/parameters/{name}", "detail": f"Is not a parameter of a {kind} report."}
        for name in sorted(set(parameters) - ACCEPTED[kind])
    ]
    errors += [
        {"pointer": f"/parameters/{name}", "detail": f"Is required for a {kind} report."}
        for name in sorted(REQUIRED[kind] - set(parameters))
    ]
    if errors:
        raise InvalidFields(errors)


def month_index(month: str) -> int:
    """``YYYY-MM`` as a count of months (for spans)."""
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def next_month(month: str) -> str:
    """The month after ``month`` (``YYYY-MM``): the exclusive end of a month range."""
    index = month_index(month) + 1
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True, slots=True)
class Report:
    id: uuid.UUID
    kind: ReportKind
    format: ReportFormat
    parameters: dict[str, Any]
    status: ReportStatus
    requested_by: uuid.UUID | None
    rows_done: int
    rows_total: int | None
    row_count: int | None
    byte_size: int | None
    error: str | None
    attempts: int
    started_at: datetime | None
    finished_at: datetime | None
    expires_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @property
    def progress(self) -> float:
        """0..1: rows written of rows to write (1 once succeeded, whatever the count)."""
        if self.status is ReportStatus.SUCCEEDED:
            return 1.0
        if not self.rows_total:
            return 0.0
        return min(1.0, self.rows_done / self.rows_total)

    @property
    def file_name(self) -> str:
        """What a download is saved as: kind, creation date and id, e.g.
        ``work-orders-2026-12-01-0193a3c4-....csv``."""
        return f"{self.kind}-{self.created_at:%Y-%m-%d}-{self.id}.{self.format}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def ready(self) -> bool:
        return self.status is ReportStatus.SUCCEEDED


@dataclass(frozen=True, slots=True)
class NewReport:
    kind: ReportKind
    format: ReportFormat
    parameters: dict[str, Any]
