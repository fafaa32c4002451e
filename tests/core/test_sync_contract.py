"""The synced tables of ``core.sync`` and the contract's push schema state one thing.

``core.sync.decode`` only converts: a push is validated once, at the edge, against the
contract. So the contract must refuse everything the codec used to refuse (unknown
columns, wrong types, lengths, choices, ranges, missing ids), each with a pointer to the
value, and it must state the limits ``TABLES`` derives from the core enums and lengths.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from maintrac.api.openapi31 import body_errors, nul_errors
from maintrac.core.sync import LOCAL_COLUMNS, TABLES, Kind, SyncedTable, from_millis, to_millis

SPEC = yaml.safe_load((Path(__file__).parents[2] / "openapi" / "openapi.yaml").read_text())
PUSH = {"$ref": "#/components/schemas/SyncPushRequest", "components": SPEC["components"]}
MAX_MILLIS = 253_402_300_799_000
#: 0001-01-01T00:00:00Z, the first instant the REST API accepts: a pull must be able to send
#: every instant REST stores, so record timestamps go negative before 1970.
MIN_MILLIS = -62_135_596_800_000

JSON_TYPES = {
    Kind.UUID: "string",
    Kind.TEXT: "string",
    Kind.INTEGER: "integer",
    Kind.NUMBER: "number",
    Kind.BOOLEAN: "boolean",
    Kind.TIMESTAMP: "integer",
}


def _record_schema(table: SyncedTable) -> dict[str, Any]:
    name = "Sync" + "".join(p.capitalize() for p in table.name.split("_")) + "Record"
    schema: dict[str, Any] = SPEC["components"]["schemas"][name]
    return schema


def _push_errors(table: str, record: dict[str, Any]) -> list[dict[str, str]]:
    body = {"lastPulledAt": None, "changes": {table: {"created": [record]}}}
    return body_errors(PUSH, body) or nul_errors(body)


@pytest.mark.parametrize("table", list(TABLES.values()), ids=list(TABLES))
def test_the_contract_states_each_synced_column_as_core_declares_it(table: SyncedTable) -> None:
    schema = _record_schema(table)
    assert schema["additionalProperties"] is False
    properties = schema["properties"]
    assert set(properties) == {c.name for c in table.columns} | LOCAL_COLUMNS
    for column in table.columns:
        prop = properties[column.name]
        types = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
        assert JSON_TYPES[column.kind] in types, column.name
        if column.kind is Kind.UUID:
            assert prop["format"] == "uuid", column.name
        if column.kind is Kind.TIMESTAMP:
            assert (prop["minimum"], prop["maximum"]) == (MIN_MILLIS, MAX_MILLIS), column.name
        if not column.writable:
            continue
        assert ("null" in types) == column.nullable, column.name
        assert prop.get("maxLength") == column.max_length, column.name
        assert tuple(prop.get("enum", ())) == column.choices, column.name
    required = {c.name for c in table.columns if c.writable and not c.nullable} | {"id"}
    assert required <= set(schema["required"])


A_WORK_ORDER = {"id": str(uuid.uuid4()), "title": "t", "status": "open", "priority": "low"}


@pytest.mark.parametrize(
    ("column", "value", "detail"),
    [
        ("id", "WO-1", "Must be a valid uuid."),
        ("status", "reopened", "Must be one of"),
        ("priority", 3, "Must be a string."),
        ("title", None, "Must be a string."),
        ("title", "", "Must not be empty."),
        ("title", "x" * 201, "at most 200"),
        ("title", "a\x00b", "NUL"),
        ("due_at", MIN_MILLIS - 1, f"Must be at least {MIN_MILLIS}."),
        ("due_at", MAX_MILLIS + 1, f"Must be at most {MAX_MILLIS}."),
        ("due_at", "2026-12-01", "Must be an integer or null."),
        ("due_at", True, "Must be an integer or null."),
        ("estimated_hours", float("inf"), "Must be at most"),
        ("asset_id", "not-a-uuid", "Must be a valid uuid."),
        ("colour", "red", "Is not a field of this object."),
    ],
)
def test_the_contract_refuses_malformed_values(column: str, value: Any, detail: str) -> None:
    errors = _push_errors("work_orders", {**A_WORK_ORDER, column: value})
    pointers = {e["pointer"] for e in errors}
    assert pointers == {f"/changes/work_orders/created/0/{column}"}
    assert any(detail in e["detail"] for e in errors), errors


def test_the_contract_refuses_a_record_without_an_id() -> None:
    record = {k: v for k, v in A_WORK_ORDER.items() if k != "id"}
    assert _push_errors("work_orders", record) == [
        {"pointer": "/changes/work_orders/created/0/id", "detail": "Is required."}
    ]


def test_the_contract_refuses_minutes_that_are_not_whole_or_in_range() -> None:
    base = {"id": str(uuid.uuid4()), "work_order_id": str(uuid.uuid4()), "kind": "labor"}
    assert _push_errors("work_log_entries", {**base, "minutes": 30.0}) == []
    for bad in (30.5, 2**31, "30"):
        errors = _push_errors("work_log_entries", {**base, "minutes": bad})
        assert {e["pointer"] for e in errors} == {"/changes/work_log_entries/created/0/minutes"}


def test_an_unsynced_table_is_accepted_empty_and_refused_with_records() -> None:
    empty: dict[str, list[Any]] = {"created": [], "updated": [], "deleted": []}
    body = {"lastPulledAt": None, "changes": {"drafts": empty, "settings": {}}}
    assert body_errors(PUSH, body) == []
    body["changes"] = {"drafts": {**empty, "created": [{"id": "x"}]}, "settings": empty}
    assert [e["pointer"] for e in body_errors(PUSH, body)] == ["/changes/drafts/created"]


def test_the_contract_accepts_instants_before_1970() -> None:
    for millis in (-1, -14_182_939_500, MIN_MILLIS):
        assert _push_errors("work_orders", {**A_WORK_ORDER, "due_at": millis}) == [], millis


@pytest.mark.parametrize(
    ("moment", "millis"),
    [
        (datetime(1970, 1, 1, tzinfo=UTC), 0),
        (datetime(1969, 7, 20, 20, 17, 40, 500000, tzinfo=UTC), -14_182_939_500),
        # Rounded down, not toward zero: the instant is 0.5 ms before the epoch.
        (datetime(1969, 12, 31, 23, 59, 59, 999500, tzinfo=UTC), -1),
        (datetime(2026, 12, 1, 12, 0, 0, 123999, tzinfo=UTC), 1_796_126_400_123),
        (datetime(1, 1, 1, tzinfo=UTC), MIN_MILLIS),
        (datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), MAX_MILLIS),
    ],
)
def test_timestamps_travel_as_whole_milliseconds_either_side_of_1970(
    moment: datetime, millis: int
) -> None:
    assert to_millis(moment) == millis
    assert from_millis(millis) == moment.replace(microsecond=moment.microsecond // 1000 * 1000)
