"""Work log entries: append labour, material and observations to a work order, correct
them by appending, and keep the work order's actual labour in step."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from maintrac.core.errors import AlreadyCorrected, NotFound
from maintrac.core.ids import new_id
from maintrac.core.pagination import CursorCodec, Page
from maintrac.core.text import tidy
from maintrac.core.work_log import (
    EntryKind,
    NewWorkLogEntry,
    WorkLogEntry,
    already_corrected,
    check_correction,
    check_kind_fields,
)
from maintrac.db import work_log as repo
from maintrac.db.transaction import TenantSession
from maintrac.db.work_order_events import record_event
from maintrac.services.paging import paginate

#: The work order event recorded for each appended entry.
EVENT_TYPE = "log_entry_added"


def _work_order_not_found(work_order_id: uuid.UUID) -> NotFound:
    return NotFound(f"No work order {work_order_id}.", resource="work_order")


def _require_work_order(session: TenantSession, work_order_id: uuid.UUID) -> None:
    if not repo.work_order_is_live(session, work_order_id):
        raise _work_order_not_found(work_order_id)


def get_entry(
    session: TenantSession, work_order_id: uuid.UUID, entry_id: uuid.UUID
) -> WorkLogEntry:
    _require_work_order(session, work_order_id)
    found = repo.get_entry(session, work_order_id, entry_id)
    if found is None:
        raise NotFound(
            f"No log entry {entry_id} on work order {work_order_id}.", resource="log_entry"
        )
    return found


def append_entry(
    session: TenantSession,
    work_order_id: uuid.UUID,
    new: NewWorkLogEntry,
    author_id: uuid.UUID,
    *,
    now: datetime | None = None,
) -> WorkLogEntry:
    """Append ``new`` to a live work order, written by ``author_id``.

    The work order is locked first (appends to one work order are serialised), the kind's
    required fields and a correction's target are checked (core rules), the entry is
    inserted, a labour entry refreshes the work order's ``actual_minutes``, and the
    work order's history gets a ``log_entry_added`` event.
    """
    if not repo.lock_work_order(session, work_order_id):
        raise _work_order_not_found(work_order_id)
    check_kind_fields(new)
    if new.corrects_entry_id is not None:
        target = repo.get_entry(session, work_order_id, new.corrects_entry_id)
        check_correction(new.kind, work_order_id, target)
    entry = repo.insert_entry(session, entry_values(work_order_id, new, author_id, now=now))
    if entry is None:
        raise _corrected_meanwhile(session, work_order_id, new.corrects_entry_id)
    if new.kind is EntryKind.LABOR:
        repo.refresh_actual_minutes(session, work_order_id)
    record_event(session, work_order_id, author_id, EVENT_TYPE, entry_event(entry.id, new))
    return entry


def entry_values(
    work_order_id: uuid.UUID,
    new: NewWorkLogEntry,
    author_id: uuid.UUID,
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The row ``append_entry`` inserts for ``new`` (checked already)."""
    logged_at = (new.logged_at or now or datetime.now(UTC)).astimezone(UTC)
    return {
        "id": new.id or new_id(),
        "work_order_id": work_order_id,
        "kind": new.kind,
        "author_id": author_id,
        "logged_at": logged_at,
        "minutes": new.minutes,
        "material_name": None if new.material_name is None else tidy(new.material_name),
        "quantity": new.quantity,
        "unit": new.unit,
        "unit_cost": new.unit_cost,
        "note": new.note,
        "corrects_id": new.corrects_entry_id,
    }


def entry_event(entry_id: uuid.UUID, new: NewWorkLogEntry) -> dict[str, Any]:
    """The changes of the ``log_entry_added`` history event of an appended entry."""
    changes: dict[str, Any] = {
        "logEntryId": {"from": None, "to": str(entry_id)},
        "kind": {"from": None, "to": new.kind.value},
    }
    if new.corrects_entry_id is not None:
        changes["correctsEntryId"] = {"from": None, "to": str(new.corrects_entry_id)}
    return changes


def _corrected_meanwhile(
    session: TenantSession, work_order_id: uuid.UUID, target_id: uuid.UUID | None
) -> AlreadyCorrected:
    """Only a correction can conflict: another request corrected the same entry between
    our check and our insert (``uq_work_log_entries_corrects``)."""
    if target_id is None:
        return already_corrected(work_order_id, None)
    winner = repo.get_entry(session, work_order_id, target_id)
    return already_corrected(target_id, None if winner is None else winner.superseded_by_id)


@dataclass(frozen=True, slots=True)
class EntryQuery:
    limit: int = 50
    cursor: str | None = None


def list_entries(
    session: TenantSession, work_order_id: uuid.UUID, query: EntryQuery, codec: CursorCodec
) -> Page[WorkLogEntry]:
    _require_work_order(session, work_order_id)
    return paginate(
        session,
        codec,
        repo.OLDEST_FIRST,
        query.cursor,
        query.limit,
        {"list": "work_log_entries", "work_order_id": work_order_id},
        lambda after, limit: repo.list_entries(session, work_order_id, after=after, limit=limit),
    )


def latest_version(
    session: TenantSession, work_order_id: uuid.UUID, entry_id: uuid.UUID
) -> uuid.UUID:
    """The entry that currently stands for ``entry_id``: it, or the last correction in its
    chain of corrections (a new correction must correct that one)."""
    current = entry_id
    for _ in range(10_000):
        entry = repo.get_entry(session, work_order_id, current)
        if entry is None or entry.superseded_by_id is None:
            return current
        current = entry.superseded_by_id
    return current
