"""Report use cases: request a report, follow it, download it; build it (the worker).

Business rules:

* A request is checked (the kind's parameters, ``core.reports.check_parameters``; an
  ``asset-history`` asset must exist in the tenant) and stored ``queued``; the build is
  requested through the outbox in the same transaction, so a rolled-back request builds
  nothing and a committed one is built even if the broker was down at the time.
* The worker streams the rows (constant memory: PostgreSQL's ``COPY ... TO STDOUT`` for
  CSV, a server-side named cursor for xlsx, written row by row by ``services.xlsx``, on
  a reading connection), writes the file in
  ~1 MiB chunks into the building transaction and marks the report ``succeeded`` in that
  same transaction: a file is whole or absent, never half-written. Progress is recorded
  every ``progress_every`` rows in short transactions of its own, so a client polling
  the report sees it move while the build runs.
* A build that fails for good marks the report ``failed`` with its error. A message
  delivered again (worker lost) starts a ``running`` report over; a finished one is left
  alone.
* Succeeded and failed reports expire ``retention`` after they finish; housekeeping then
  deletes the file and the report (it reads as 404 afterwards).
"""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from maintrac.core.errors import InvalidFields, InvalidReference, NotFound, ReportNotReady
from maintrac.core.ids import new_id
from maintrac.core.pagination import CursorCodec, Page
from maintrac.core.reports import (
    COLUMNS,
    ColumnType,
    NewReport,
    Report,
    ReportFormat,
    ReportKind,
    ReportStatus,
    check_parameters,
    next_month,
)
from maintrac.db import reports as repo
from maintrac.db.pm_plans import tenant_time_zone
from maintrac.db.transaction import TenantSession
from maintrac.services import outbox, xlsx
from maintrac.services.paging import paginate

#: The worker task that builds a report (``maintrac.jobs.reports``).
BUILD_TASK: Final = "maintrac.reports.build"
SORT: Final = "-createdAt"
#: Excel's limit is 1,048,576 rows a sheet, the header included: a longer report fails
#: (not retried) with an error that says so, rather than making a file Excel cannot open.
XLSX_MAX_ROWS: Final = 1_048_575


@dataclass(frozen=True, slots=True)
class BuildOptions:
    #: rows between two progress updates
    progress_every: int = 10_000
    #: rows fetched per round trip of the server-side cursor
    itersize: int = 5_000
    #: size of one stored chunk of the file
    chunk_bytes: int = 1 << 20
    #: how long a finished report (and its file) is kept
    retention: timedelta = timedelta(days=7)


def _not_found(report_id: uuid.UUID) -> NotFound:
    return NotFound(f"No report {report_id}.", resource="report")


def request_report(session: TenantSession, new: NewReport, requester: uuid.UUID | None) -> Report:
    """Store a queued report and ask the worker to build it once this commits."""
    check_parameters(new.kind, new.parameters)
    if new.kind is ReportKind.ASSET_HISTORY:
        asset = uuid.UUID(str(new.parameters["assetId"]))
        if not repo.asset_is_live(session, asset):
            raise InvalidReference(
                f"'assetId' names no asset in your tenant: {asset}.",
                field="assetId",
                errors=[
                    {"pointer": "/parameters/assetId", "detail": "Does not exist in your tenant."}
                ],
            )
    report = repo.insert(
        session,
        {
            "id": new_id(),
            "kind": new.kind.value,
            "format": new.format.value,
            "parameters": new.parameters,
            "requested_by": requester,
        },
    )
    outbox.enqueue(session, BUILD_TASK, {"report_id": str(report.id)})
    return report


def get_report(session: TenantSession, report_id: uuid.UUID) -> Report:
    report = repo.get(session, report_id)
    if report is None:
        raise _not_found(report_id)
    return report


def list_reports(
    session: TenantSession, *, limit: int, cursor: str | None, codec: CursorCodec
) -> Page[Report]:
    """The tenant's reports, newest first."""
    return paginate(
        session,
        codec,
        repo.NEWEST_FIRST,
        cursor,
        limit,
        {"list": "reports"},
        lambda after, n: repo.list_newest_first(session, after=after, limit=n),
    )


def ready_report(session: TenantSession, report_id: uuid.UUID) -> tuple[Report, int]:
    """The report and its number of chunks, if its file can be downloaded
    (ReportNotReady while queued or running, and for a failed report)."""
    report = get_report(session, report_id)
    if report.status is not ReportStatus.SUCCEEDED:
        raise ReportNotReady(
            f"Report {report_id} is {report.status}; its file exists once it has succeeded.",
            status=report.status.value,
        )
    return report, repo.chunk_count(session, report_id)


def read_chunk(session: TenantSession, report_id: uuid.UUID, seq: int) -> bytes:
    data = repo.read_chunk(session, report_id, seq)
    if data is None:  # expired and deleted between two reads
        raise _not_found(report_id)
    return data


# ---------------------------------------------------------------- building (the worker)


def start_build(session: TenantSession, report_id: uuid.UUID) -> Report | None:
    """Mark the report running and record how many rows it will have; None when there is
    nothing to do (absent, expired, or already finished)."""
    report = repo.start(session, report_id)
    if report is None:
        return None
    repo.allow_long_statements(session)
    total = repo.count_rows(session, report.kind, _query_parameters(session, report))
    repo.set_state(session, report_id, rows_total=total)
    return report


def record_progress(session: TenantSession, report_id: uuid.UUID, rows_done: int) -> None:
    repo.set_state(session, report_id, rows_done=rows_done)


def build(
    session: TenantSession,
    report: Report,
    options: BuildOptions,
    progress: Callable[[int], None],
    *,
    reader: TenantSession,
    now: datetime | None = None,
) -> Report:
    """Read the rows through ``reader`` and write the file into ``session``, marking the
    report succeeded there.

    Two connections, because a connection that is streaming a ``COPY`` can run nothing
    else until it ends: the reader streams (one statement, so one consistent snapshot),
    the writer inserts the chunks as they fill and commits them with the status.
    """
    repo.allow_long_statements(session)
    repo.allow_long_statements(reader)
    sink = _ChunkSink(session, report.id, options.chunk_bytes)
    header = [c.name for c in COLUMNS[report.kind]]
    params = _query_parameters(reader, report)
    if report.format is ReportFormat.CSV:
        lines = repo.copy_csv(reader, report.kind, params)
        count = _write_csv(sink, header, lines, options, progress)
    else:
        rows = repo.stream_rows(
            reader, report.kind, report.format, params, itersize=options.itersize
        )
        columns = [(c.name, _CELLS[c.type]) for c in COLUMNS[report.kind]]
        count = _write_xlsx(sink, columns, rows, options, progress, report.kind.value)
    finished = now or datetime.now(UTC)
    repo.set_state(
        session,
        report.id,
        status=ReportStatus.SUCCEEDED.value,
        rows_done=count,
        row_count=count,
        byte_size=sink.size,
        finished_at=finished,
        expires_at=finished + options.retention,
    )
    return get_report(session, report.id)


def fail(session: TenantSession, report_id: uuid.UUID, error: str, retention: timedelta) -> None:
    """Record the final failure of a build."""
    finished = datetime.now(UTC)
    repo.set_state(
        session,
        report_id,
        status=ReportStatus.FAILED.value,
        error=error[:2000],
        finished_at=finished,
        expires_at=finished + retention,
    )


def expire_batch(session: TenantSession, batch: int) -> int:
    """Delete up to ``batch`` chunks of expired reports; once a batch comes back short,
    retire (soft-delete) the expired reports whose file is gone. Returns rows removed."""
    chunks = repo.delete_expired_chunks(session, batch)
    if chunks < batch:
        return chunks + repo.retire_expired(session, batch)
    return chunks


def _query_parameters(session: TenantSession, report: Report) -> dict[str, Any]:
    params = dict(report.parameters)
    if report.kind is ReportKind.PM_COMPLIANCE:
        params["endMonth"] = next_month(str(params["toMonth"]))
        params["timeZone"] = tenant_time_zone(session)
    return params


class _ChunkSink:
    """Bytes in, chunks of ``size`` bytes out into ``report_chunks``, in order."""

    def __init__(self, session: TenantSession, report_id: uuid.UUID, size: int) -> None:
        self._session = session
        self._report_id = report_id
        self._chunk = size
        self._pending = bytearray()
        self._seq = 0
        self.size = 0

    def write(self, data: bytes) -> None:
        self._pending += data
        self.size += len(data)
        while len(self._pending) >= self._chunk:
            self._flush(bytes(self._pending[: self._chunk]))
            del self._pending[: self._chunk]

    def close(self) -> None:
        if self._pending or self._seq == 0:
            self._flush(bytes(self._pending))
            self._pending.clear()

    def _flush(self, data: bytes) -> None:
        repo.insert_chunk(self._session, self._report_id, self._seq, data)
        self._seq += 1


def _write_csv(
    sink: _ChunkSink,
    header: list[str],
    lines: Iterable[bytes],
    options: BuildOptions,
    progress: Callable[[int], None],
) -> int:
    """The header (written here, with the byte-order mark) and then PostgreSQL's CSV
    lines as they come."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(header)
    sink.write(codecs.BOM_UTF8 + buffer.getvalue().encode())
    count = 0
    for line in lines:
        sink.write(line)
        count += 1
        if count % options.progress_every == 0:
            progress(count)
    sink.close()
    return count


#: How each column type is written into an xlsx cell.
_CELLS: Final = {
    ColumnType.TEXT: xlsx.Cells.TEXT,
    ColumnType.INTEGER: xlsx.Cells.NUMBER,
    ColumnType.NUMBER: xlsx.Cells.NUMBER,
    ColumnType.TIMESTAMP: xlsx.Cells.DATETIME,
}


def _write_xlsx(  # noqa: PLR0917  # one writer, its inputs
    sink: _ChunkSink,
    columns: list[tuple[str, xlsx.Cells]],
    rows: Iterable[Sequence[Any]],
    options: BuildOptions,
    progress: Callable[[int], None],
    title: str,
) -> int:
    """The sheet is streamed row by row into a zip (``services.xlsx``) in a temporary
    file, which is then copied into the chunks: a seekable file lets the zip carry plain
    local headers (no data descriptors), the widest-read form."""

    def on_row(count: int) -> None:
        if count > XLSX_MAX_ROWS:
            raise InvalidFields(
                [
                    {
                        "pointer": "/format",
                        "detail": f"An xlsx sheet holds at most {XLSX_MAX_ROWS:,} rows; "
                        "request csv, or narrow the parameters.",
                    }
                ]
            )
        if count % options.progress_every == 0:
            progress(count)

    with tempfile.TemporaryFile() as file:
        count = xlsx.write_sheet(file, title, columns, rows, on_row=on_row)
        file.seek(0)
        while data := file.read(options.chunk_bytes):
            sink.write(data)
    sink.close()
    return count
