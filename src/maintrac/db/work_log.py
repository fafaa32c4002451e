"""The work log repository (append-only: the app role may only SELECT and INSERT), and
the work order's ``actual_minutes`` its entries add up to."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Final

from sqlalchemy import Select, and_, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import aliased

from maintrac.core.work_log import EntryKind, WorkLogEntry
from maintrac.db.models import WorkLogEntryRow, WorkOrderRow
from maintrac.db.paging import CURRENT_TENANT, Keyset, as_uuid, part
from maintrac.db.repository import stored_values
from maintrac.db.transaction import TenantSession

_Successor = aliased(WorkLogEntryRow, name="successor")

#: A work order's entries, oldest first (keyset on the UUIDv7 id).
OLDEST_FIRST: Final[Keyset[WorkLogEntry]] = Keyset(
    "createdAt", (part(WorkLogEntryRow.id, as_uuid),)
)


def to_entry(row: WorkLogEntryRow, superseded_by_id: uuid.UUID | None = None) -> WorkLogEntry:
    """``superseded_by_id``: the entry that corrects this one (None: it still counts)."""
    return WorkLogEntry(
        id=row.id,
        work_order_id=row.work_order_id,
        kind=EntryKind(row.kind),
        author_id=row.author_id,
        logged_at=row.logged_at,
        minutes=row.minutes,
        material_name=row.material_name,
        quantity=row.quantity,
        unit=row.unit,
        unit_cost=row.unit_cost,
        note=row.note,
        corrects_entry_id=row.corrects_id,
        superseded_by_id=superseded_by_id,
        created_at=row.created_at,
    )


def lock_work_order(session: TenantSession, work_order_id: uuid.UUID) -> bool:
    """Lock the live work order for the rest of the transaction; False when there is none.

    Appending to a work order's log takes this lock first, so that concurrent appends to
    one work order run one after the other: each then sees the entries committed before
    it when it recomputes ``actual_minutes``. ``FOR NO KEY UPDATE`` does not block the
    foreign-key checks of rows that merely reference the work order.
    """
    statement = (
        select(WorkOrderRow.id)
        .where(WorkOrderRow.id == work_order_id, WorkOrderRow.deleted_at.is_(None))
        .with_for_update(key_share=True)
    )
    return session.execute(statement).first() is not None


def work_order_is_live(session: TenantSession, work_order_id: uuid.UUID) -> bool:
    statement = select(
        exists().where(WorkOrderRow.id == work_order_id, WorkOrderRow.deleted_at.is_(None))
    )
    return bool(session.execute(statement).scalar_one())


def _with_successor() -> Select[WorkLogEntryRow, uuid.UUID]:
    """Entries with ``superseded_by_id``: the unique ``(tenant_id, corrects_id)`` makes the
    join yield at most one successor per entry."""
    return select(WorkLogEntryRow, _Successor.id).outerjoin(
        _Successor,
        and_(
            _Successor.tenant_id == WorkLogEntryRow.tenant_id,
            _Successor.corrects_id == WorkLogEntryRow.id,
        ),
    )


def get_entry(
    session: TenantSession, work_order_id: uuid.UUID, entry_id: uuid.UUID
) -> WorkLogEntry | None:
    statement = _with_successor().where(
        WorkLogEntryRow.work_order_id == work_order_id, WorkLogEntryRow.id == entry_id
    )
    row = session.execute(statement).one_or_none()
    return None if row is None else to_entry(row[0], row[1])


def find_entry(session: TenantSession, entry_id: uuid.UUID) -> WorkLogEntry | None:
    """The entry with this id on any work order of the tenant."""
    statement = _with_successor().where(WorkLogEntryRow.id == entry_id)
    row = session.execute(statement).one_or_none()
    return None if row is None else to_entry(row[0], row[1])


def find_entries(
    session: TenantSession, entry_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, WorkLogEntry]:
    """``find_entry`` of many ids, in one query: those the tenant has, by id."""
    statement = _with_successor().where(WorkLogEntryRow.id.in_(entry_ids))
    return {row[0].id: to_entry(row[0], row[1]) for row in session.execute(statement)}


def list_entries(
    session: TenantSession, work_order_id: uuid.UUID, *, after: Sequence[Any] | None, limit: int
) -> list[WorkLogEntry]:
    """The work order's entries in keyset order."""
    statement = _with_successor().where(WorkLogEntryRow.work_order_id == work_order_id)
    rows = session.execute(OLDEST_FIRST.apply(statement, after, limit))
    return [to_entry(row[0], row[1]) for row in rows]


def insert_entry(session: TenantSession, values: Mapping[str, Any]) -> WorkLogEntry | None:
    """Append an entry; None when it corrects an entry that another correction already
    supersedes (``uq_work_log_entries_corrects``), including one committed concurrently."""
    statement = (
        pg_insert(WorkLogEntryRow)
        .values(tenant_id=CURRENT_TENANT, **stored_values(values))
        .on_conflict_do_nothing(constraint="uq_work_log_entries_corrects")
        .returning(WorkLogEntryRow)
    )
    row = session.scalars(statement).first()
    return None if row is None else to_entry(row)


def refresh_actual_minutes(session: TenantSession, work_order_id: uuid.UUID) -> int:
    """Store the work order's labour that counts (minutes of labour entries that no entry
    corrects) in ``work_orders.actual_minutes``, in one UPDATE; returns the new value."""
    successor = aliased(WorkLogEntryRow, name="successor")
    total = (
        select(func.coalesce(func.sum(WorkLogEntryRow.minutes), 0))
        .where(
            WorkLogEntryRow.work_order_id == work_order_id,
            WorkLogEntryRow.kind == "labor",
            ~exists().where(
                successor.tenant_id == WorkLogEntryRow.tenant_id,
                successor.corrects_id == WorkLogEntryRow.id,
            ),
        )
        .scalar_subquery()
    )
    statement = (
        update(WorkOrderRow)
        .where(WorkOrderRow.id == work_order_id)
        .values(actual_minutes=total)
        .returning(WorkOrderRow.actual_minutes)
    )
    return int(session.execute(statement).scalar_one())
