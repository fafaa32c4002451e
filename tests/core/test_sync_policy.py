"""The offline-sync conflict policy (core.sync), one group of tests per row of its table.

| Row                              | Policy                                                 |
|----------------------------------|--------------------------------------------------------|
| work order status                | server wins; a terminal server status rejects; other   |
|                                  | client changes must pass the state machine             |
| work order assignment            | server wins                                            |
| work log entries                 | last write wins, append-only (an edit is a correction) |
| work order notes / description   | last write wins                                        |
| asset readings                   | last write wins + append (both values kept)            |

Core decides work order fields (``decide_work_order_field``). For the two append-only
tables core holds the resolution (``Resolution.APPENDED``: a conflict that never
overwrites), which tables devices may write and which columns they may set; the
appending itself is the service's and is tested over HTTP (``tests/api/test_sync.py``).
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from maintrac.core.sync import (
    LOCAL_COLUMNS,
    SERVER_WINS_FIELDS,
    TABLES,
    FieldDecision,
    Kind,
    PushOutcome,
    Resolution,
    ServerField,
    decide_work_order_field,
    decode,
    encode,
    from_millis,
    to_millis,
)
from maintrac.core.work_orders import Status

T0 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
EARLIER = T0 - timedelta(minutes=5)
LATER = T0 + timedelta(minutes=5)

#: The state machine, written out independently of core.work_orders.
ALLOWED = {
    (Status.OPEN, Status.IN_PROGRESS),
    (Status.OPEN, Status.ON_HOLD),
    (Status.OPEN, Status.COMPLETE),
    (Status.OPEN, Status.CANCELLED),
    (Status.IN_PROGRESS, Status.OPEN),
    (Status.IN_PROGRESS, Status.ON_HOLD),
    (Status.IN_PROGRESS, Status.COMPLETE),
    (Status.IN_PROGRESS, Status.CANCELLED),
    (Status.ON_HOLD, Status.OPEN),
    (Status.ON_HOLD, Status.IN_PROGRESS),
    (Status.ON_HOLD, Status.CANCELLED),
}
TERMINAL_STATUSES = (Status.COMPLETE, Status.CANCELLED)
LIVE_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.ON_HOLD)


def _status(
    server: Status,
    client: Status,
    *,
    changed: bool = False,
    changed_at: datetime | None = None,
    written_at: datetime | None = None,
) -> FieldDecision:
    return decide_work_order_field(
        "status", client.value, ServerField(server.value, changed, changed_at), written_at
    )


def _assert_server_keeps(decision: FieldDecision, resolution: Resolution) -> None:
    assert decision.resolution is resolution
    assert not decision.applies
    assert decision.is_conflict


# ---------------------------------------------------------------- row: work order status


@pytest.mark.parametrize("changed", [False, True])
@pytest.mark.parametrize(
    ("server", "client"),
    [(s, c) for s, c in itertools.product(TERMINAL_STATUSES, Status) if s != c],
)
def test_status_terminal_on_the_server_rejects_the_clients_change(
    server: Status, client: Status, changed: bool
) -> None:
    # Even a client that wrote later, about a server that never changed it since the pull.
    decision = _status(server, client, changed=changed, changed_at=EARLIER, written_at=LATER)
    _assert_server_keeps(decision, Resolution.REJECTED_TERMINAL)
    assert decision.field == "status"
    assert decision.server_value == server.value
    assert decision.client_value == client.value


@pytest.mark.parametrize(
    ("server", "client"), [(s, c) for s, c in itertools.product(LIVE_STATUSES, Status) if s != c]
)
def test_status_the_server_changed_since_the_pull_wins(server: Status, client: Status) -> None:
    # Server wins: not last write wins, so a later client write does not matter.
    decision = _status(server, client, changed=True, changed_at=EARLIER, written_at=LATER)
    _assert_server_keeps(decision, Resolution.SERVER_WINS)
    assert decision.server_value == server.value


@pytest.mark.parametrize(
    ("server", "client"), [(s, c) for s, c in itertools.product(LIVE_STATUSES, Status) if s != c]
)
def test_status_otherwise_goes_through_the_state_machine(server: Status, client: Status) -> None:
    decision = _status(server, client, written_at=EARLIER)
    if (server, client) in ALLOWED:
        assert decision.resolution is Resolution.APPLIED
        assert decision.applies
        assert not decision.is_conflict
    else:
        _assert_server_keeps(decision, Resolution.REJECTED_TRANSITION)


def test_on_hold_cannot_complete_offline() -> None:
    _assert_server_keeps(_status(Status.ON_HOLD, Status.COMPLETE), Resolution.REJECTED_TRANSITION)


# ---------------------------------------------------------------- row: assignment


A, B = uuid.uuid4(), uuid.uuid4()


@pytest.mark.parametrize("client", [B, None])
@pytest.mark.parametrize("written_at", [EARLIER, LATER, None])
def test_assignment_the_server_changed_since_the_pull_wins(
    client: uuid.UUID | None, written_at: datetime | None
) -> None:
    decision = decide_work_order_field("assignee_id", client, ServerField(A, True, T0), written_at)
    _assert_server_keeps(decision, Resolution.SERVER_WINS)
    assert (decision.client_value, decision.server_value) == (client, A)


@pytest.mark.parametrize(("server", "client"), [(A, B), (None, B), (A, None)])
def test_assignment_the_server_did_not_change_is_the_clients(
    server: uuid.UUID | None, client: uuid.UUID | None
) -> None:
    decision = decide_work_order_field("assignee_id", client, ServerField(server), EARLIER)
    assert decision.resolution is Resolution.APPLIED
    assert decision.applies
    assert not decision.is_conflict


def test_status_and_assignment_are_the_server_wins_fields() -> None:
    assert frozenset({"status", "assignee_id"}) == SERVER_WINS_FIELDS


# ---------------------------------------------------------------- row: notes and description

LWW_FIELDS: list[tuple[str, Any, Any]] = [
    ("description", "Office note", "Technician note"),
    ("title", "Replace belt", "Replace belt and pulley"),
    ("priority", "low", "urgent"),
    ("due_at", T0, LATER),
    ("estimated_hours", Decimal("1.50"), Decimal("2.25")),
    ("asset_id", A, B),
]


@pytest.mark.parametrize(("name", "server", "client"), LWW_FIELDS)
def test_notes_the_server_did_not_change_are_the_clients(
    name: str, server: Any, client: Any
) -> None:
    # However old the client's write: nobody else wrote the field.
    decision = decide_work_order_field(name, client, ServerField(server), EARLIER)
    assert decision.resolution is Resolution.APPLIED
    assert decision.applies
    assert not decision.is_conflict


@pytest.mark.parametrize(("name", "server", "client"), LWW_FIELDS)
def test_notes_written_later_on_the_server_keep_the_servers_value(
    name: str, server: Any, client: Any
) -> None:
    decision = decide_work_order_field(name, client, ServerField(server, True, LATER), EARLIER)
    _assert_server_keeps(decision, Resolution.SERVER_WINS_LWW)
    assert (decision.client_value, decision.server_value) == (client, server)


@pytest.mark.parametrize(("name", "server", "client"), LWW_FIELDS)
def test_notes_written_later_on_the_device_take_the_clients_value(
    name: str, server: Any, client: Any
) -> None:
    decision = decide_work_order_field(name, client, ServerField(server, True, EARLIER), LATER)
    assert decision.resolution is Resolution.CLIENT_WINS_LWW
    assert decision.applies
    # Overriding the server's own change is still logged.
    assert decision.is_conflict


def test_notes_written_at_the_same_moment_go_to_the_client() -> None:
    decision = decide_work_order_field("description", "b", ServerField("a", True, T0), T0)
    assert decision.resolution is Resolution.CLIENT_WINS_LWW


def test_notes_without_a_client_time_count_as_written_at_the_push() -> None:
    past = decide_work_order_field("description", "b", ServerField("a", True, EARLIER), None)
    assert past.resolution is Resolution.CLIENT_WINS_LWW
    future = datetime.now(UTC) + timedelta(hours=1)
    ahead = decide_work_order_field("description", "b", ServerField("a", True, future), None)
    assert ahead.resolution is Resolution.SERVER_WINS_LWW


def test_notes_changed_at_an_unknown_time_go_to_the_client() -> None:
    decision = decide_work_order_field("description", "b", ServerField("a", True, None), EARLIER)
    assert decision.resolution is Resolution.CLIENT_WINS_LWW


# ---------------------------------------------------------------- rows: append-only tables


@pytest.mark.parametrize(
    ("table", "permission"),
    [("work_log_entries", "work_orders:write"), ("asset_readings", "readings:write")],
)
def test_append_only_tables_are_the_ones_besides_work_orders_devices_write(
    table: str, permission: str
) -> None:
    assert TABLES[table].write_permission == permission
    read_only = {n for n, t in TABLES.items() if t.write_permission is None}
    assert read_only == {"assets", "meters", "users", "task_codes", "asset_categories", "gl_codes"}


def test_an_edit_of_an_append_only_record_is_appended_never_applied() -> None:
    # Log entries (last write wins, append-only) and readings (last write wins + append):
    # the client's value is kept as a new record, the original is never overwritten, and
    # the edit is logged as a conflict so the device gets the original back.
    edit = FieldDecision("value", 110.5, 100.0, Resolution.APPENDED)
    assert not edit.applies
    assert edit.is_conflict
    assert Resolution.APPENDED.value == "appended"


def test_a_log_entry_edit_carries_what_a_correction_needs() -> None:
    entry_id, work_order_id = uuid.uuid4(), uuid.uuid4()
    values = decode(
        TABLES["work_log_entries"],
        {
            "id": str(entry_id),
            "work_order_id": str(work_order_id),
            "kind": "labor",
            "minutes": 50,
            "note": "It took longer",
            "logged_at": 1795600000000,
            # Server-owned: who wrote it and when it was stored are not the device's.
            "author_id": str(uuid.uuid4()),
            "created_at": 1,
            "_status": "updated",
            "_changed": "minutes,note",
        },
    )
    assert values == {
        "id": entry_id,
        "work_order_id": work_order_id,
        "kind": "labor",
        "minutes": 50,
        "note": "It took longer",
        "logged_at": from_millis(1795600000000),
    }


def test_a_reading_edit_keeps_the_value_exact_and_not_who_took_it() -> None:
    reading_id, meter_id = uuid.uuid4(), uuid.uuid4()
    values = decode(
        TABLES["asset_readings"],
        {
            "id": str(reading_id),
            "meter_id": str(meter_id),
            "value": 0.1,
            "taken_by": str(uuid.uuid4()),
            "created_at": 1,
        },
    )
    assert values == {"id": reading_id, "meter_id": meter_id, "value": Decimal("0.1")}


# ---------------------------------------------------------------- the raw codec


# What the codec no longer checks (columns, types, lengths, choices, ranges, ids) the
# contract's schema refuses at the edge: tests/core/test_sync_contract.py.


def test_decode_converts_raw_values() -> None:
    record_id, asset_id = uuid.uuid4(), uuid.uuid4()
    values = decode(
        TABLES["work_orders"],
        {
            "id": str(record_id),
            "asset_id": str(asset_id),
            "due_at": 1795600000123,
            "estimated_hours": 0.1,
            "status": "open",
        },
    )
    assert values == {
        "id": record_id,
        "asset_id": asset_id,
        "due_at": from_millis(1795600000123),
        "estimated_hours": Decimal("0.1"),
        "status": "open",
    }
    minutes = decode(TABLES["work_log_entries"], {"id": str(record_id), "minutes": 30.0})
    assert minutes == {"id": record_id, "minutes": 30}
    assert type(minutes["minutes"]) is int


def test_decode_refuses_a_record_the_contract_was_not_checked_on() -> None:
    with pytest.raises(ValueError, match="colour"):
        decode(TABLES["work_orders"], {"id": str(uuid.uuid4()), "colour": "red"})


def test_empty_text_clears_a_nullable_column() -> None:
    values = decode(TABLES["work_orders"], {"id": str(uuid.uuid4()), "description": ""})
    assert values["description"] is None


def test_bookkeeping_columns_are_ignored() -> None:
    assert frozenset({"_status", "_changed"}) == LOCAL_COLUMNS
    record_id = uuid.uuid4()
    raw = {"id": str(record_id), "_status": "created", "_changed": "title"}
    assert decode(TABLES["work_orders"], raw) == {"id": record_id}


def test_timestamps_travel_as_milliseconds() -> None:
    moment = datetime(2026, 11, 25, 9, 46, 40, 123000, tzinfo=UTC)
    assert to_millis(moment) == 1795600000123
    assert from_millis(1795600000123) == moment
    assert encode(Kind.TIMESTAMP, moment) == 1795600000123
    assert encode(Kind.TIMESTAMP, None) is None
    assert encode(Kind.UUID, A) == str(A)
    assert encode(Kind.NUMBER, Decimal("1.50")) == 1.5


def test_push_outcome_lists_each_id_once() -> None:
    outcome = PushOutcome()
    outcome.add(outcome.rejected, "assets", A)
    outcome.add(outcome.rejected, "assets", A)
    outcome.add(outcome.rejected, "assets", B)
    assert outcome.rejected == {"assets": [str(A), str(B)]}
    assert outcome.accepted == {}
