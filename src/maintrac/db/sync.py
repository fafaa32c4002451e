"""Offline sync storage: changed records by transaction id (as WatermelonDB raw records,
in JSON), checkpoints, resends, and the conflict log."""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Final

from sqlalchemy import Uuid, any_, bindparam, func, literal, select, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import OperationalError

from maintrac.core.ids import new_id
from maintrac.core.meters import Meter, Reading
from maintrac.core.sync import (
    TABLES,
    Checkpoint,
    Column,
    Conflict,
    EncodedChanges,
    Kind,
    SyncedTable,
)
from maintrac.core.work_orders import WorkOrder
from maintrac.db.bulk import execute_columns
from maintrac.db.meters import to_meter, to_reading
from maintrac.db.models import (
    AssetCategoryRow,
    AssetReadingRow,
    AssetRow,
    Base,
    GlCodeRow,
    MeterRow,
    PmPlanRow,
    SyncCheckpointRow,
    SyncConflictRow,
    SyncResendRow,
    TaskCodeRow,
    UserRow,
    WorkLogEntryRow,
    WorkOrderEventRow,
    WorkOrderRow,
)
from maintrac.db.paging import CURRENT_TENANT, Keyset, as_uuid, part
from maintrac.db.repository import Repository, stored_values
from maintrac.db.transaction import TenantSession
from maintrac.db.work_orders import to_work_order

MODELS: dict[str, type[Base]] = {
    "work_orders": WorkOrderRow,
    "work_log_entries": WorkLogEntryRow,
    "asset_readings": AssetReadingRow,
    "assets": AssetRow,
    "meters": MeterRow,
    "users": UserRow,
    "task_codes": TaskCodeRow,
    "asset_categories": AssetCategoryRow,
    "gl_codes": GlCodeRow,
}


def record_checkpoint(
    session: TenantSession, user_id: uuid.UUID | None, previous_pulled_at: int | None
) -> int:
    """Record this transaction's snapshot under the server's clock (ms); returns the clock.

    The transaction must be REPEATABLE READ, so that its snapshot is the one every read of
    the pull used. Every pull gets a checkpoint of its own (it also remembers the device's
    previous pull): when the millisecond is taken, by a committed pull or by a concurrent
    one (a serialization failure under REPEATABLE READ), it takes the next free one.
    """
    row = session.execute(
        text(
            "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now_ms, "
            "pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin, "
            "pg_current_snapshot()::text AS snapshot"
        )
    ).one()
    pulled_at = int(row.now_ms)
    for _ in range(_CHECKPOINT_ATTEMPTS):
        try:
            with session.begin_nested():
                inserted = session.execute(
                    pg_insert(SyncCheckpointRow)
                    .values(
                        tenant_id=CURRENT_TENANT,
                        id=new_id(),
                        pulled_at=pulled_at,
                        snapshot_xmin=row.xmin,
                        snapshot=row.snapshot,
                        previous_pulled_at=previous_pulled_at,
                        user_id=user_id,
                    )
                    .on_conflict_do_nothing(
                        index_elements=[SyncCheckpointRow.tenant_id, SyncCheckpointRow.pulled_at]
                    )
                    .returning(SyncCheckpointRow.id)
                ).first()
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) != _SERIALIZATION_FAILURE:
                raise
            inserted = None
        if inserted is not None:
            return pulled_at
        pulled_at += 1
    raise RuntimeError("No free checkpoint timestamp for this pull.")


_CHECKPOINT_ATTEMPTS = 1000
_SERIALIZATION_FAILURE = "40001"


def checkpoint(session: TenantSession, pulled_at: int) -> Checkpoint | None:
    """The checkpoint of the pull at ``pulled_at`` (or the latest before it: an earlier one
    is always safe, it only re-sends more)."""
    statement = (
        select(SyncCheckpointRow)
        .where(SyncCheckpointRow.pulled_at <= pulled_at)
        .order_by(SyncCheckpointRow.pulled_at.desc())
        .limit(1)
    )
    row = session.scalars(statement).first()
    if row is None:
        return None
    return Checkpoint(
        int(row.pulled_at), int(row.snapshot_xmin), row.previous_pulled_at, row.snapshot
    )


def checkpoint_xmin(session: TenantSession, pulled_at: int) -> int | None:
    found = checkpoint(session, pulled_at)
    return None if found is None else int(found.snapshot_xmin)


def changed_json(
    session: TenantSession,
    tables: Sequence[SyncedTable],
    since: int | None,
    *,
    full_tables: Collection[str] = frozenset(),
) -> dict[str, EncodedChanges]:
    """Each table's changes since ``since`` (everything live when None) as JSON that
    PostgreSQL builds, in one statement.

    A table's ``updated`` holds the raw records of its live rows written by transactions
    at or after ``since`` or marked to be sent again since then; ``deleted`` the ids
    marked to be sent again that do not exist (a rejected create), then the ids of those
    rows that are soft-deleted. A table in ``full_tables`` (a device migration added it)
    sends every live row, and still the missing ids since ``since``. One pass over each
    table's rows, so every id appears once.

    The JSON is never decoded here: a first pull of a 10,000-work-order tenant is about
    5 MB of it, and reading it as rows and mapping each value in Python cost several
    times the query. ``_VALUE`` writes each value as ``core.sync.encode`` defines it
    (tests/api/test_sync_pull_records.py compares the two).
    """
    if not tables:
        return {}
    names = tuple(t.name for t in tables)
    statement = _changes_statement(
        names, since is not None, frozenset(n for n in names if n in full_tables)
    )
    rows = session.execute(statement, {} if since is None else {"since": since})
    return {row.name: EncodedChanges(row.updated, row.deleted) for row in rows}


#: A column of each kind written as ``core.sync.encode`` writes it, by the same JSON
#: rules as the API's encoder (orjson): UUIDs and text as strings; timestamps as whole
#: milliseconds since the epoch rounded down, in exact numeric arithmetic (``extract`` is
#: numeric since PostgreSQL 14; through a float, some would come out one lower).
_VALUE: Final[dict[Kind, str]] = {
    Kind.UUID: "t.{0}",
    Kind.TEXT: "t.{0}",
    Kind.INTEGER: "t.{0}",
    Kind.BOOLEAN: "t.{0}",
    Kind.NUMBER: "t.{0}::float8",
    Kind.TIMESTAMP: "floor(extract(epoch FROM t.{0}) * 1000)::bigint",
}

#: Raw record values that are no column of the table (as float8).
_DERIVED: Final[dict[tuple[str, str], str]] = {
    ("work_orders", "actual_hours"): "t.actual_minutes::float8 / 60",
}


def _number(value: str) -> str:
    """A float8 as a JSON number written as a Python float is: float8's output is the
    shortest text that reads back exactly (as ``repr``), and a whole number keeps its
    ``.0`` (``2.0``, not ``2``: the same number, and the same type for a Python client)."""
    v = f"({value})"
    return (
        f"CASE WHEN {v} = trunc({v}) AND abs({v}) < 1e15 THEN ({v}::text || '.0')::json "
        f"ELSE to_json({v}) END"
    )


def _value(table: str, column: Column) -> str:
    derived = _DERIVED.get((table, column.name))
    value = derived or _VALUE[column.kind].format(column.name)
    return _number(value) if column.kind is Kind.NUMBER else value


@functools.cache
def _changes_statement(names: tuple[str, ...], incremental: bool, full: frozenset[str]) -> Any:
    """The pull's statement for these tables, built once per combination (table and
    column names are the code's own, never input)."""
    return text(
        "\nUNION ALL\n".join(
            _table_changes(TABLES[name], incremental=incremental, full=name in full)
            for name in names
        )
    )


def _table_changes(table: SyncedTable, *, incremental: bool, full: bool) -> str:
    """One table's row of the pull: its name, its ``updated`` and ``deleted`` JSON arrays."""
    # The SQL interpolates only TABLES' names and columns; ``since`` is bound.
    name = table.name
    soft_deletes = hasattr(MODELS[name], "deleted_at")
    values = ", ".join(f"{_value(name, c)} AS {c.name}" for c in table.columns)
    live = "t.deleted_at IS NULL" if soft_deletes else "true"
    resent = f"sync_resends AS r WHERE r.table_name = '{name}' AND r.change_seq >= :since"
    changed = incremental and not full
    where = f"t.change_seq >= :since OR t.id IN (SELECT r.record_id FROM {resent})"  # noqa: S608
    gone = "string_agg(to_json(t.id)::text, ',') FILTER (WHERE t.deleted_at IS NOT NULL)"
    missing = (
        f"(SELECT string_agg(to_json(r.record_id)::text, ',') FROM {resent} "  # noqa: S608
        f"AND r.record_id NOT IN (SELECT m.id FROM {name} AS m))"
    )
    return (
        f"SELECT '{name}' AS name, "  # noqa: S608
        f"'[' || coalesce(string_agg(row_to_json(v)::text, ',') FILTER (WHERE {live}), '')"
        " || ']' AS updated, "
        f"'[' || concat_ws(',', {missing if incremental else 'NULL'}, "
        f"{gone if changed and soft_deletes else 'NULL'}) || ']' AS deleted "
        f"FROM {name} AS t CROSS JOIN LATERAL (SELECT {values}) AS v "
        f"WHERE {where if changed else live}"
    )


def resend(session: TenantSession, table: str, record_id: uuid.UUID) -> None:
    session.execute(
        pg_insert(SyncResendRow).values(
            tenant_id=CURRENT_TENANT, id=new_id(), table_name=table, record_id=record_id
        )
    )


def record_conflict(session: TenantSession, values: dict[str, Any]) -> bool:
    """Log a conflict unless the same one is already logged (a retried push adds nothing).
    Returns whether it was new."""
    same = select(SyncConflictRow.id).where(
        *(
            getattr(SyncConflictRow, name).is_(None)
            if value is None
            else getattr(SyncConflictRow, name) == value
            for name, value in values.items()
            if name not in ("client_value", "server_value")
        ),
        SyncConflictRow.client_value.is_not_distinct_from(_jsonb(values.get("client_value"))),
        SyncConflictRow.server_value.is_not_distinct_from(_jsonb(values.get("server_value"))),
    )
    if session.execute(same.limit(1)).first() is not None:
        return False
    session.execute(
        pg_insert(SyncConflictRow).values(tenant_id=CURRENT_TENANT, id=new_id(), **values)
    )
    return True


def _jsonb(value: Any) -> Any:
    return None if value is None else func.cast(func.to_jsonb(literal(value)), JSONB)


def id_taken_elsewhere(session: TenantSession, table: str, record_id: uuid.UUID) -> bool:
    """Whether any tenant has a row of ``table`` with this id (this one's is not visible
    to the caller's query when it asks, so only others' make this true)."""
    return bool(
        session.scalar(
            text("SELECT sync_id_taken(:kind, :record)"), {"kind": table, "record": record_id}
        )
    )


def record_exists(session: TenantSession, table: str, record_id: uuid.UUID) -> bool:
    """Whether the tenant has a row of ``table`` with this id, deleted or not."""
    model: Any = MODELS[table]
    return session.execute(select(model.id).where(model.id == record_id)).first() is not None


def fields_changed_since(
    session: TenantSession,
    work_order_id: uuid.UUID,
    seen: Checkpoint | None,
    *,
    not_from_device: str | None = None,
) -> dict[str, Any]:
    """API field name -> when it was last changed, among the changes the pull ``seen``
    could not see (every change ever when None), leaving out those pushed by
    ``not_from_device`` (a device's own earlier pushes do not conflict with its later
    edits).

    A change is unseen when its transaction is not visible in the pull's snapshot: it
    was still running then, or began later. ``change_seq >= xmin`` alone is not that: a
    transaction that committed before the pull has an id at or above ``xmin`` whenever an
    older one was still running anywhere in the cluster, and its change, which the device
    was sent, would be taken for a concurrent edit. A checkpoint without a snapshot (older
    than migration 0009) falls back to ``xmin``.
    """
    statement = select(WorkOrderEventRow.changes, WorkOrderEventRow.occurred_at).where(
        WorkOrderEventRow.work_order_id == work_order_id
    )
    if not_from_device is not None:
        statement = statement.where(WorkOrderEventRow.device_id.is_distinct_from(not_from_device))
    if seen is not None:
        statement = statement.where(WorkOrderEventRow.change_seq >= seen.snapshot_xmin)
        if seen.snapshot is not None:
            statement = statement.where(
                text(
                    "NOT pg_visible_in_snapshot(work_order_events.change_seq::text::xid8, "
                    "CAST(:seen AS pg_snapshot))"
                ).bindparams(seen=seen.snapshot)
            )
    latest: dict[str, Any] = {}
    for changes, occurred_at in session.execute(statement):
        for name in changes:
            if name not in latest or occurred_at > latest[name]:
                latest[name] = occurred_at
    return latest


def to_conflict(row: SyncConflictRow) -> Conflict:
    return Conflict(
        id=row.id,
        table=row.table_name,
        record_id=row.record_id,
        field=row.field,
        client_value=row.client_value,
        server_value=row.server_value,
        resolution=row.resolution,
        user_id=row.user_id,
        device_id=row.device_id,
        occurred_at=row.occurred_at,
    )


conflicts: Final = Repository(SyncConflictRow, to_conflict)

#: The conflict log, newest first.
NEWEST_CONFLICTS_FIRST: Final[Keyset[Conflict]] = Keyset(
    "-conflicts", (part(SyncConflictRow.id, as_uuid),), descending=True
)


def list_conflicts(
    session: TenantSession,
    *,
    table: str | None,
    record_id: uuid.UUID | None,
    after: Sequence[Any] | None,
    limit: int,
) -> list[Conflict]:
    where: list[Any] = []
    if table is not None:
        where.append(SyncConflictRow.table_name == table)
    if record_id is not None:
        where.append(SyncConflictRow.record_id == record_id)
    return conflicts.page(session, NEWEST_CONFLICTS_FIRST, *where, after=after, limit=limit)


# ------------------------------------------------------------------ push, set-based
#
# A push applies hundreds of records in one transaction; these read and write them a
# table at a time (one statement each, not one per record). Rows are read as plain rows,
# not ORM instances, and written with plain SQL, so the session's identity map never
# holds a copy that these writes made stale.


def _ids(values: Sequence[uuid.UUID]) -> Any:
    return bindparam("ids", list(values), type_=ARRAY(Uuid()))


def lock_work_orders(
    session: TenantSession, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[WorkOrder, bool]]:
    """The work orders with these ids, soft-deleted or not (True), locked ``FOR UPDATE``
    in id order (two pushes lock shared work orders in the same order)."""
    columns = [getattr(WorkOrderRow, c.key) for c in sa_inspect(WorkOrderRow).column_attrs]
    statement = (
        select(*columns)
        .where(WorkOrderRow.id == any_(_ids(ids)))
        .order_by(WorkOrderRow.id)
        .with_for_update()
    )
    rows: Any = session.execute(statement)
    return {row.id: (to_work_order(row), row.deleted_at is not None) for row in rows}


def fields_changed_since_many(
    session: TenantSession,
    work_order_ids: Sequence[uuid.UUID],
    seen: Checkpoint | None,
    *,
    not_from_device: str | None = None,
) -> dict[uuid.UUID, dict[str, Any]]:
    """``fields_changed_since`` of each work order, in one query."""
    statement = select(
        WorkOrderEventRow.work_order_id, WorkOrderEventRow.changes, WorkOrderEventRow.occurred_at
    ).where(WorkOrderEventRow.work_order_id == any_(_ids(work_order_ids)))
    if not_from_device is not None:
        statement = statement.where(WorkOrderEventRow.device_id.is_distinct_from(not_from_device))
    if seen is not None:
        statement = statement.where(WorkOrderEventRow.change_seq >= seen.snapshot_xmin)
        if seen.snapshot is not None:
            statement = statement.where(
                text(
                    "NOT pg_visible_in_snapshot(work_order_events.change_seq::text::xid8, "
                    "CAST(:seen AS pg_snapshot))"
                ).bindparams(seen=seen.snapshot)
            )
    latest: dict[uuid.UUID, dict[str, Any]] = {i: {} for i in work_order_ids}
    for work_order_id, changes, occurred_at in session.execute(statement):
        fields = latest[work_order_id]
        for name in changes:
            if name not in fields or occurred_at > fields[name]:
                fields[name] = occurred_at
    return latest


def history_counts(
    session: TenantSession, work_order_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """How many history entries each work order has (``work_order_sequence`` of many)."""
    statement = (
        select(WorkOrderEventRow.work_order_id, func.count())
        .where(WorkOrderEventRow.work_order_id == any_(_ids(work_order_ids)))
        .group_by(WorkOrderEventRow.work_order_id)
    )
    counts = dict.fromkeys(work_order_ids, 0)
    counts.update({row[0]: int(row[1]) for row in session.execute(statement)})
    return counts


def ids_taken_elsewhere(
    session: TenantSession, table: str, record_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """``id_taken_elsewhere`` of many ids, in one query."""
    if not record_ids:
        return set()
    rows = session.execute(
        text("SELECT r FROM unnest(:ids) AS r WHERE sync_id_taken(:kind, r)").bindparams(
            _ids(record_ids)
        ),
        {"kind": table},
    )
    return {row[0] for row in rows}


def existing_ids(
    session: TenantSession, table: str, record_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these ids the tenant has a row of ``table`` with, deleted or not."""
    if not record_ids:
        return set()
    model: Any = MODELS[table]
    return set(session.scalars(select(model.id).where(model.id == any_(_ids(record_ids)))))


def find_readings(session: TenantSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Reading]:
    """The tenant's readings with these ids, by id."""
    columns = [getattr(AssetReadingRow, c.key) for c in sa_inspect(AssetReadingRow).column_attrs]
    rows: Any = session.execute(select(*columns).where(AssetReadingRow.id == any_(_ids(ids))))
    return {row.id: to_reading(row) for row in rows}


def update_work_orders(
    session: TenantSession, changes: Sequence[tuple[uuid.UUID, dict[str, Any]]]
) -> dict[uuid.UUID, WorkOrder]:
    """Write each work order's column values (one UPDATE per set of columns written: one
    in the usual push) and return the work orders as stored. Each id appears once."""
    if not changes:
        return {}
    groups: dict[tuple[str, ...], list[tuple[uuid.UUID, dict[str, Any]]]] = {}
    for work_order_id, values in changes:
        groups.setdefault(tuple(sorted(values)), []).append((work_order_id, values))
    table: Any = WorkOrderRow.__table__
    dialect: Any = postgresql.dialect()  # type: ignore[no-untyped-call]
    updated: dict[uuid.UUID, WorkOrder] = {}
    for names, rows in groups.items():
        types = ", ".join(f"{n} {table.c[n].type.compile(dialect=dialect)}" for n in names)
        assignments = ", ".join(f"{n} = v.{n}" for n in names)
        records = [{"id": str(i), **{n: _plain(values[n]) for n in names}} for i, values in rows]
        statement = text(
            f"UPDATE work_orders AS w SET {assignments} "  # noqa: S608 - column names
            f"FROM jsonb_to_recordset(CAST(:records AS jsonb)) AS v(id uuid, {types}) "
            "WHERE w.id = v.id RETURNING w.*"
        )
        result: Any = session.execute(statement, {"records": json.dumps(records)})
        for row in result:
            updated[row.id] = to_work_order(row)
    # A work order this transaction inserted through the ORM (a created one) is in the
    # session's identity map as inserted: a later ORM read must not answer with that.
    session.expire_all()
    return updated


def _plain(value: Any) -> Any:
    """A column value as JSON that PostgreSQL reads back into the column's type."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return value


def lock_live_work_orders(session: TenantSession, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """``work_log.lock_work_order`` of many (``FOR NO KEY UPDATE``, in id order): the ids
    of those that are live."""
    statement = (
        select(WorkOrderRow.id)
        .where(WorkOrderRow.id == any_(_ids(ids)), WorkOrderRow.deleted_at.is_(None))
        .order_by(WorkOrderRow.id)
        .with_for_update(key_share=True)
    )
    return set(session.scalars(statement))


_INSERT_ENTRIES = """
    INSERT INTO work_log_entries (tenant_id, id, work_order_id, kind, author_id, logged_at,
                                  minutes, material_name, quantity, unit, unit_cost, note)
    SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid, v.*
    FROM unnest(CAST(%(id)b AS uuid[]), CAST(%(work_order_id)b AS uuid[]),
                CAST(%(kind)b AS text[]), CAST(%(author_id)b AS uuid[]),
                CAST(%(logged_at)b AS timestamptz[]), CAST(%(minutes)b AS integer[]),
                CAST(%(material_name)b AS text[]), CAST(%(quantity)b AS numeric[]),
                CAST(%(unit)b AS text[]), CAST(%(unit_cost)b AS numeric[]),
                CAST(%(note)b AS text[]))
         AS v(id, work_order_id, kind, author_id, logged_at, minutes, material_name,
              quantity, unit, unit_cost, note)
"""

_ENTRY_COLUMNS = (
    "id",
    "work_order_id",
    "kind",
    "author_id",
    "logged_at",
    "minutes",
    "material_name",
    "quantity",
    "unit",
    "unit_cost",
    "note",
)


def insert_entries(session: TenantSession, rows: Sequence[Mapping[str, Any]]) -> None:
    """New work log entries (none a correction) in one statement."""
    if rows:
        values = [stored_values(r) for r in rows]
        execute_columns(
            session, _INSERT_ENTRIES, {c: [r[c] for r in values] for c in _ENTRY_COLUMNS}
        )


_REFRESH_MINUTES = """
    UPDATE work_orders AS w SET actual_minutes = (
        SELECT coalesce(sum(e.minutes), 0) FROM work_log_entries AS e
        WHERE e.work_order_id = w.id AND e.kind = 'labor'
          AND NOT EXISTS (SELECT FROM work_log_entries AS s
                          WHERE s.tenant_id = e.tenant_id AND s.corrects_id = e.id))
    WHERE w.id = ANY(CAST(%(ids)b AS uuid[]))
"""


def refresh_actual_minutes_many(
    session: TenantSession, work_order_ids: Sequence[uuid.UUID]
) -> None:
    """``work_log.refresh_actual_minutes`` of many work orders, in one UPDATE (each row
    is written once, as one call would)."""
    if work_order_ids:
        execute_columns(session, _REFRESH_MINUTES, {"ids": list(work_order_ids)})


def live_meters(session: TenantSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Meter]:
    """The live meters with these ids, locked ``FOR NO KEY UPDATE`` in id order (as
    moving a meter's latest reading would lock them), so that which reading becomes the
    latest is decided against rows no other transaction changes meanwhile."""
    columns = [getattr(MeterRow, c.key) for c in sa_inspect(MeterRow).column_attrs]
    statement = (
        select(*columns)
        .where(MeterRow.id == any_(_ids(ids)), MeterRow.deleted_at.is_(None))
        .order_by(MeterRow.id)
        .with_for_update(key_share=True)
    )
    rows: Any = session.execute(statement)
    return {row.id: to_meter(row) for row in rows}


def plans_following(
    session: TenantSession, meter_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID, Decimal]]:
    """``(plan id, meter id, next due meter value)`` of the active plans following these
    meters (``pm_generation.plans_reached_by_reading`` of many readings, in one query)."""
    statement = select(PmPlanRow.id, PmPlanRow.meter_id, PmPlanRow.next_due_meter).where(
        PmPlanRow.deleted_at.is_(None),
        PmPlanRow.active,
        PmPlanRow.meter_id == any_(_ids(meter_ids)),
        PmPlanRow.next_due_meter.is_not(None),
    )
    rows: Any = session.execute(statement)
    return [(row[0], row[1], row[2]) for row in rows]


_INSERT_READINGS = """
    INSERT INTO asset_readings (tenant_id, id, meter_id, value, taken_at, taken_by,
                                work_order_id, note, source)
    SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid, v.*
    FROM unnest(CAST(%(id)b AS uuid[]), CAST(%(meter_id)b AS uuid[]),
                CAST(%(value)b AS numeric[]), CAST(%(taken_at)b AS timestamptz[]),
                CAST(%(taken_by)b AS uuid[]), CAST(%(work_order_id)b AS uuid[]),
                CAST(%(note)b AS text[]), CAST(%(source)b AS text[]))
         AS v(id, meter_id, value, taken_at, taken_by, work_order_id, note, source)
    RETURNING *
"""

_READING_COLUMNS = (
    "id",
    "meter_id",
    "value",
    "taken_at",
    "taken_by",
    "work_order_id",
    "note",
    "source",
)


def insert_readings(
    session: TenantSession, rows: Sequence[Mapping[str, Any]]
) -> dict[uuid.UUID, Reading]:
    """New readings in one statement; returns them as stored, by id."""
    if not rows:
        return {}
    values = [stored_values(r) for r in rows]
    result: Any = session.connection().exec_driver_sql(
        _INSERT_READINGS, {c: [r[c] for r in values] for c in _READING_COLUMNS}
    )
    return {row.id: to_reading(row) for row in result}


_RECORD_LATEST = """
    UPDATE meters SET last_reading_value = %(value)s, last_reading_at = %(taken_at)s
    WHERE id = %(meter_id)s AND deleted_at IS NULL
      AND (last_reading_at IS NULL OR last_reading_at <= %(taken_at)s)
"""


def record_latest_many(
    session: TenantSession, readings: Sequence[tuple[uuid.UUID, Decimal, datetime]]
) -> None:
    """``meters.record_latest`` of each ``(meter id, value, taken at)`` in turn: one
    conditional UPDATE each, as one by one (each move is a row version of the meter),
    sent together in one round trip (psycopg pipelines an executemany)."""
    if readings:
        session.connection().exec_driver_sql(
            _RECORD_LATEST,
            [{"meter_id": m, "value": v, "taken_at": t} for m, v, t in readings],
        )
