"""Work log rules: each kind's required fields, corrections, and the labour that counts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from maintrac.core.errors import AlreadyCorrected, InvalidFields, InvalidReference
from maintrac.core.meters import MAX_FUTURE_SKEW, is_latest, resolve_taken_at
from maintrac.core.work_log import (
    EntryKind,
    NewWorkLogEntry,
    WorkLogEntry,
    actual_minutes,
    check_correction,
    check_kind_fields,
    superseded_by,
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
WORK_ORDER = uuid.UUID("01900000-0000-7000-8000-000000000001")


def _entry(
    kind: EntryKind = EntryKind.LABOR,
    minutes: int | None = 30,
    corrects: uuid.UUID | None = None,
    superseded: uuid.UUID | None = None,
    work_order_id: uuid.UUID = WORK_ORDER,
) -> WorkLogEntry:
    return WorkLogEntry(
        id=uuid.uuid4(),
        work_order_id=work_order_id,
        kind=kind,
        author_id=uuid.uuid4(),
        logged_at=NOW,
        minutes=minutes if kind is EntryKind.LABOR else None,
        material_name="V-belt" if kind is EntryKind.MATERIAL else None,
        quantity=Decimal(2) if kind is EntryKind.MATERIAL else None,
        unit=None,
        unit_cost=None,
        note="Seen" if kind is EntryKind.OBSERVATION else None,
        corrects_entry_id=corrects,
        superseded_by_id=superseded,
        created_at=NOW,
    )


def _pointers(error: InvalidFields | InvalidReference) -> list[str]:
    errors: list[dict[str, str]] = error.fields["errors"]
    return [e["pointer"] for e in errors]


# ---------------------------------------------------------------- kind rules


@pytest.mark.parametrize(
    ("fields", "pointers"),
    [
        ({"kind": EntryKind.LABOR}, ["/minutes"]),
        ({"kind": EntryKind.LABOR, "note": "forgot minutes"}, ["/minutes"]),
        ({"kind": EntryKind.MATERIAL}, ["/materialName", "/quantity"]),
        ({"kind": EntryKind.MATERIAL, "material_name": "Belt"}, ["/quantity"]),
        ({"kind": EntryKind.MATERIAL, "quantity": Decimal(1)}, ["/materialName"]),
        ({"kind": EntryKind.OBSERVATION}, ["/note"]),
        ({"kind": EntryKind.OBSERVATION, "minutes": 5}, ["/note"]),
    ],
)
def test_missing_kind_fields_are_named(fields: dict[str, Any], pointers: list[str]) -> None:
    with pytest.raises(InvalidFields) as caught:
        check_kind_fields(NewWorkLogEntry(**fields))
    assert _pointers(caught.value) == pointers
    assert caught.value.code == "validation_failed"
    assert fields["kind"].value in caught.value.detail


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": EntryKind.LABOR, "minutes": 45},
        {"kind": EntryKind.LABOR, "minutes": 0},
        {"kind": EntryKind.MATERIAL, "material_name": "Belt", "quantity": Decimal(0)},
        {"kind": EntryKind.OBSERVATION, "note": "Bearing noisy"},
        # Other fields are optional on every kind.
        {"kind": EntryKind.LABOR, "minutes": 10, "note": "Re-tensioned", "quantity": Decimal(1)},
    ],
)
def test_complete_entries_pass(fields: dict[str, Any]) -> None:
    check_kind_fields(NewWorkLogEntry(**fields))


# ---------------------------------------------------------------- corrections


def test_correction_of_a_live_entry_of_the_same_kind_is_allowed() -> None:
    check_correction(EntryKind.LABOR, WORK_ORDER, _entry())


def test_correction_needs_an_entry_of_this_work_order() -> None:
    with pytest.raises(InvalidReference) as missing:
        check_correction(EntryKind.LABOR, WORK_ORDER, None)
    assert _pointers(missing.value) == ["/correctsEntryId"]
    other = _entry(work_order_id=uuid.uuid4())
    with pytest.raises(InvalidReference) as elsewhere:
        check_correction(EntryKind.LABOR, WORK_ORDER, other)
    assert _pointers(elsewhere.value) == ["/correctsEntryId"]


def test_correction_must_be_of_the_same_kind() -> None:
    with pytest.raises(InvalidFields) as caught:
        check_correction(EntryKind.MATERIAL, WORK_ORDER, _entry(EntryKind.LABOR))
    assert _pointers(caught.value) == ["/correctsEntryId"]
    assert "labor" in caught.value.detail


def test_an_entry_is_corrected_once() -> None:
    successor = uuid.uuid4()
    target = _entry(superseded=successor)
    with pytest.raises(AlreadyCorrected) as caught:
        check_correction(EntryKind.LABOR, WORK_ORDER, target)
    assert caught.value.code == "entry_already_corrected"
    assert caught.value.fields["supersededById"] == str(successor)
    assert str(target.id) in caught.value.detail


# ---------------------------------------------------------------- superseding arithmetic


def test_actual_minutes_sums_labour_only() -> None:
    entries = [
        _entry(minutes=30),
        _entry(minutes=45),
        _entry(EntryKind.MATERIAL),
        _entry(EntryKind.OBSERVATION),
    ]
    assert actual_minutes(entries) == 75
    assert actual_minutes([]) == 0


def test_a_correction_replaces_the_original() -> None:
    original = _entry(minutes=120)
    correction = _entry(minutes=90, corrects=original.id)
    other = _entry(minutes=15)
    assert actual_minutes([original, other, correction]) == 105
    assert superseded_by([original, correction, other]) == {original.id: correction.id}


def test_a_chain_of_corrections_counts_only_its_last_link() -> None:
    first = _entry(minutes=60)
    second = _entry(minutes=50, corrects=first.id)
    third = _entry(minutes=40, corrects=second.id)
    assert actual_minutes([first, second, third]) == 40
    assert superseded_by([first, second, third]) == {first.id: second.id, second.id: third.id}


def test_a_correction_to_zero_removes_the_time() -> None:
    original = _entry(minutes=30)
    assert actual_minutes([original, _entry(minutes=0, corrects=original.id)]) == 0


def test_order_of_entries_does_not_matter() -> None:
    original = _entry(minutes=30)
    correction = _entry(minutes=20, corrects=original.id)
    assert actual_minutes([correction, original]) == actual_minutes([original, correction]) == 20


# ---------------------------------------------------------------- meter rules (pure)


def test_taken_at_defaults_to_now_and_allows_small_clock_skew() -> None:
    assert resolve_taken_at(None, NOW) == NOW
    assert resolve_taken_at(NOW + MAX_FUTURE_SKEW, NOW) == NOW + MAX_FUTURE_SKEW
    berlin = datetime(2026, 11, 25, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    resolved = resolve_taken_at(berlin, NOW)
    assert resolved == NOW
    assert resolved.tzinfo == UTC


def test_taken_at_far_in_the_future_is_refused() -> None:
    with pytest.raises(InvalidFields) as caught:
        resolve_taken_at(NOW + MAX_FUTURE_SKEW + timedelta(seconds=1), NOW)
    assert _pointers(caught.value) == ["/takenAt"]


def test_latest_reading_rule() -> None:
    assert is_latest(NOW, None)
    assert is_latest(NOW, NOW)
    assert is_latest(NOW + timedelta(seconds=1), NOW)
    assert not is_latest(NOW - timedelta(seconds=1), NOW)
