from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.report_format import ReportFormat
from ..models.report_kind import ReportKind
from ..models.report_status import ReportStatus

if TYPE_CHECKING:
    from ..models.report_parameters import ReportParameters


T = TypeVar("T", bound="Report")


@_attrs_define
class Report:
    """A requested report, its progress and, once built, its file's size.

    Attributes:
        id (UUID): The report's id (UUIDv7). Example: 0193a3c4-7f1e-7c2a-9b0d-000000000090.
        kind (ReportKind): What the report contains (columns per kind in `createReport`). Example: work-orders.
        format_ (ReportFormat): `csv` (UTF-8, RFC 4180) or `xlsx` (Excel workbook). Example: csv.
        parameters (ReportParameters): The parameters as requested (the kind's `Report*Parameters`). Example: {'status':
            ['open']}.
        status (ReportStatus): `queued` (waiting for a worker), `running`, `succeeded` (file ready), `failed` (see
            `error`). Example: running.
        progress (float): Rows written of rows to write (1 once succeeded). Example: 0.42.
        rows_done (int): Rows written so far (updated in batches while running). Example: 420000.
        row_count (int | None): Data rows in the file (the header row not counted), once succeeded. Example: 1000000.
        byte_size (int | None): Size of the file in bytes, once succeeded. Example: 152000000.
        error (None | str): Why the build failed (status `failed`).
        created_at (datetime.datetime): When the report was requested (UTC). Example: 2026-12-01T09:00:00Z.
        started_at (datetime.datetime | None): When a worker started building it (UTC). Example: 2026-12-01T09:00:01Z.
        finished_at (datetime.datetime | None): When it succeeded or failed (UTC). Example: 2026-12-01T09:00:31Z.
        expires_at (datetime.datetime | None): When the report and its file are removed (UTC), once finished. Example:
            2026-12-08T09:00:31Z.
    """

    id: UUID
    kind: ReportKind
    format_: ReportFormat
    parameters: ReportParameters
    status: ReportStatus
    progress: float
    rows_done: int
    row_count: int | None
    byte_size: int | None
    error: None | str
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        kind = self.kind.value

        format_ = self.format_.value

        parameters = self.parameters.to_dict()

        status = self.status.value

        progress = self.progress

        rows_done = self.rows_done

        row_count: int | None
        row_count = self.row_count

        byte_size: int | None
        byte_size = self.byte_size

        error: None | str
        error = self.error

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "format": format_,
                "parameters": parameters,
                "status": status,
                "progress": progress,
                "rowsDone": rows_done,
                "rowCount": row_count,
                "byteSize": byte_size,
                "error": error,
                "createdAt": created_at,
                "startedAt": started_at,
                "finishedAt": finished_at,
                "expiresAt": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.report_parameters import ReportParameters  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        kind = ReportKind(d.pop("kind"))

        format_ = ReportFormat(d.pop("format"))

        parameters = ReportParameters.from_dict(d.pop("parameters"))

        status = ReportStatus(d.pop("status"))

        progress = d.pop("progress")

        rows_done = d.pop("rowsDone")

        def _parse_row_count(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        row_count = _parse_row_count(d.pop("rowCount"))

        def _parse_byte_size(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        byte_size = _parse_byte_size(d.pop("byteSize"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("startedAt"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finishedAt"))

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expiresAt"))

        report = cls(
            id=id,
            kind=kind,
            format_=format_,
            parameters=parameters,
            status=status,
            progress=progress,
            rows_done=rows_done,
            row_count=row_count,
            byte_size=byte_size,
            error=error,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
            expires_at=expires_at,
        )

        report.additional_properties = d
        return report

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
