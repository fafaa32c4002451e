"""Ids: UUIDv7, unique and ascending within the process, one at a time or in bulk."""

from __future__ import annotations

import time
import uuid

from maintrac.core.ids import new_id, new_ids


def test_ids_are_uuidv7_unique_and_ascending_however_they_are_taken() -> None:
    ids = [new_id() for _ in range(500)] + new_ids(5_000) + [new_id()] + new_ids(3)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)


def test_an_id_carries_the_time_it_was_made_or_later() -> None:
    before = time.time_ns() // 1_000_000
    (made,) = new_ids(1)
    assert made.int >> 80 >= before
    assert new_ids(0) == []
