"""Offline sync (WatermelonDB protocol): the synced tables and the conflict policy.

Devices keep a local copy of their tenant's data and exchange raw records keyed by
snake_case column names. Timestamps travel as milliseconds since the epoch (numbers), ids
as UUID strings.

The conflict policy (decision record, per field):

- work order status: server wins. A terminal server status rejects the client's change;
  any other client change must pass the status machine.
- work order assignment: server wins (a client change applies only if the server did not
  change it since the device's last pull).
- work order notes, description and other fields: last write wins (the client's
  ``updated_at`` against the time the server changed the field).
- work log entries: last write wins; they are append-only, so a client edit is appended
  as a correcting entry.
- asset readings: last write wins + append: a client edit is kept as a new reading,
  never overwriting one.

Every rejected or overridden client change is recorded as a ``Conflict`` for audit, and
the record is sent again in the device's next pull so that it converges on the server's
state.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from maintrac.core.assets import AssetStatus
from maintrac.core.meters import READING_NOTE_MAX_LENGTH, MeterKind
from maintrac.core.work_log import (
    MATERIAL_NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    UNIT_MAX_LENGTH,
    EntryKind,
)
from maintrac.core.work_orders import (
    DESCRIPTION_MAX_LENGTH,
    TERMINAL,
    TITLE_MAX_LENGTH,
    Priority,
    Status,
    allowed_next,
)

# ------------------------------------------------------------------ tables and columns


class Kind(StrEnum):
    UUID = "uuid"
    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    TIMESTAMP = "timestamp"


@dataclass(frozen=True, slots=True)
class Column:
    """A column as devices see it. Its limits (``max_length``, ``choices``) are the
    contract's: the edge validates every pushed record against the contract's schema,
    and a test checks that the schema states these."""

    name: str
    kind: Kind
    nullable: bool = True
    #: Devices may set it (otherwise it is the server's and a client value is ignored).
    writable: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SyncedTable:
    name: str
    columns: tuple[Column, ...]
    read_permission: str
    #: None: read-only for devices.
    write_permission: str | None = None

    def column(self, name: str) -> Column | None:
        for column in self.columns:
            if column.name == name:
                return column
        return None


def _c(name: str, kind: Kind, **kw: Any) -> Column:
    return Column(name, kind, **kw)


def _choices(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


_ID = _c("id", Kind.UUID, nullable=False)
_CREATED = _c("created_at", Kind.TIMESTAMP, nullable=False)
_UPDATED = _c("updated_at", Kind.TIMESTAMP, nullable=False)

TABLES: Final[dict[str, SyncedTable]] = {
    t.name: t
    for t in (
        SyncedTable(
            "work_orders",
            (
                _ID,
                _c("number", Kind.INTEGER),
                _c("title", Kind.TEXT, nullable=False, writable=True, max_length=TITLE_MAX_LENGTH),
                _c("description", Kind.TEXT, writable=True, max_length=DESCRIPTION_MAX_LENGTH),
                _c("status", Kind.TEXT, nullable=False, writable=True, choices=_choices(Status)),
                _c(
                    "priority",
                    Kind.TEXT,
                    nullable=False,
                    writable=True,
                    choices=_choices(Priority),
                ),
                _c("asset_id", Kind.UUID, writable=True),
                _c("assignee_id", Kind.UUID, writable=True),
                _c("task_code_id", Kind.UUID, writable=True),
                _c("gl_code_id", Kind.UUID, writable=True),
                _c("pm_plan_id", Kind.UUID),
                _c("estimated_hours", Kind.NUMBER, writable=True),
                _c("actual_hours", Kind.NUMBER),
                _c("due_at", Kind.TIMESTAMP, writable=True),
                _c("completed_at", Kind.TIMESTAMP),
                _CREATED,
                _UPDATED,
            ),
            "work_orders:read",
            "work_orders:write",
        ),
        SyncedTable(
            "work_log_entries",
            (
                _ID,
                _c("work_order_id", Kind.UUID, nullable=False, writable=True),
                _c(
                    "kind",
                    Kind.TEXT,
                    nullable=False,
                    writable=True,
                    choices=_choices(EntryKind),
                ),
                _c("author_id", Kind.UUID),
                _c("logged_at", Kind.TIMESTAMP, writable=True),
                _c("minutes", Kind.INTEGER, writable=True),
                _c(
                    "material_name",
                    Kind.TEXT,
                    writable=True,
                    max_length=MATERIAL_NAME_MAX_LENGTH,
                ),
                _c("quantity", Kind.NUMBER, writable=True),
                _c("unit", Kind.TEXT, writable=True, max_length=UNIT_MAX_LENGTH),
                _c("unit_cost", Kind.NUMBER, writable=True),
                _c("note", Kind.TEXT, writable=True, max_length=NOTE_MAX_LENGTH),
                _c("corrects_id", Kind.UUID, writable=True),
                _CREATED,
            ),
            "work_orders:read",
            "work_orders:write",
        ),
        SyncedTable(
            "asset_readings",
            (
                _ID,
                _c("meter_id", Kind.UUID, nullable=False, writable=True),
                _c("value", Kind.NUMBER, nullable=False, writable=True),
                _c("taken_at", Kind.TIMESTAMP, writable=True),
                _c("taken_by", Kind.UUID),
                _c("work_order_id", Kind.UUID, writable=True),
                _c("note", Kind.TEXT, writable=True, max_length=READING_NOTE_MAX_LENGTH),
                _CREATED,
            ),
            "assets:read",
            "readings:write",
        ),
        SyncedTable(
            "assets",
            (
                _ID,
                _c("parent_id", Kind.UUID),
                _c("category_id", Kind.UUID),
                _c("name", Kind.TEXT),
                _c("code", Kind.TEXT),
                _c("description", Kind.TEXT),
                _c("location", Kind.TEXT),
                _c("serial_number", Kind.TEXT),
                _c("manufacturer", Kind.TEXT),
                _c("model", Kind.TEXT),
                _c("status", Kind.TEXT, choices=_choices(AssetStatus)),
                _CREATED,
                _UPDATED,
            ),
            "assets:read",
        ),
        SyncedTable(
            "meters",
            (
                _ID,
                _c("asset_id", Kind.UUID),
                _c("name", Kind.TEXT),
                _c("unit", Kind.TEXT),
                _c("kind", Kind.TEXT, choices=_choices(MeterKind)),
                _c("last_reading_value", Kind.NUMBER),
                _c("last_reading_at", Kind.TIMESTAMP),
                _CREATED,
                _UPDATED,
            ),
            "assets:read",
        ),
        SyncedTable(
            "users",
            (
                _ID,
                _c("display_name", Kind.TEXT),
                _c("email", Kind.TEXT),
                _c("role", Kind.TEXT),
                _c("active", Kind.BOOLEAN),
                _CREATED,
                _UPDATED,
            ),
            "users:read",
        ),
        *(
            SyncedTable(
                name,
                (
                    _ID,
                    _c("code", Kind.TEXT),
                    _c("name", Kind.TEXT),
                    _c("description", Kind.TEXT),
                    _CREATED,
                    _UPDATED,
                ),
                "reference_data:read",
            )
            for name in ("task_codes", "asset_categories", "gl_codes")
        ),
    )
}

#: WatermelonDB's own bookkeeping columns, ignored if a client sends them.
LOCAL_COLUMNS: Final = frozenset({"_status", "_changed"})


# ------------------------------------------------------------------ raw values


#: Where sync milliseconds count from. Instants before it travel as negative milliseconds
#: (WatermelonDB stores plain numbers): a work order due in 1969 is valid through REST, so
#: it must be valid in a pull and a push too.
EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND: Final = timedelta(milliseconds=1)


def to_millis(moment: datetime | None) -> int | None:
    """Whole milliseconds since the epoch, rounded down (also before 1970, where truncating
    toward zero would move an instant later); exact integer arithmetic, no float."""
    return None if moment is None else (moment - EPOCH) // _MILLISECOND


def from_millis(value: int | float) -> datetime:
    """The instant of a millisecond count, negative ones (before 1970) included."""
    return EPOCH + timedelta(milliseconds=value)


def encode(kind: Kind, value: Any) -> Any:
    """A server value as a raw record value (JSON).

    The definition of a pulled value: the pull has PostgreSQL write its records
    (``db.sync.changed_json``), and a test checks that they read as this says."""
    if value is None:
        return None
    if kind is Kind.UUID:
        return str(value)
    if kind is Kind.TIMESTAMP:
        return to_millis(value)
    if kind is Kind.NUMBER:
        return float(value)
    return value


def decode(table: SyncedTable, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The id and the writable values of a client raw record, typed.

    The record has passed the contract's schema at the edge (its columns, types, lengths,
    choices and ranges), so this only converts: UUIDs, milliseconds to timestamps,
    numbers to exact decimals, and the empty string WatermelonDB keeps for an unset text
    to None. Server-owned columns and WatermelonDB's bookkeeping are left out (a device
    echoes what it pulled).
    """
    values: dict[str, Any] = {}
    for name, value in raw.items():
        column = table.column(name)
        if column is None:
            if name in LOCAL_COLUMNS:
                continue
            raise ValueError(f"{name!r} is not a column of {table.name}: validate the record first")
        if column.writable or name == "id":
            values[name] = _convert(column.kind, value)
    return values


def _convert(kind: Kind, value: Any) -> Any:
    if value is None or (value == "" and kind is Kind.TEXT):
        return None
    if kind is Kind.UUID:
        return uuid.UUID(value)
    if kind is Kind.TIMESTAMP:
        return from_millis(value)
    if kind is Kind.NUMBER:
        return Decimal(str(value))  # the decimal the device wrote, not the binary float
    if kind is Kind.INTEGER:
        return int(value)
    return value


# ------------------------------------------------------------------ the conflict policy


class Resolution(StrEnum):
    APPLIED = "applied"
    SERVER_WINS = "server_wins"
    REJECTED_TERMINAL = "rejected_terminal_status"
    REJECTED_TRANSITION = "rejected_invalid_transition"
    CLIENT_WINS_LWW = "client_wins_last_write"
    SERVER_WINS_LWW = "server_wins_last_write"
    APPENDED = "appended"
    REJECTED_READ_ONLY = "rejected_read_only"
    REJECTED_APPEND_ONLY = "rejected_append_only"
    REJECTED_PERMISSION = "rejected_permission"
    REJECTED_ID = "rejected_id"


@dataclass(frozen=True, slots=True)
class FieldDecision:
    field: str
    client_value: Any
    server_value: Any
    resolution: Resolution

    @property
    def applies(self) -> bool:
        return self.resolution in (Resolution.APPLIED, Resolution.CLIENT_WINS_LWW)

    @property
    def is_conflict(self) -> bool:
        return self.resolution is not Resolution.APPLIED


#: Work order fields where the server's value wins any conflict.
SERVER_WINS_FIELDS: Final = frozenset({"status", "assignee_id"})


@dataclass(frozen=True, slots=True)
class ServerField:
    """A work order field as the server has it, and when the server last changed it."""

    value: Any
    changed_since_pull: bool = False
    changed_at: datetime | None = None


# One return per row of the policy table.
def decide_work_order_field(  # noqa: PLR0911
    name: str, client: Any, server: ServerField, client_written_at: datetime | None
) -> FieldDecision:
    """The fate of one changed work order field (``client != server.value``)."""
    if name == "status":
        current = Status(server.value)
        if current in TERMINAL:
            return FieldDecision(name, client, server.value, Resolution.REJECTED_TERMINAL)
        if server.changed_since_pull:
            return FieldDecision(name, client, server.value, Resolution.SERVER_WINS)
        if Status(client) not in allowed_next(current):
            return FieldDecision(name, client, server.value, Resolution.REJECTED_TRANSITION)
        return FieldDecision(name, client, server.value, Resolution.APPLIED)
    if name in SERVER_WINS_FIELDS:
        if server.changed_since_pull:
            return FieldDecision(name, client, server.value, Resolution.SERVER_WINS)
        return FieldDecision(name, client, server.value, Resolution.APPLIED)
    if not server.changed_since_pull:
        return FieldDecision(name, client, server.value, Resolution.APPLIED)
    # Both sides changed it: the later write wins. A client that does not say when it
    # wrote (no updated_at) is taken to have written when it pushes.
    client_time = client_written_at or datetime.now(UTC)
    if server.changed_at is not None and server.changed_at > client_time:
        return FieldDecision(name, client, server.value, Resolution.SERVER_WINS_LWW)
    return FieldDecision(name, client, server.value, Resolution.CLIENT_WINS_LWW)


@dataclass
class PushOutcome:
    """What a push did, per table: ids accepted, rejected, and overridden by the server."""

    accepted: dict[str, list[str]] = field(default_factory=dict)
    rejected: dict[str, list[str]] = field(default_factory=dict)
    overridden: dict[str, list[str]] = field(default_factory=dict)

    def add(self, bucket: dict[str, list[str]], table: str, record_id: uuid.UUID) -> None:
        ids = bucket.setdefault(table, [])
        if str(record_id) not in ids:
            ids.append(str(record_id))


@dataclass(frozen=True, slots=True)
class EncodedChanges:
    """One table's changes in a pull, each a JSON array as it goes on the wire: the raw
    records (``updated``) and the ids of deleted ones (``deleted``)."""

    updated: str
    deleted: str


# ------------------------------------------------------------------ stored state


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A pull as the server remembers it: its clock (ms), the ``xmin`` of its snapshot,
    the device's pull before it, and the snapshot itself (``xmin:xmax:xip``; None for
    checkpoints older than migration 0009).

    ``snapshot_xmin`` bounds what a later pull re-reads (anything at or above it may be
    new to the device); the snapshot says exactly which transactions this pull saw, so a
    push judges as conflicts only the changes the device had not been sent."""

    pulled_at: int
    snapshot_xmin: int
    previous_pulled_at: int | None
    snapshot: str | None = None


@dataclass(frozen=True, slots=True)
class Conflict:
    """One rejected or overridden client change, as the conflict log keeps it."""

    id: uuid.UUID
    table: str
    record_id: uuid.UUID
    field: str | None
    client_value: Any
    server_value: Any
    resolution: str
    user_id: uuid.UUID | None
    device_id: str | None
    occurred_at: datetime
