"""The report repository, the file chunks, and the streamed queries behind each kind.

Rows of a report are read through a psycopg server-side (named) cursor, ``itersize``
rows per round trip, so the worker holds one batch in memory whatever the report's
size. Each query returns the kind's columns (``core.reports.COLUMNS``) in order, already
as the values a file holds: ids as text, timestamps either as ISO 8601 text (CSV) or as
Excel serial numbers (xlsx, which has no time zones: UTC), so the worker only writes them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from psycopg.types.string import TextLoader
from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from maintrac.core.reports import Report, ReportFormat, ReportKind, ReportStatus
from maintrac.db.models import AssetRow, ReportChunkRow, ReportRow
from maintrac.db.paging import CURRENT_TENANT, Keyset, as_uuid, part
from maintrac.db.transaction import TenantSession


def to_report(row: ReportRow) -> Report:
    return Report(
        id=row.id,
        kind=ReportKind(row.kind),
        format=ReportFormat(row.format),
        parameters=dict(row.parameters),
        status=ReportStatus(row.status),
        requested_by=row.requested_by,
        rows_done=row.rows_done,
        rows_total=row.rows_total,
        row_count=row.row_count,
        byte_size=row.byte_size,
        error=row.error,
        attempts=row.attempts,
        started_at=row.started_at,
        finished_at=row.finished_at,
        expires_at=row.expires_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


_LIVE = ReportRow.deleted_at.is_(None)


def insert(session: TenantSession, values: Mapping[str, Any]) -> Report:
    statement = pg_insert(ReportRow).values(tenant_id=CURRENT_TENANT, **values).returning(ReportRow)
    return to_report(session.scalars(statement).one())


def get(session: TenantSession, report_id: uuid.UUID, *, lock: bool = False) -> Report | None:
    statement = select(ReportRow).where(ReportRow.id == report_id, _LIVE)
    if lock:
        statement = statement.with_for_update()
    row = session.scalars(statement).one_or_none()
    return None if row is None else to_report(row)


#: Newest first (UUIDv7 ids sort by creation): the one order of the report list.
NEWEST_FIRST: Final[Keyset[Report]] = Keyset(
    "-createdAt", (part(ReportRow.id, as_uuid, lambda r: r.id),), descending=True
)


def list_newest_first(
    session: TenantSession, *, after: Sequence[Any] | None, limit: int
) -> list[Report]:
    """Live reports after the keyset key ``after``, newest first."""
    statement = select(ReportRow).where(_LIVE)
    if after is not None:
        statement = statement.where(ReportRow.id < after[0])
    rows = session.scalars(statement.order_by(ReportRow.id.desc()).limit(limit))
    return [to_report(r) for r in rows]


def set_state(session: TenantSession, report_id: uuid.UUID, **values: Any) -> None:
    session.execute(update(ReportRow).where(ReportRow.id == report_id).values(**values))


def start(session: TenantSession, report_id: uuid.UUID) -> Report | None:
    """Move a queued (or abandoned running) report to ``running``; None when it is
    absent or already finished (a redelivered message then does nothing)."""
    statement = (
        update(ReportRow)
        .where(
            ReportRow.id == report_id,
            _LIVE,
            ReportRow.status.in_([ReportStatus.QUEUED.value, ReportStatus.RUNNING.value]),
        )
        .values(
            status=ReportStatus.RUNNING.value,
            attempts=ReportRow.attempts + 1,
            started_at=func.now(),
            rows_done=0,
            rows_total=None,
            error=None,
        )
        .returning(ReportRow)
    )
    row = session.scalars(statement).one_or_none()
    return None if row is None else to_report(row)


def insert_chunk(session: TenantSession, report_id: uuid.UUID, seq: int, data: bytes) -> None:
    session.execute(
        pg_insert(ReportChunkRow).values(
            tenant_id=CURRENT_TENANT, id=uuid.uuid4(), report_id=report_id, seq=seq, data=data
        )
    )


def chunk_count(session: TenantSession, report_id: uuid.UUID) -> int:
    statement = select(func.count()).where(ReportChunkRow.report_id == report_id)
    return int(session.execute(statement).scalar_one())


def read_chunk(session: TenantSession, report_id: uuid.UUID, seq: int) -> bytes | None:
    statement = select(ReportChunkRow.data).where(
        ReportChunkRow.report_id == report_id, ReportChunkRow.seq == seq
    )
    return session.execute(statement).scalar_one_or_none()


def delete_expired_chunks(session: TenantSession, batch: int) -> int:
    """At most ``batch`` chunks of expired reports (owner-run function, migration 0008)."""
    return int(
        session.execute(
            text("SELECT housekeep_report_chunks(:batch)"), {"batch": batch}
        ).scalar_one()
    )


def retire_expired(session: TenantSession, batch: int) -> int:
    """Soft-delete up to ``batch`` expired reports whose file is gone."""
    doomed = (
        select(ReportRow.id)
        .where(
            _LIVE,
            ReportRow.expires_at < func.now(),
            ~select(ReportChunkRow.id)
            .where(
                ReportChunkRow.tenant_id == ReportRow.tenant_id,
                ReportChunkRow.report_id == ReportRow.id,
            )
            .exists(),
        )
        .limit(batch)
        .scalar_subquery()
    )
    result = session.execute(
        update(ReportRow)
        .where(ReportRow.id.in_(doomed))
        .values(deleted_at=func.now())
        .returning(ReportRow.id)
    )
    return len(result.all())


def asset_is_live(session: TenantSession, asset_id: uuid.UUID) -> bool:
    statement = select(AssetRow.id).where(AssetRow.id == asset_id, AssetRow.deleted_at.is_(None))
    return session.execute(statement).first() is not None


# ---------------------------------------------------------------- the streamed queries

#: How a timestamp expression is rendered for each format.
_TIMESTAMP: Final[dict[ReportFormat, Callable[[str], str]]] = {
    ReportFormat.CSV: lambda e: (
        f"""to_char({e} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
    ),
    # xlsx: the Excel serial number (days since 1899-12-30; one less from 1899-12-31 to
    # 1900-02-28, for Excel's fictitious 1900-02-29), to the second like the CSV, as
    # float8: computed and printed here (shortest exact digits) rather than in Python,
    # where converting and printing four date-times a row was most of an export's time.
    ReportFormat.XLSX: lambda e: (
        f"(date_part('epoch', date_trunc('second', {e})) / 86400 + 25569"
        f" - CASE WHEN {e} >= '1899-12-31 00:00:00+00'::timestamptz"
        f" AND {e} < '1900-03-01 00:00:00+00'::timestamptz THEN 1 ELSE 0 END)"
    ),
}

_SUBTREE: Final = """
    WITH RECURSIVE subtree AS (
      SELECT a.tenant_id, a.id FROM assets a
      WHERE a.id = %(asset_id)s AND a.deleted_at IS NULL
      UNION
      SELECT a.tenant_id, a.id FROM assets a
      JOIN subtree t ON a.tenant_id = t.tenant_id AND a.parent_id = t.id
      WHERE a.deleted_at IS NULL
    )
"""


def _work_orders(ts: Callable[[str], str], params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    where = ["w.deleted_at IS NULL"]
    args: dict[str, Any] = {}
    prefix = ""
    if params.get("status"):
        where.append("w.status = ANY(%(status)s)")
        args["status"] = list(params["status"])
    if params.get("priority"):
        where.append("w.priority = ANY(%(priority)s)")
        args["priority"] = list(params["priority"])
    if params.get("assigneeId"):
        where.append("w.assignee_id = %(assignee_id)s")
        args["assignee_id"] = uuid.UUID(str(params["assigneeId"]))
    if params.get("assetId"):
        args["asset_id"] = uuid.UUID(str(params["assetId"]))
        if params.get("includeSubAssets", True):
            prefix = _SUBTREE
            where.append("(w.tenant_id, w.asset_id) IN (SELECT s.tenant_id, s.id FROM subtree s)")
        else:
            where.append("w.asset_id = %(asset_id)s")
    if params.get("pmPlanId"):
        where.append("w.pm_plan_id = %(pm_plan_id)s")
        args["pm_plan_id"] = uuid.UUID(str(params["pmPlanId"]))
    for name, sql in (
        ("dueBefore", "w.due_at < %(dueBefore)s"),
        ("dueAfter", "w.due_at >= %(dueAfter)s"),
        ("updatedSince", "w.updated_at >= %(updatedSince)s"),
    ):
        if params.get(name):
            where.append(sql)
            args[name] = _parse_moment(params[name])
    query = f"""{prefix}
        SELECT w.id::text, w.number, w.title, w.status, w.priority,
               a.code, a.name, u.display_name, tc.code, gc.code, w.pm_plan_id::text,
               {ts("w.due_at")}, {ts("w.completed_at")}, w.estimated_hours,
               w.actual_minutes, {ts("w.created_at")}, {ts("w.updated_at")}
        FROM work_orders w
        LEFT JOIN assets a ON a.tenant_id = w.tenant_id AND a.id = w.asset_id
        LEFT JOIN users u ON u.tenant_id = w.tenant_id AND u.id = w.assignee_id
        LEFT JOIN task_codes tc ON tc.tenant_id = w.tenant_id AND tc.id = w.task_code_id
        LEFT JOIN gl_codes gc ON gc.tenant_id = w.tenant_id AND gc.id = w.gl_code_id
        WHERE {" AND ".join(where)}
        ORDER BY w.tenant_id, w.id
    """
    return query, args


def _pm_compliance(
    _ts: Callable[[str], str], params: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    args: dict[str, Any] = {
        "first": f"{params['fromMonth']}-01",
        "end": f"{params['endMonth']}-01",
        "tz": params["timeZone"],
    }
    plan = ""
    if params.get("pmPlanId"):
        plan = "AND p.id = %(pm_plan_id)s"
        args["pm_plan_id"] = uuid.UUID(str(params["pmPlanId"]))
    query = f"""
        SELECT p.id::text, p.name,
               to_char(date_trunc('month', w.due_at AT TIME ZONE %(tz)s), 'YYYY-MM') AS month,
               count(*),
               count(*) FILTER (WHERE w.status = 'complete' AND w.completed_at <= w.due_at),
               count(*) FILTER (WHERE w.status = 'complete' AND w.completed_at > w.due_at),
               count(*) FILTER (WHERE w.status <> 'complete')
        FROM work_orders w
        JOIN pm_plans p ON p.tenant_id = w.tenant_id AND p.id = w.pm_plan_id
        WHERE w.deleted_at IS NULL AND w.due_at IS NOT NULL {plan}
          AND w.due_at >= (%(first)s::timestamp AT TIME ZONE %(tz)s)
          AND w.due_at < (%(end)s::timestamp AT TIME ZONE %(tz)s)
        GROUP BY p.id, p.name, month
        ORDER BY p.name, p.id, month
    """
    return query, args


def _labour(_ts: Callable[[str], str], params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    query = """
        SELECT u.id::text, u.display_name, tc.code, gc.code, sum(e.minutes)::bigint, count(*)
        FROM work_log_entries e
        JOIN work_orders w ON w.tenant_id = e.tenant_id AND w.id = e.work_order_id
        JOIN users u ON u.tenant_id = e.tenant_id AND u.id = e.author_id
        LEFT JOIN task_codes tc ON tc.tenant_id = w.tenant_id AND tc.id = w.task_code_id
        LEFT JOIN gl_codes gc ON gc.tenant_id = w.tenant_id AND gc.id = w.gl_code_id
        WHERE e.kind = 'labor' AND w.deleted_at IS NULL
          AND e.logged_at >= %(start)s AND e.logged_at < %(end)s
          AND NOT EXISTS (SELECT 1 FROM work_log_entries c
                          WHERE c.tenant_id = e.tenant_id AND c.corrects_id = e.id)
        GROUP BY u.id, u.display_name, tc.code, gc.code
        ORDER BY u.display_name, u.id, tc.code NULLS FIRST, gc.code NULLS FIRST
    """
    return query, {"start": _parse_moment(params["from"]), "end": _parse_moment(params["to"])}


def _asset_history(
    ts: Callable[[str], str], params: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    query = f"""{_SUBTREE}
        SELECT record, {ts("at")}, code, name, number, title, status, {ts("completed_at")},
               meter, value, unit, id
        FROM (
          SELECT 'work_order' AS record, w.created_at AS at, a.code, a.name, w.number,
                 w.title, w.status, w.completed_at, NULL::text AS meter,
                 NULL::numeric AS value, NULL::text AS unit, w.id::text AS id
          FROM work_orders w
          JOIN subtree s ON s.tenant_id = w.tenant_id AND s.id = w.asset_id
          JOIN assets a ON a.tenant_id = w.tenant_id AND a.id = w.asset_id
          WHERE w.deleted_at IS NULL
          UNION ALL
          SELECT 'reading', r.taken_at, a.code, a.name, rw.number, NULL, NULL, NULL,
                 m.name, r.value, m.unit, r.id::text
          FROM asset_readings r
          JOIN meters m ON m.tenant_id = r.tenant_id AND m.id = r.meter_id
          JOIN subtree s ON s.tenant_id = m.tenant_id AND s.id = m.asset_id
          JOIN assets a ON a.tenant_id = m.tenant_id AND a.id = m.asset_id
          LEFT JOIN work_orders rw ON rw.tenant_id = r.tenant_id AND rw.id = r.work_order_id
        ) history
        ORDER BY at, id
    """
    return query, {"asset_id": uuid.UUID(str(params["assetId"]))}


_QUERIES: Final = {
    ReportKind.WORK_ORDERS: _work_orders,
    ReportKind.PM_COMPLIANCE: _pm_compliance,
    ReportKind.LABOUR: _labour,
    ReportKind.ASSET_HISTORY: _asset_history,
}


def _parse_moment(value: Any) -> datetime:
    # RFC 3339 allows a lowercase "t" and "z" (the contract's date-time checked the rest).
    return datetime.fromisoformat(str(value).upper().replace("Z", "+00:00"))


#: A report's statements (the count, the sort before the first fetch of a large export)
#: may run this long; the app role's 15 s statement timeout is meant for requests.
STATEMENT_TIMEOUT: Final = "10min"


def allow_long_statements(session: TenantSession) -> None:
    """For the rest of this transaction only (``set_config(..., true)``)."""
    session.execute(
        text("SELECT set_config('statement_timeout', :timeout, true)"),
        {"timeout": STATEMENT_TIMEOUT},
    )


def count_rows(session: TenantSession, kind: ReportKind, params: Mapping[str, Any]) -> int:
    """How many rows the report will have (for its progress)."""
    query, args = _QUERIES[kind](_TIMESTAMP[ReportFormat.CSV], params)
    body = query.rsplit("ORDER BY", 1)[0]  # counting needs no order
    with _driver(session).cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({body}) q", args)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def copy_csv(
    session: TenantSession, kind: ReportKind, params: Mapping[str, Any]
) -> Iterator[bytes]:
    """The report's rows as CSV (no header), one row per item, formatted by PostgreSQL
    (``COPY (query) TO STDOUT``, streamed: constant memory, and several times faster than
    formatting in Python). RLS applies to the query as to any other."""
    query, args = _QUERIES[kind](_TIMESTAMP[ReportFormat.CSV], params)
    # COPY takes no server-side parameters; psycopg binds ``args`` client-side, quoted.
    with (
        _driver(session).cursor() as cursor,
        cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", args or None) as copy,
    ):
        for row in copy:
            yield bytes(row)


def stream_rows(
    session: TenantSession,
    kind: ReportKind,
    fmt: ReportFormat,
    params: Mapping[str, Any],
    *,
    itersize: int,
) -> Iterator[Sequence[Any]]:
    """The report's rows, in order, through a server-side cursor (constant memory).

    ``numeric`` and ``float8`` values (decimals, and the xlsx serial numbers of
    date-times) come as PostgreSQL prints them, as text: every digit kept, and no
    ``Decimal`` or float made and printed again per cell."""
    query, args = _QUERIES[kind](_TIMESTAMP[fmt], params)
    cursor = _driver(session).cursor(name=f"report_{uuid.uuid4().hex}")
    for type_name in ("numeric", "float8"):
        cursor.adapters.register_loader(type_name, TextLoader)
    cursor.itersize = itersize
    try:
        cursor.execute(query, args)
        while True:
            rows = cursor.fetchmany(itersize)
            if not rows:
                return
            yield from rows
    finally:
        cursor.close()


def _driver(session: TenantSession) -> Any:
    """The psycopg connection under the session, in the session's transaction."""
    return session.connection().connection.driver_connection
