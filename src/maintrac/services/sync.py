"""Offline sync use cases: pull changes since a checkpoint, push a device's changes.

A pull runs in one REPEATABLE READ transaction (see ``db.sync`` and migration 0003 for why
no change can be missed). A push is one transaction: it has passed the contract's schema at
the edge, its tables are checked and its records decoded first, then applied under the
conflict policy of ``core.sync``; a bad record fails the whole push.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from maintrac.core.auth import Principal
from maintrac.core.errors import InvalidFields, InvalidReference, NotFound
from maintrac.core.ids import new_id
from maintrac.core.meters import NewReading, ReadingSource, resolve_taken_at
from maintrac.core.pagination import CursorCodec, Page
from maintrac.core.sync import (
    TABLES,
    Checkpoint,
    Conflict,
    EncodedChanges,
    FieldDecision,
    PushOutcome,
    Resolution,
    ServerField,
    SyncedTable,
    decide_work_order_field,
    decode,
    from_millis,
)
from maintrac.core.text import tidy
from maintrac.core.work_log import EntryKind, NewWorkLogEntry, WorkLogEntry, check_kind_fields
from maintrac.core.work_orders import (
    API_NAMES,
    TERMINAL,
    Event,
    NewWorkOrder,
    Priority,
    Status,
    WorkOrder,
    WorkOrderChanges,
    change_events,
    creation_event,
)
from maintrac.db import sync as repo
from maintrac.db import work_log as log_repo
from maintrac.db import work_order_events as history
from maintrac.db.meters import readings
from maintrac.db.transaction import TenantSession
from maintrac.db.work_orders import work_orders as work_order_repo
from maintrac.services import events as domain_events
from maintrac.services import meters, outbox, pm_generation, pm_plans, work_log, work_orders
from maintrac.services.paging import paginate

__all__ = ["Conflict", "PullResult", "list_conflicts", "pull", "push"]

#: Tables a device may write, in the order a push applies them (parents first).
WRITE_ORDER = ("work_orders", "work_log_entries", "asset_readings")


# ------------------------------------------------------------------ pull


@dataclass(frozen=True, slots=True)
class PullResult:
    #: Table name -> its changes, already JSON (WatermelonDB's ``created`` is always empty).
    changes: dict[str, EncodedChanges]
    timestamp: int


def pull(
    session: TenantSession,
    principal: Principal,
    user_id: uuid.UUID,
    last_pulled_at: int | None,
    *,
    full_tables: set[str] | frozenset[str] = frozenset(),
) -> PullResult:
    """Every change the caller may see since ``last_pulled_at`` (everything when None).

    Each record appears once, live ones under ``updated`` (devices sync with
    ``sendCreatedAsUpdated``: WatermelonDB creates a record it does not have), soft-deleted
    ones as ids under ``deleted``.
    """
    since = None if last_pulled_at is None else repo.checkpoint_xmin(session, last_pulled_at)
    timestamp = repo.record_checkpoint(session, user_id, last_pulled_at)
    readable = [t for t in TABLES.values() if t.read_permission in principal.permissions]
    changes = repo.changed_json(session, readable, since, full_tables=full_tables)
    return PullResult(changes={t.name: changes[t.name] for t in readable}, timestamp=timestamp)


# ------------------------------------------------------------------ push


@dataclass(frozen=True, slots=True)
class _Record:
    table: SyncedTable
    values: dict[str, Any]
    written_at: datetime | None
    pointer: str

    @property
    def id(self) -> uuid.UUID:
        record_id: uuid.UUID = self.values["id"]
        return record_id


def _parse_changes(
    changes: Mapping[str, Any],
) -> tuple[dict[str, list[_Record]], dict[str, list[uuid.UUID]]]:
    """Decode the whole push before anything is applied.

    The push has passed the contract's schema. A table the server does not sync (an app's
    local-only table: WatermelonDB pushes every table of the device's schema) is accepted
    when its changes are empty; one with any record is refused, each such table named in
    the InvalidFields, so that nothing a device sends is silently dropped.
    """
    errors: list[dict[str, str]] = []
    upserts: dict[str, list[_Record]] = {}
    deletes: dict[str, list[uuid.UUID]] = {}
    for name, table_changes in changes.items():
        table = TABLES.get(name)
        if table is None:
            if any(table_changes.get(k) for k in ("created", "updated", "deleted")):
                errors.append(
                    {
                        "pointer": f"/changes/{name}",
                        "detail": "Is not a table the server syncs: it must have no changes.",
                    }
                )
            continue
        for kind in ("created", "updated"):
            for index, raw in enumerate(table_changes.get(kind) or []):
                pointer = f"/changes/{name}/{kind}/{index}"
                written = raw.get("updated_at")
                written_at = (
                    from_millis(written)
                    if isinstance(written, int | float) and not isinstance(written, bool)
                    else None
                )
                upserts.setdefault(name, []).append(
                    _Record(table, decode(table, raw), written_at, pointer)
                )
        for record_id in table_changes.get("deleted") or []:
            deletes.setdefault(name, []).append(uuid.UUID(record_id))
    if errors:
        names = ", ".join(e["pointer"].rsplit("/", 1)[-1] for e in errors)
        raise InvalidFields(
            errors,
            detail=f"The push has changes in tables the server does not sync: {names}.",
        )
    return upserts, deletes


class _Push:
    def __init__(
        self,
        session: TenantSession,
        principal: Principal,
        user_id: uuid.UUID,
        seen: Checkpoint | None,
        device_id: str | None,
    ) -> None:
        self.session = session
        self.principal = principal
        self.user_id = user_id
        self.seen = seen
        self.device_id = device_id
        self.outcome = PushOutcome()

    # -- bookkeeping

    def conflict(
        self,
        table: str,
        record_id: uuid.UUID,
        resolution: Resolution,
        *,
        field: str | None = None,
        client_value: Any = None,
        server_value: Any = None,
    ) -> bool:
        """Record a rejected or overridden client change, and send the record again (also
        after a retried push: the device may not have the server's state yet). Returns
        whether the conflict is new (False: a retried push already logged it)."""
        new = repo.record_conflict(
            self.session,
            {
                "table_name": table,
                "record_id": record_id,
                "field": field,
                "client_value": _json(client_value),
                "server_value": _json(server_value),
                "resolution": resolution.value,
                "user_id": self.user_id,
                "device_id": self.device_id,
            },
        )
        repo.resend(self.session, table, record_id)
        return new

    def reject(self, table: str, record_id: uuid.UUID, resolution: Resolution) -> None:
        self.conflict(table, record_id, resolution)
        self.outcome.add(self.outcome.rejected, table, record_id)

    def may_write(self, table: SyncedTable) -> bool:
        return table.write_permission is not None and (
            table.write_permission in self.principal.permissions
        )

    def new_id_ok(self, table: str, record_id: uuid.UUID) -> bool:
        """A device-made id for a new record: a UUIDv7 no tenant has used."""
        return record_id.version == 7 and not repo.id_taken_elsewhere(
            self.session, table, record_id
        )

    # -- work orders

    def work_order(self, record: _Record) -> None:
        found = work_order_repo.lock_any(self.session, record.id)
        if found is None:
            if not self.new_id_ok("work_orders", record.id):
                self.reject("work_orders", record.id, Resolution.REJECTED_ID)
                return
            self._create_work_order(record)
            return
        if found.deleted:
            # Deleted on the server meanwhile: the server wins, the device drops it.
            self.reject("work_orders", record.id, Resolution.SERVER_WINS)
            return
        changed = repo.fields_changed_since(
            self.session, record.id, self.seen, not_from_device=self.device_id
        )
        decisions = _decisions(record, found.item, changed)
        self._apply_work_order(record.id, decisions, found.item, record.written_at)

    def _create_work_order(self, record: _Record) -> None:
        values = record.values
        created = work_orders.create_work_order(self.session, _new_work_order(record), self.user_id)
        status = values.get("status") or Status.OPEN.value
        decision = decide_work_order_field(
            "status", status, ServerField(created.status.value), record.written_at
        )
        if status != created.status.value:
            self._apply_work_order(record.id, [decision], created)
        else:
            self.outcome.add(self.outcome.accepted, "work_orders", record.id)

    def _apply_work_order(
        self,
        record_id: uuid.UUID,
        decisions: list[FieldDecision],
        locked: WorkOrder,
        written_at: datetime | None = None,
    ) -> None:
        """``locked``: the work order as this transaction holds it (locked or created)."""
        applied = self._settle(record_id, decisions)
        if applied:
            work_orders.update_work_order(
                self.session,
                record_id,
                applied,
                self.user_id,
                written_at=written_at,
                device_id=self.device_id,
                locked=locked,
            )
        self._work_order_done(record_id, decisions)

    def _settle(self, record_id: uuid.UUID, decisions: list[FieldDecision]) -> WorkOrderChanges:
        """Log the decisions that are conflicts; returns the changes that apply."""
        applied: WorkOrderChanges = {}
        for decision in decisions:
            if decision.applies:
                applied[decision.field] = (  # type: ignore[literal-required]
                    Status(decision.client_value)
                    if decision.field == "status"
                    else Priority(decision.client_value)
                    if decision.field == "priority"
                    else decision.client_value
                )
            if decision.is_conflict:
                self.conflict(
                    "work_orders",
                    record_id,
                    decision.resolution,
                    field=decision.field,
                    client_value=decision.client_value,
                    server_value=decision.server_value,
                )
        return applied

    def _work_order_done(self, record_id: uuid.UUID, decisions: list[FieldDecision]) -> None:
        overridden = any(d.is_conflict and not d.applies for d in decisions)
        bucket = self.outcome.overridden if overridden else self.outcome.accepted
        self.outcome.add(bucket, "work_orders", record_id)

    # -- append-only records

    def log_entry(self, record: _Record) -> None:
        values = record.values
        entry = log_repo.find_entry(self.session, record.id)
        new = _new_entry(values)
        work_order_id = values["work_order_id"]
        if entry is None:
            if not self.new_id_ok("work_log_entries", record.id):
                self.reject("work_log_entries", record.id, Resolution.REJECTED_ID)
                return
            with _reference(record, "work_order_id"):
                work_log.append_entry(
                    self.session, work_order_id, replace(new, id=record.id), self.user_id
                )
            self.outcome.add(self.outcome.accepted, "work_log_entries", record.id)
            return
        stored = _as_stored_entry(values)
        if _entry_unchanged(entry, stored):
            self.outcome.add(self.outcome.accepted, "work_log_entries", record.id)
            return
        if not _exists(work_orders.get_work_order, self.session, entry.work_order_id):
            # Its work order was deleted on the server meanwhile: the server wins.
            self.reject("work_log_entries", record.id, Resolution.SERVER_WINS)
            return
        # Last write wins, append-only: the edit becomes an entry correcting the latest
        # version of this one; the original stays, superseded. An edit the latest version
        # already says (a retried push) is not appended again.
        latest = work_log.latest_version(self.session, entry.work_order_id, entry.id)
        current = log_repo.find_entry(self.session, latest)
        content = {k: v for k, v in stored.items() if k not in _ENTRY_IDENTITY}
        if latest == entry.id or current is None or not _entry_unchanged(current, content):
            correction = replace(new, id=None, corrects_entry_id=latest, kind=EntryKind(entry.kind))
            work_log.append_entry(self.session, entry.work_order_id, correction, self.user_id)
        self.conflict("work_log_entries", record.id, Resolution.APPENDED)
        self.outcome.add(self.outcome.overridden, "work_log_entries", record.id)

    def reading(self, record: _Record) -> None:
        values = record.values
        existing = readings.get(self.session, record.id)
        new = NewReading(
            value=values["value"],
            taken_at=values.get("taken_at"),
            work_order_id=values.get("work_order_id"),
            note=values.get("note"),
            source=ReadingSource.SYNC,
        )
        if existing is None:
            if not self.new_id_ok("asset_readings", record.id):
                self.reject("asset_readings", record.id, Resolution.REJECTED_ID)
                return
            with _reference(record, "meter_id"):
                meters.record_reading(
                    self.session, values["meter_id"], replace(new, id=record.id), self.user_id
                )
            self.outcome.add(self.outcome.accepted, "asset_readings", record.id)
            return
        if _unchanged(existing, values):
            self.outcome.add(self.outcome.accepted, "asset_readings", record.id)
            return
        if not _exists(meters.get_meter, self.session, existing.meter_id):
            # Its meter was deleted on the server meanwhile: the server wins.
            self.reject("asset_readings", record.id, Resolution.SERVER_WINS)
            return
        # Last write wins + append: both values are kept, as separate readings. The same
        # edit already logged (a retried push) was appended then, and is not again.
        if self.conflict(
            "asset_readings",
            record.id,
            Resolution.APPENDED,
            field="value",
            client_value=values["value"],
            server_value=existing.value,
        ):
            meters.record_reading(self.session, existing.meter_id, new, self.user_id)
        self.outcome.add(self.outcome.overridden, "asset_readings", record.id)

    # -- set-based: one table's records in a few statements

    def work_orders_at_once(self, records: list[_Record]) -> bool:
        """``work_order`` of every record, a table at a time: the same decisions and
        writes in the same order, in a few statements instead of several per record.

        Only for the usual push, where each work order comes once and no update changes
        a reference (which the database checks, with an error of its own, when the
        update is written: after later records were decided); otherwise False, having
        written nothing (the work orders are locked), and the caller applies them one by
        one. A create is written at its turn (it takes the tenant's next number).
        """
        ids = [r.id for r in records]
        if len(set(ids)) != len(ids):
            return False
        found = repo.lock_work_orders(self.session, ids)
        live = [i for i in ids if i in found and not found[i][1]]
        changed = (
            repo.fields_changed_since_many(
                self.session, live, self.seen, not_from_device=self.device_id
            )
            if live
            else {}
        )
        decided: dict[uuid.UUID, list[FieldDecision]] = {}
        for record in records:
            if record.id in changed:
                decisions = _decisions(record, found[record.id][0], changed[record.id])
                if any(d.applies and d.field in _REFERENCES for d in decisions):
                    return False
                decided[record.id] = decisions
        missing = [i for i in ids if i not in found]
        taken = repo.ids_taken_elsewhere(
            self.session, "work_orders", [i for i in missing if i.version == 7]
        )
        counts = repo.history_counts(self.session, live) if live else {}
        steps: list[_Step] = []
        for record in records:
            if record.id in found and found[record.id][1]:
                # Deleted on the server meanwhile: the server wins, the device drops it.
                self.reject("work_orders", record.id, Resolution.SERVER_WINS)
            elif record.id in found:
                decisions = decided[record.id]
                applied = self._settle(record.id, decisions)
                current = found[record.id][0]
                values = work_orders.planned_update(current, applied) if applied else {}
                steps.append(_Step(record.id, current, values, record.written_at))
                self._work_order_done(record.id, decisions)
            elif record.id.version != 7 or record.id in taken:
                self.reject("work_orders", record.id, Resolution.REJECTED_ID)
            else:
                steps.append(self._create_at_once(record))
                counts[record.id] = 0
        self._write_work_orders(steps, counts)
        return True

    def _create_at_once(self, record: _Record) -> _Step:
        """``_create_work_order``: the row now, its history and events with the rest."""
        new = _new_work_order(record)
        created = work_orders.insert_work_order(self.session, new)
        status = record.values.get("status") or Status.OPEN.value
        values: dict[str, object] = {}
        if status != created.status.value:
            decision = decide_work_order_field(
                "status", status, ServerField(created.status.value), record.written_at
            )
            applied = self._settle(record.id, [decision])
            values = work_orders.planned_update(created, applied) if applied else {}
            self._work_order_done(record.id, [decision])
        else:
            self.outcome.add(self.outcome.accepted, "work_orders", record.id)
        return _Step(record.id, created, values, None, creation_event(new))

    def _write_work_orders(self, steps: list[_Step], counts: dict[uuid.UUID, int]) -> None:
        """The updates of ``steps``, then their history entries and events in push order
        (``counts``: each work order's history entries before this push)."""
        stored = repo.update_work_orders(
            self.session, [(step.id, step.values) for step in steps if step.values]
        )
        rows: list[history.EventRow] = []
        messages: list[tuple[str, dict[str, Any]]] = []

        def add(
            step: _Step,
            work_order: WorkOrder,
            event: Event,
            at: datetime | None,
            device: str | None,
        ) -> None:
            counts[step.id] += 1
            rows.append(
                (new_id(), step.id, self.user_id, event.type, dict(event.changes), at, device)
            )
            message = domain_events.pending_work_order_event(
                work_order, event, counts[step.id], self.user_id
            )
            if message is not None:
                messages.append(message)

        for step in steps:
            if step.created is not None:
                add(step, step.current, step.created, None, None)
            if not step.values:
                continue
            updated = stored[step.id]
            for event in change_events(step.current, step.values):
                add(step, updated, event, step.written_at, self.device_id)
            if updated.pm_plan_id is not None and step.values.get("status") in TERMINAL:
                pm_plans.work_order_closed(self.session, updated.pm_plan_id)
        history.record_event_rows(self.session, rows)
        outbox.enqueue_many(self.session, messages)

    def log_entries_at_once(self, records: list[_Record]) -> bool:
        """``log_entry`` of every record, a table at a time (see ``work_orders_at_once``).

        Only when each entry comes once, none is a correction, every new one names a
        live work order, and those the server has are unchanged (a retried push; an edit
        is appended as a correction); otherwise False, having written nothing.
        """
        ids = [r.id for r in records]
        if len(set(ids)) != len(ids) or any(r.values.get("corrects_id") for r in records):
            return False
        known = log_repo.find_entries(self.session, ids)
        if not all(
            _entry_unchanged(known[r.id], _as_stored_entry(r.values))
            for r in records
            if r.id in known
        ):
            return False
        taken = repo.ids_taken_elsewhere(
            self.session,
            "work_log_entries",
            [i for i in ids if i.version == 7 and i not in known],
        )
        new = [r for r in records if r.id not in known and r.id.version == 7 and r.id not in taken]
        wanted = sorted({r.values["work_order_id"] for r in new})
        if wanted and len(repo.lock_live_work_orders(self.session, wanted)) != len(wanted):
            return False  # the bad reference is reported as one by one would
        rows: list[dict[str, Any]] = []
        events: list[history.EventRow] = []
        labor: dict[uuid.UUID, int] = {}
        for record in records:
            if record.id in known:
                self.outcome.add(self.outcome.accepted, "work_log_entries", record.id)
                continue
            if record.id.version != 7 or record.id in taken:
                self.reject("work_log_entries", record.id, Resolution.REJECTED_ID)
                continue
            entry = replace(_new_entry(record.values), id=record.id)
            work_order_id = record.values["work_order_id"]
            check_kind_fields(entry)
            rows.append(work_log.entry_values(work_order_id, entry, self.user_id))
            if entry.kind is EntryKind.LABOR:
                labor[work_order_id] = labor.get(work_order_id, 0) + 1
            events.append(
                (
                    new_id(),
                    work_order_id,
                    self.user_id,
                    work_log.EVENT_TYPE,
                    work_log.entry_event(record.id, entry),
                    None,
                    None,
                )
            )
            self.outcome.add(self.outcome.accepted, "work_log_entries", record.id)
        repo.insert_entries(self.session, rows)
        # Each labour entry refreshed its work order's actual minutes (a row version each).
        for round_ in range(max(labor.values(), default=0)):
            repo.refresh_actual_minutes_many(
                self.session, sorted(w for w, n in labor.items() if n > round_)
            )
        history.record_event_rows(self.session, events)
        return True

    def readings_at_once(self, records: list[_Record]) -> bool:
        """``reading`` of every record, a table at a time (see ``work_orders_at_once``).

        Only when each reading comes once, those the server has are unchanged (a
        retried push), and every new one names a live meter and (if any) a work order
        the tenant has; otherwise False, having written nothing (the meters are locked).
        """
        ids = [r.id for r in records]
        if len(set(ids)) != len(ids):
            return False
        known = repo.find_readings(self.session, ids)
        if not all(_unchanged(known[r.id], r.values) for r in records if r.id in known):
            return False
        taken = repo.ids_taken_elsewhere(
            self.session,
            "asset_readings",
            [i for i in ids if i.version == 7 and i not in known],
        )
        new = [r for r in records if r.id not in known and r.id.version == 7 and r.id not in taken]
        wanted = sorted({r.values["meter_id"] for r in new})
        found = repo.live_meters(self.session, wanted) if wanted else {}
        if len(found) != len(wanted):
            return False
        orders = {r.values["work_order_id"] for r in new if r.values.get("work_order_id")}
        if orders and len(repo.existing_ids(self.session, "work_orders", sorted(orders))) != len(
            orders
        ):
            return False
        rows: list[dict[str, Any]] = []
        for record in records:
            if record.id in known:
                self.outcome.add(self.outcome.accepted, "asset_readings", record.id)
                continue
            if record.id.version != 7 or record.id in taken:
                self.reject("asset_readings", record.id, Resolution.REJECTED_ID)
                continue
            values = record.values
            rows.append(
                {
                    "id": record.id,
                    "meter_id": values["meter_id"],
                    "value": values["value"],
                    "taken_at": resolve_taken_at(values.get("taken_at"), datetime.now(UTC)),
                    "taken_by": self.user_id,
                    "work_order_id": values.get("work_order_id"),
                    "note": values.get("note"),
                    "source": ReadingSource.SYNC,
                }
            )
            self.outcome.add(self.outcome.accepted, "asset_readings", record.id)
        stored = repo.insert_readings(self.session, rows)
        # Each reading moved its meter's latest reading unless a later one was stored
        # (``record_latest``), and a new latest reading asks for the plans it reaches.
        last = {m.id: m.last_reading_at for m in found.values()}
        moves: list[tuple[uuid.UUID, Decimal, datetime]] = []
        plans: list[tuple[uuid.UUID, uuid.UUID, Decimal]] | None = None
        messages: list[tuple[str, dict[str, Any]]] = []
        for row in rows:
            reading = stored[row["id"]]
            meter_id = reading.meter_id
            if last[meter_id] is None or last[meter_id] <= reading.taken_at:  # type: ignore[operator]
                last[meter_id] = reading.taken_at
                moves.append((meter_id, reading.value, reading.taken_at))
                if plans is None:
                    plans = repo.plans_following(self.session, wanted)
                reached = [p for p, m, due in plans if m == meter_id and due <= reading.value]
                if reached:
                    messages.append(
                        (pm_generation.GENERATE_TASK, {"plan_ids": [str(p) for p in reached]})
                    )
            messages.append(domain_events.pending_reading_event(found[meter_id].asset_id, reading))
        repo.record_latest_many(self.session, moves)
        outbox.enqueue_many(self.session, messages)
        return True

    # -- deletes

    def delete(self, table: SyncedTable, record_id: uuid.UUID) -> None:
        if table.name != "work_orders":
            if repo.record_exists(self.session, table.name, record_id):
                self.reject(table.name, record_id, Resolution.REJECTED_APPEND_ONLY)
            return  # WatermelonDB: deleting an unknown record is ignored.
        found = work_order_repo.lock_any(self.session, record_id)
        if found is None:
            return
        if not found.deleted:
            work_orders.delete_work_order(self.session, record_id, self.user_id)
        self.outcome.add(self.outcome.accepted, table.name, record_id)


#: Work order columns that name another record: the database checks them on write.
_REFERENCES = frozenset({"asset_id", "assignee_id", "task_code_id", "gl_code_id"})


def _new_entry(values: Mapping[str, Any]) -> NewWorkLogEntry:
    return NewWorkLogEntry(
        kind=EntryKind(values["kind"]),
        logged_at=values.get("logged_at"),
        minutes=values.get("minutes"),
        material_name=values.get("material_name"),
        quantity=values.get("quantity"),
        unit=values.get("unit"),
        unit_cost=values.get("unit_cost"),
        note=values.get("note"),
        corrects_entry_id=values.get("corrects_id"),
    )


@dataclass(frozen=True, slots=True)
class _Step:
    """One work order of a push applied at once: as this transaction held it before
    (``current``: locked, or just created), the column values to write, when the device
    wrote them, and its ``created`` event when the push created it."""

    id: uuid.UUID
    current: WorkOrder
    values: dict[str, object]
    written_at: datetime | None
    created: Event | None = None


def _new_work_order(record: _Record) -> NewWorkOrder:
    values = record.values
    return NewWorkOrder(
        id=record.id,
        title=values.get("title") or "Untitled",
        description=values.get("description"),
        priority=Priority(values.get("priority") or "medium"),
        asset_id=values.get("asset_id"),
        assignee_id=values.get("assignee_id"),
        task_code_id=values.get("task_code_id"),
        gl_code_id=values.get("gl_code_id"),
        estimated_hours=values.get("estimated_hours"),
        due_at=values.get("due_at"),
    )


def _as_stored_entry(values: Mapping[str, Any]) -> dict[str, Any]:
    """A raw log entry as ``append_entry`` stores it: the material name trimmed."""
    stored = dict(values)
    if isinstance(stored.get("material_name"), str):
        stored["material_name"] = tidy(stored["material_name"])
    return stored


def _decisions(
    record: _Record, server_item: WorkOrder, changed: Mapping[str, Any]
) -> list[FieldDecision]:
    """The conflict policy's decision for each field the record changes (``changed``:
    API field -> when the server last changed it, among the changes the device's pull
    could not see)."""
    decisions: list[FieldDecision] = []
    for name, sent in record.values.items():
        if name == "id":
            continue
        server = getattr(server_item, name)
        client = _as_stored(name, sent)
        if _same(client, server):
            continue
        api_name = API_NAMES.get(name, name)
        decisions.append(
            decide_work_order_field(
                name,
                client,
                ServerField(server, api_name in changed, changed.get(api_name)),
                record.written_at,
            )
        )
    return decisions


@contextmanager
def _reference(record: _Record, column: str) -> Iterator[None]:
    """A parent the record names that does not exist (or was deleted) is a bad reference."""
    try:
        yield
    except NotFound as exc:
        pointer = f"{record.pointer}/{column}"
        raise InvalidReference(
            f"'{column}' names nothing that exists in your tenant.",
            field=column,
            errors=[{"pointer": pointer, "detail": "Does not exist in your tenant."}],
        ) from exc


def _exists(
    get: Callable[[TenantSession, uuid.UUID], object], session: TenantSession, record_id: uuid.UUID
) -> bool:
    try:
        get(session, record_id)
    except NotFound:
        return False
    return True


#: Log entry columns an edit cannot change (the correction keeps the original's).
_ENTRY_IDENTITY = frozenset({"id", "work_order_id", "kind", "corrects_id"})


def _as_stored(name: str, client: Any) -> Any:
    """A client's work order value as the server would store it (trimmed title, hours to
    the hundredth), so that a value the server already has is no change."""
    if name == "title" and isinstance(client, str):
        return tidy(client)
    if name == "estimated_hours" and isinstance(client, Decimal):
        return work_orders.hours(client)
    return client


def _same(client: Any, server: Any) -> bool:
    if isinstance(client, Decimal) and server is not None:
        return client == Decimal(str(server))
    if isinstance(client, datetime) and isinstance(server, datetime):
        # Devices keep milliseconds.
        return abs((client - server).total_seconds()) < 0.001
    return bool(client == server)


def _unchanged(item: object, values: Mapping[str, Any]) -> bool:
    return all(_same(value, getattr(item, name)) for name, value in values.items())


#: Raw log entry columns named otherwise on the domain entry.
_ENTRY_FIELDS = {"corrects_id": "corrects_entry_id"}


def _entry_unchanged(entry: WorkLogEntry, values: Mapping[str, Any]) -> bool:
    return _unchanged(entry, {_ENTRY_FIELDS.get(k, k): v for k, v in values.items()})


def _json(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _conflict_window(session: TenantSession, last_pulled_at: int | None) -> Checkpoint | None:
    """The pull whose snapshot the pushed records were edited on: server changes it could
    not see conflict with them, those it saw (the device was sent them) do not.

    WatermelonDB pushes right after a pull, with that pull's timestamp: the server's changes
    made while the device was offline are already in it. The device's edits were made on
    top of what it held after its previous sync, so the window opens at the pull before
    (which that pull's checkpoint remembers). Without one (a first sync) it opens at the
    pull itself.
    """
    if last_pulled_at is None:
        return None
    current = repo.checkpoint(session, last_pulled_at)
    if current is None:
        return None
    if current.previous_pulled_at is not None:
        previous = repo.checkpoint(session, current.previous_pulled_at)
        if previous is not None:
            return previous
    return current


def push(
    session: TenantSession,
    principal: Principal,
    user_id: uuid.UUID,
    changes: Mapping[str, Any],
    *,
    last_pulled_at: int | None,
    device_id: str | None,
    at_once: bool = True,
) -> PushOutcome:
    """Apply a device's changes in the caller's transaction under the conflict policy.

    A table's records are applied together (``_Push.*_at_once``: a few statements for the
    whole table) when the push has the usual shape, else one by one. ``at_once=False``
    applies every record one by one: what the set-based path must match exactly (the
    tests compare the two).
    """
    upserts, deletes = _parse_changes(changes)
    state = _Push(session, principal, user_id, _conflict_window(session, last_pulled_at), device_id)
    handlers = {
        "work_orders": state.work_order,
        "work_log_entries": state.log_entry,
        "asset_readings": state.reading,
    }
    refused = {
        name
        for name, table in TABLES.items()
        if table.write_permission is None or not state.may_write(table)
    }
    for name in refused:
        reason = (
            Resolution.REJECTED_READ_ONLY
            if TABLES[name].write_permission is None
            else Resolution.REJECTED_PERMISSION
        )
        for record_id in [r.id for r in upserts.get(name, [])] + deletes.get(name, []):
            state.reject(name, record_id, reason)
    batch = {
        "work_orders": state.work_orders_at_once,
        "work_log_entries": state.log_entries_at_once,
        "asset_readings": state.readings_at_once,
    }
    for name in WRITE_ORDER:
        records = upserts.get(name, [])
        if name in refused or not records or (at_once and batch[name](records)):
            continue
        for record in records:
            handlers[name](record)
    for name, ids in deletes.items():
        if name not in refused:
            for record_id in ids:
                state.delete(TABLES[name], record_id)
    return state.outcome


# ------------------------------------------------------------------ audit


def list_conflicts(
    session: TenantSession,
    *,
    table: str | None,
    record_id: uuid.UUID | None,
    limit: int,
    cursor: str | None,
    codec: CursorCodec,
) -> Page[Conflict]:
    return paginate(
        session,
        codec,
        repo.NEWEST_CONFLICTS_FIRST,
        cursor,
        limit,
        {"list": "sync_conflicts", "table": table, "record_id": record_id},
        lambda after, n: repo.list_conflicts(
            session, table=table, record_id=record_id, after=after, limit=n
        ),
    )
