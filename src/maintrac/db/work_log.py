"""Queries on work log entries (append-only: the app role may only SELECT and INSERT), and
the work order's ``actual_minutes`` they add up to."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, and_, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import aliased

from maintrac.db.models import WorkLogEntryRow, WorkOrderRow
from maintrac.db.paging import CURRENT_TENANT
from maintrac.db.transaction import TenantSession

#: An entry and the id of the entry that corrects it (None: it still counts).
EntryWithSuccessor = tuple[WorkLogEntryRow, uuid.UUID | None]

_Successor = aliased(WorkLogEntryRow, name="successor")


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
) -> EntryWithSuccessor | None:
    statement = _with_successor().where(
        WorkLogEntryRow.work_order_id == work_order_id, WorkLogEntryRow.id == entry_id
    )
    row = session.execute(statement).one_or_none()
    return None if row is None else (row[0], row[1])


def list_entries(
    session: TenantSession, work_order_id: uuid.UUID, *, after: list[Any] | None, limit: int
) -> list[EntryWithSuccessor]:
    """The work order's entries, oldest first (keyset on the UUIDv7 id)."""
    statement = _with_successor().where(WorkLogEntryRow.work_order_id == work_order_id)
    if after is not None:
        # after_key's type is for one-entity selects; the keyset is the same: id > last.
        (last_id,) = after
        statement = statement.where(WorkLogEntryRow.id > last_id)
    rows = session.execute(statement.order_by(WorkLogEntryRow.id).limit(limit))
    return [(row[0], row[1]) for row in rows]


def insert_entry(session: TenantSession, values: Mapping[str, Any]) -> WorkLogEntryRow | None:
    """Append an entry; None when it corrects an entry that another correction already
    supersedes (``uq_work_log_entries_corrects``), including one committed concurrently."""
    statement = (
        pg_insert(WorkLogEntryRow)
        .values(tenant_id=CURRENT_TENANT, **values)
        .on_conflict_do_nothing(constraint="uq_work_log_entries_corrects")
        .returning(WorkLogEntryRow)
    )
    return session.scalars(statement).first()


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
