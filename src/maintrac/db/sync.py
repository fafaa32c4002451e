"""Offline sync storage: changed records by transaction id (as WatermelonDB raw records,
in JSON), checkpoints, resends, and the conflict log."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Collection, Sequence
from typing import Any, Final

from sqlalchemy import func, literal, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import OperationalError

from maintrac.core.ids import new_id
from maintrac.core.sync import (
    TABLES,
    Checkpoint,
    Column,
    Conflict,
    EncodedChanges,
    Kind,
    SyncedTable,
)
from maintrac.db.models import (
    AssetCategoryRow,
    AssetReadingRow,
    AssetRow,
    Base,
    GlCodeRow,
    MeterRow,
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
from maintrac.db.repository import Repository
from maintrac.db.transaction import TenantSession

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
