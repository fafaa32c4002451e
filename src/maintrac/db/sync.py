"""Offline sync storage: changed records by transaction id (as WatermelonDB raw records),
checkpoints, resends, and the conflict log."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import func, literal, or_, select, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import OperationalError

from maintrac.core.ids import new_id
from maintrac.core.sync import Checkpoint, Conflict, SyncedTable, encode
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


def changed_records(
    session: TenantSession, table: SyncedTable, since: int | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """The raw records of ``table`` written by transactions at or after ``since`` (every
    live row when None), plus rows marked to be sent again since then: live ones as raw
    records, soft-deleted ones as ids. One pass over the rows."""
    live: list[dict[str, Any]] = []
    deleted: list[str] = []
    columns = [(c.name, c.kind) for c in table.columns]
    for row in _changed_rows(session, table.name, since):
        if getattr(row, "deleted_at", None) is not None:
            deleted.append(str(row.id))
            continue
        raw: dict[str, Any] = {}
        for name, kind in columns:
            if name == "actual_hours":
                value: Any = Decimal(row.actual_minutes) / 60
            else:
                value = getattr(row, name)
            raw[name] = encode(kind, value)
        live.append(raw)
    return live, deleted


def _changed_rows(session: TenantSession, table: str, since: int | None) -> list[Any]:
    model: Any = MODELS[table]
    # Plain rows, not ORM instances: a first pull reads tens of thousands of them, and
    # the instances' identity map and state cost more than the query.
    statement = select(*[getattr(model, c.key) for c in sa_inspect(model).column_attrs])
    if since is None:
        if hasattr(model, "deleted_at"):
            statement = statement.where(model.deleted_at.is_(None))
    else:
        resent = select(SyncResendRow.record_id).where(
            SyncResendRow.table_name == table, SyncResendRow.change_seq >= since
        )
        statement = statement.where(or_(model.change_seq >= since, model.id.in_(resent)))
    return list(session.execute(statement))


def resent_missing(session: TenantSession, table: str, since: int | None) -> list[uuid.UUID]:
    """Ids marked to be sent again that do not exist (a rejected create): sent as deleted."""
    if since is None:
        return []
    model: Any = MODELS[table]
    statement = select(SyncResendRow.record_id).where(
        SyncResendRow.table_name == table,
        SyncResendRow.change_seq >= since,
        ~SyncResendRow.record_id.in_(select(model.id)),
    )
    return list(session.scalars(statement))


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
